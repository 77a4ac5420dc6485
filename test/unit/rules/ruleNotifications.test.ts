import { readRuleNotifications } from '../../../shared/core/rules/ruleNotifications';

function read(entity: Record<string, unknown>, windowMinutes = 10) {
  const problems: { property: string; message: string }[] = [];
  const notifications = readRuleNotifications(entity, windowMinutes, problems);
  return { notifications, problems: problems.map((p) => `${p.property}: ${p.message}`) };
}

describe('readRuleNotifications', () => {
  it('defaults: no channels, UTC, resolved notices for a windowed rule and none per blob', () => {
    expect(read({})).toEqual({ notifications: { notifyResolved: true, timeZone: 'UTC', notify: [] }, problems: [] });
    expect(read({}, 0)).toEqual({
      notifications: { notifyResolved: false, timeZone: 'UTC', notify: [] },
      problems: [],
    });
  });

  it('reads every property as the table or a file may hold it', () => {
    // Act
    const { notifications, problems } = read({
      ResourceId: '/subscriptions/0000/resourceGroups/shop/providers/Microsoft.Insights/components/shop-api',
      NotifyResolved: 'false',
      MuteUntil: '2024-03-05T18:00',
      MuteSchedule: '0 0 22 * * Fri',
      MuteMinutes: { value: '600', type: 'Int32' },
      TimeZone: 'Europe/Berlin',
      Notify: 'teams:OPS; webhook:PAGER,teams:OPS',
    });

    // Assert
    expect(problems).toEqual([]);
    expect(notifications).toEqual({
      resourceId: '/subscriptions/0000/resourceGroups/shop/providers/Microsoft.Insights/components/shop-api',
      notifyResolved: false,
      muteUntil: Date.UTC(2024, 2, 5, 18, 0),
      muteWindow: { schedule: '0 0 22 * * Fri', minutes: 600 },
      timeZone: 'Europe/Berlin',
      notify: [
        { kind: 'teams', name: 'OPS' },
        { kind: 'webhook', name: 'PAGER' },
      ],
    });
  });

  it('takes MuteUntil as an Edm.DateTime (a Date) too', () => {
    expect(read({ MuteUntil: new Date(Date.UTC(2024, 2, 5)) }).notifications.muteUntil).toBe(Date.UTC(2024, 2, 5));
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    [
      'a resource id of another kind',
      { ResourceId: '/subscriptions/0/resourceGroups/r/providers/Microsoft.Web/sites/x' },
      10,
      "ResourceId: ResourceId must be an Application Insights resource id (/subscriptions/…/resourceGroups/…/providers/microsoft.insights/components/…), found '/subscriptions/0/resourceGroups/r/providers/Microsoft.Web/sites/x'",
    ],
    [
      'resolved notices per blob',
      { NotifyResolved: true },
      0,
      'NotifyResolved: NotifyResolved needs WindowMinutes > 0: a rule counted per blob has no window to stay quiet for',
    ],
    [
      'a mute time that is none',
      { MuteUntil: 'soon' },
      10,
      "MuteUntil: MuteUntil must be a date and time, found 'soon'",
    ],
    [
      'a schedule without its length',
      { MuteSchedule: '0 0 22 * * Fri' },
      10,
      'MuteMinutes: MuteSchedule and MuteMinutes go together: when each quiet time starts, and how long it lasts',
    ],
    [
      'a bad schedule',
      { MuteSchedule: '0 0 25 * * *', MuteMinutes: 60 },
      10,
      "MuteSchedule: MuteSchedule: '0 0 25 * * *': hour field '25' is not a value, range or step within 0-23",
    ],
    [
      'a zone that is none',
      { TimeZone: 'Mars/Olympus' },
      10,
      "TimeZone: TimeZone must be an IANA time zone such as Europe/Berlin or UTC, found 'Mars/Olympus'",
    ],
    [
      'a channel of no known kind',
      { Notify: 'pager:X' },
      10,
      "Notify: Notify: 'pager:X' is not a channel; write teams:NAME, slack:NAME or webhook:NAME (NAME: letters, digits, _)",
    ],
    [
      'a channel name no setting can carry',
      { Notify: 'teams:ops-team' },
      10,
      "Notify: Notify: 'teams:ops-team' is not a channel; write teams:NAME, slack:NAME or webhook:NAME (NAME: letters, digits, _)",
    ],
  ])('reports %s', (_what, entity, windowMinutes, problem) => {
    expect(read(entity, windowMinutes).problems).toEqual([problem]);
  });
});
