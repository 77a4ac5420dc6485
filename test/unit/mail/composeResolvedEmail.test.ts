import {
  composeResolvedEmail,
  durationText,
  type ResolvedNotice,
} from '../../../shared/core/mail/composeResolvedEmail';
import { ruleOf } from '../alerts/alertWorld';

// Issue 15 §2: the RESOLVED e-mail, a pure function of a ResolvedNotice.

const T0 = Date.UTC(2024, 2, 5, 13, 3);
const MIN = 60_000;
const RESOURCE =
  '/subscriptions/6b1c3f2e-0000-4000-8000-00000000aa01/resourceGroups/shop-rg/providers/microsoft.insights/components/shop';

function notice(overrides: Partial<ResolvedNotice> = {}): ResolvedNotice {
  return {
    rule: ruleOf({ WindowMinutes: 10, Threshold: 5, GroupBy: 'cloud_RoleName', Severity: 1 }),
    appName: 'shop-prod',
    folder: 'shop-prod_0f1e',
    blobName: 'shop-prod_0f1e/Requests/2024-03-05/13/a.blob',
    group: { label: 'cloud_RoleName=Contoso.Api', values: { cloud_RoleName: 'Contoso.Api' } },
    firstFiredAt: new Date(T0),
    lastBreachAt: new Date(T0 + 32 * MIN),
    resolvedAt: new Date(T0 + 42 * MIN),
    matched: { rows: 57, weighted: 57 },
    firings: 3,
    events: { first: new Date(T0 - 5 * MIN), last: new Date(T0 + 31 * MIN) },
    timeZone: 'Europe/Berlin',
    ledgerKey: 'r~abc',
    ...overrides,
  };
}

describe('composeResolvedEmail', () => {
  it('says which alert is over, since when, after how long, with what it matched, in the rule’s recipients’ e-mail', () => {
    // Act
    const email = composeResolvedEmail(notice({ resourceId: RESOURCE }), 'alerts@example.com');

    // Assert
    expect(email).toMatchObject({
      from: 'alerts@example.com',
      to: ['ops@example.com'],
      subject: '[Resolved] [Sev1] errors in shop-prod [cloud_RoleName=Contoso.Api]: lasted 42 min',
      customArgs: { ledgerKey: 'r~abc', rule: 'shop-prod/errors', app: 'shop-prod', state: 'RESOLVED' },
      headers: { 'X-Alert-Ledger-Key': 'r~abc' },
    });
    const lines = email.text.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'RESOLVED · Sev1 Error',
      'errors',
      'shop-prod · requests · cloud_RoleName=Contoso.Api',
      '='.repeat(60),
      '',
      'Fewer than 5 requests matched in any 10 minutes for cloud_RoleName = Contoso.Api since the last breach at 14:35 CET: resolved after 42 min.',
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Firing since:     2024-03-05 14:03 CET (first alert e-mail)',
        'Resolved at:      2024-03-05 14:45 CET',
        'Lasted:           42 min',
        'Alert e-mails:    3',
        'Matched:          57 records during the alert',
        'Events between:   2024-03-05 13:58–14:34 CET',
        'First alert from: shop-prod_0f1e/Requests/2024-03-05/13/a.blob',
      ]),
    );
    expect(email.html).toContain('RESOLVED');
  });

  it('links to Log Analytics over the whole alert, from its first event to its resolution, as the FIRING e-mail does', () => {
    // Act
    const email = composeResolvedEmail(notice({ resourceId: RESOURCE }), 'alerts@example.com');

    // Assert
    const link = email.text.split('\n').find((line) => line.startsWith('https://portal.azure.com/'));
    expect(link).toMatch(
      /^https:\/\/portal\.azure\.com\/#blade\/Microsoft_Azure_Monitoring_Logs\/LogsBlade\/resourceId\/%2Fsubscriptions%2F6b1c3f2e-0000-4000-8000-00000000aa01%2FresourceGroups%2Fshop-rg%2Fproviders%2Fmicrosoft\.insights%2Fcomponents%2Fshop\/source\/LogsBlade\.AnalyticsShareLinkToQuery\/q\/.+\/timespan\/2024-03-05T12%3A58%3A00\.000Z%2F2024-03-05T13%3A45%3A00\.000Z$/,
    );
  });

  it.each([
    ['the rule’s ResourceId', { rule: ruleOf({ WindowMinutes: 10, ResourceId: RESOURCE }) }, true],
    ['the app’s setting', { appResourceId: RESOURCE }, true],
    ['nothing', {}, false],
  ])('links through %s when the telemetry named no resource', (_case, overrides, linked) => {
    const text = composeResolvedEmail(notice(overrides), 'alerts@example.com').text;
    expect(text.includes('Open in Log Analytics:')).toBe(linked);
    expect(text.includes('No Log Analytics link: set APPINSIGHTS_RESOURCE_ID_SHOP_PROD')).toBe(!linked);
  });

  it('says when a mute held it back, and leaves out what it does not know', () => {
    // Act
    const { group: _group, events: _events, ...plain } = notice({ heldByMute: true });
    const email = composeResolvedEmail({ ...plain, timeZone: 'UTC' }, 'alerts@example.com');

    // Assert
    expect(email.subject).toBe('[Resolved] [Sev1] errors in shop-prod: lasted 42 min');
    expect(email.text).toContain('This notice waited for a mute to end: the alert resolved while it was muted.');
    expect(email.text).not.toContain('Events between');
    expect(email.text).not.toContain('Group:');
  });

  it.each([
    [0, 'under a minute'],
    [59_999, 'under a minute'],
    [42 * MIN, '42 min'],
    [60 * MIN, '1 h'],
    [185 * MIN, '3 h 5 min'],
    [52 * 60 * MIN, '2 d 4 h'],
    [-5 * MIN, 'under a minute'],
  ])('writes %i ms as %j', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});
