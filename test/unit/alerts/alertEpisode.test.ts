import {
  type AlertState,
  applyDelivery,
  type DeliveryMatches,
  EMPTY_STATE,
} from '../../../shared/core/alerts/alertState';
import { parseState, serializeState } from '../../../shared/core/alerts/alertStateText';
import { muteAt, ruleMuteAt } from '../../../shared/core/alerts/muting';
import { settleEpisode } from '../../../shared/core/alerts/resolveEpisodes';
import type { AlertRule } from '../../../shared/core/rules/alertRule';
import { ruleOf } from './alertWorld';

// Issue 15 §2 and §3: an alert's episode from its first e-mail to its RESOLVED notice, and mutes.

const MIN = 60_000;
const T0 = Date.UTC(2024, 2, 5, 13, 0);
const SOURCE = { appName: 'shop-prod', folder: 'shop-prod_0f1e', blobName: 'shop-prod_0f1e/Requests/1.blob' };

/** `count` matches at `eventAt`, deposited (and so placed) as of `depositedAt`. */
function hits(count: number, eventAt: number, depositedAt = eventAt): DeliveryMatches {
  return {
    rows: count,
    weighted: count,
    minutes: new Map([[Math.floor(eventAt / MIN), count]]),
    depositedAt,
    firstEventAt: eventAt,
    lastEventAt: eventAt,
    source: SOURCE,
  };
}

/** Threshold 3 within 10 minutes, throttle 15 minutes: NotifyResolved is on by default for a window. */
const RULE: AlertRule = ruleOf({ Threshold: 3, WindowMinutes: 10, ThrottleMinutes: 15 });

/** Applies deliveries in turn, each at its own clock; returns the state and every outcome. */
function run(
  steps: readonly { at: number; matches: DeliveryMatches; muted?: boolean }[],
  rule: AlertRule = RULE,
  state: AlertState = EMPTY_STATE,
) {
  const applied = [];
  for (const step of steps) {
    const next = applyDelivery(state, step.matches, rule, step.at, step.muted ?? false);
    applied.push(next);
    state = next.state;
  }
  return { state, applied };
}

describe('an episode, from the first e-mail to its RESOLVED notice', () => {
  it('opens at the first firing and is due a whole window after its last breach, not a minute sooner', () => {
    // Arrange / Act
    const { state, applied } = run([{ at: T0, matches: hits(3, T0) }]);

    // Assert
    expect(applied[0]).toMatchObject({ outcome: { kind: 'fired' }, openedEpisode: true });
    expect(state.episode).toMatchObject({ since: T0, lastBreachAt: T0, rows: 3, weighted: 3, firings: 1 });
    expect(settleEpisode(state, RULE, T0, T0 + 10 * MIN - 1).kind).toBe('wait');
    const settled = settleEpisode(state, RULE, T0, T0 + 10 * MIN);
    expect(settled).toMatchObject({ kind: 'resolve', resolution: { resolvedAt: T0 + 10 * MIN } });
    expect(settled.kind === 'resolve' && settled.state.episode).toBeUndefined();
  });

  it('stays open while the throttle holds back matches that still meet the threshold', () => {
    // Arrange / Act: fired at 13:00, three more at 13:05 (throttled, but a window of 3)
    const { state, applied } = run([
      { at: T0, matches: hits(3, T0) },
      { at: T0 + 5 * MIN, matches: hits(3, T0 + 5 * MIN) },
    ]);

    // Assert
    expect(applied[1]?.outcome).toEqual({ kind: 'suppressed', by: 'throttle' });
    expect(state.episode).toMatchObject({ lastBreachAt: T0 + 5 * MIN, rows: 6, firings: 1 });
    expect(settleEpisode(state, RULE, T0, T0 + 10 * MIN).kind).toBe('wait');
    expect(settleEpisode(state, RULE, T0, T0 + 15 * MIN)).toMatchObject({
      kind: 'resolve',
      resolution: { resolvedAt: T0 + 15 * MIN, episode: { rows: 6 } },
    });
  });

  it('counts matches under the threshold in its totals without holding it open', () => {
    // Arrange / Act: fired at 13:00 on three events of 12:55; one event of 13:06 shares no window of 3
    const { state, applied } = run([
      { at: T0, matches: hits(3, T0 - 5 * MIN, T0) },
      { at: T0 + 6 * MIN, matches: hits(1, T0 + 6 * MIN) },
    ]);

    // Assert
    expect(applied[1]?.outcome).toEqual({ kind: 'suppressed', by: 'throttle' });
    expect(state.episode).toMatchObject({ lastBreachAt: T0, rows: 4 });
    expect(settleEpisode(state, RULE, T0, T0 + 10 * MIN)).toMatchObject({
      kind: 'resolve',
      resolution: { resolvedAt: T0 + 10 * MIN },
    });
  });

  it('sends one notice per alert e-mail when a group flaps: a breach inside the throttle opens none', () => {
    // Arrange: threshold 1, window 10, throttle 15
    const rule = ruleOf({ WindowMinutes: 10, ThrottleMinutes: 15 });

    // Act: fire 13:00; quiet, resolved 13:10; a match at 13:12 (throttled); one at 13:16 fires again
    const first = run([{ at: T0, matches: hits(1, T0) }], rule);
    const resolved = settleEpisode(first.state, rule, T0, T0 + 10 * MIN);
    const after = resolved.kind === 'resolve' ? resolved.state : first.state;
    const again = run(
      [
        { at: T0 + 12 * MIN, matches: hits(1, T0 + 12 * MIN) },
        { at: T0 + 16 * MIN, matches: hits(1, T0 + 16 * MIN) },
      ],
      rule,
      after,
    );

    // Assert
    expect(resolved.kind).toBe('resolve');
    expect(again.applied.map((a) => [a.outcome.kind, a.openedEpisode ?? false])).toEqual([
      ['suppressed', false],
      ['fired', true],
    ]);
    expect(again.state.episode).toMatchObject({ since: T0 + 16 * MIN, rows: 1, firings: 1 });
  });

  it('is resolved by a delivery that comes after its quiet window, as of that window, before the delivery counts', () => {
    // Arrange: threshold 1, window 10, no throttle; fired at 13:00, nobody resolved it by 13:14
    const rule = ruleOf({ WindowMinutes: 10, ThrottleMinutes: 0 });
    const { state } = run([{ at: T0, matches: hits(1, T0) }], rule);

    // Act: a blob at 13:14 that fires again
    const late = applyDelivery(state, hits(2, T0 + 14 * MIN), rule, T0 + 14 * MIN);

    // Assert: the old alert resolved at 13:10 with its own totals; the new one starts at 13:14
    expect(late.resolved).toMatchObject({ resolvedAt: T0 + 10 * MIN, episode: { since: T0, rows: 1 } });
    expect(late.outcome.kind).toBe('fired');
    expect(late.state.episode).toMatchObject({ since: T0 + 14 * MIN, rows: 2 });
  });

  it('is not held open by a late blob of old events that meet no threshold with the episode', () => {
    // Arrange / Act: fired at 13:00; at 13:05 a blob of three events from 10:00, three hours late
    const { state } = run([
      { at: T0, matches: hits(3, T0) },
      { at: T0 + 5 * MIN, matches: hits(3, T0 - 3 * 60 * MIN, T0 + 5 * MIN) },
    ]);

    // Assert: counted in the totals, the last breach still 13:00
    expect(state.episode).toMatchObject({ lastBreachAt: T0, rows: 6, firstEventAt: T0 - 3 * 60 * MIN });
    expect(settleEpisode(state, RULE, T0, T0 + 10 * MIN).kind).toBe('resolve');
  });

  it('restarts its quiet window when the clock went back, instead of waiting for the clock to catch up', () => {
    // Arrange: the alert fired with the clock two hours ahead
    const ahead = T0 + 2 * 60 * MIN;
    const { state } = run([{ at: ahead, matches: hits(3, ahead) }]);

    // Act: the clock is back at 13:10
    const restamp = settleEpisode(state, RULE, ahead, T0 + 10 * MIN);
    const restamped = restamp.kind === 'restamp' ? restamp.state : state;

    // Assert
    expect(restamp).toMatchObject({ kind: 'restamp', state: { episode: { lastBreachAt: T0 + 10 * MIN } } });
    expect(settleEpisode(restamped, RULE, ahead, T0 + 19 * MIN).kind).toBe('wait');
    expect(settleEpisode(restamped, RULE, ahead, T0 + 20 * MIN)).toMatchObject({
      kind: 'resolve',
      resolution: { resolvedAt: T0 + 20 * MIN },
    });
  });

  it('takes a last breach a few minutes ahead of the clock (skew between instances) at its word', () => {
    // Arrange: stamped at 13:03 by an instance whose clock runs 3 minutes ahead
    const { state } = run([{ at: T0 + 3 * MIN, matches: hits(3, T0) }]);

    // Act / Assert: no restamp; due at 13:13
    expect(settleEpisode(state, RULE, T0 + 3 * MIN, T0).kind).toBe('wait');
    expect(settleEpisode(state, RULE, T0 + 3 * MIN, T0 + 12 * MIN).kind).toBe('wait');
    expect(settleEpisode(state, RULE, T0 + 3 * MIN, T0 + 13 * MIN).kind).toBe('resolve');
  });

  it('is dropped unannounced once the rule stops sending notices, and none opens', () => {
    // Arrange
    const { state } = run([{ at: T0, matches: hits(3, T0) }]);
    const quiet = ruleOf({ Threshold: 3, WindowMinutes: 10, ThrottleMinutes: 0, NotifyResolved: false });

    // Act
    const next = applyDelivery(state, hits(3, T0 + 2 * MIN), quiet, T0 + 2 * MIN);

    // Assert
    expect(next.outcome.kind).toBe('fired');
    expect(next.state.episode).toBeUndefined();
    expect(next.resolved).toBeUndefined();
    expect(settleEpisode(state, quiet, T0, T0 + MIN).kind).toBe('close');
  });

  it('names a state that holds another episode, or none, stale', () => {
    const { state } = run([{ at: T0, matches: hits(3, T0) }]);
    expect(settleEpisode(state, RULE, T0 - MIN, T0 + 20 * MIN).kind).toBe('stale');
    expect(settleEpisode(EMPTY_STATE, RULE, T0, T0 + 20 * MIN).kind).toBe('stale');
  });
});

describe('muting', () => {
  const MUTED_GROUP: AlertState = { ...EMPTY_STATE, muteUntil: T0 + 30 * MIN };

  it('counts a muted group’s matches and sends nothing, then reports them with the next e-mail', () => {
    // Arrange / Act: muted until 13:30; 2 + 4 matches while muted; 3 after
    const rule = ruleOf({ ThrottleMinutes: 0 });
    const { applied, state } = run(
      [
        { at: T0 + 5 * MIN, matches: hits(2, T0 + 5 * MIN) },
        { at: T0 + 10 * MIN, matches: hits(4, T0 + 10 * MIN) },
        { at: T0 + 31 * MIN, matches: hits(3, T0 + 31 * MIN) },
      ],
      rule,
      MUTED_GROUP,
    );

    // Assert
    expect(applied.map((a) => a.outcome)).toEqual([
      { kind: 'suppressed', by: 'mute' },
      { kind: 'suppressed', by: 'mute' },
      {
        kind: 'fired',
        suppressed: { rows: 0, weighted: 0 },
        windowWeighted: 3,
        muted: { rows: 6, weighted: 6, since: T0 + 5 * MIN },
      },
    ]);
    expect(state.muted).toBeUndefined();
    expect(state.muteUntil).toBeUndefined();
  });

  it('holds every group of a muted rule, the throttle aside', () => {
    // Act
    const muted = applyDelivery(EMPTY_STATE, hits(3, T0), RULE, T0, true);

    // Assert
    expect(muted.outcome).toEqual({ kind: 'suppressed', by: 'mute' });
    expect(muted.state).toMatchObject({ muted: { rows: 3, weighted: 3, since: T0 }, suppressed: { rows: 0 } });
    expect(muted.state.lastFiredAt).toBeUndefined();
  });

  it('holds a RESOLVED notice due while muted, and lets a breach during the mute carry the alert on', () => {
    // Arrange: fired 13:00, the group muted from 13:02 to 13:30
    const fired = run([{ at: T0, matches: hits(3, T0) }]).state;
    const muted: AlertState = { ...fired, muteUntil: T0 + 30 * MIN };

    // Act
    const held = settleEpisode(muted, RULE, T0, T0 + 15 * MIN);
    const quietDelivery = applyDelivery(muted, hits(1, T0 + 16 * MIN), RULE, T0 + 16 * MIN);
    const breach = applyDelivery(muted, hits(3, T0 + 16 * MIN), RULE, T0 + 16 * MIN);
    const after = settleEpisode(quietDelivery.state, RULE, T0, T0 + 30 * MIN);

    // Assert
    expect(held).toEqual({ kind: 'held', mute: { by: 'group', until: T0 + 30 * MIN } });
    expect(quietDelivery.resolved).toBeUndefined();
    expect(quietDelivery.state.episode).toEqual(muted.episode);
    expect(breach.state.episode).toMatchObject({ lastBreachAt: T0 + 16 * MIN, rows: 6 });
    expect(after).toMatchObject({ kind: 'resolve', resolution: { resolvedAt: T0 + 10 * MIN } });
  });

  it.each([
    // A nightly quiet time 22:00–08:00 on the rule's clock, at the edges of the DST nights of 2024.
    ['Europe/Berlin', '2024-03-30T20:59:59Z', undefined],
    ['Europe/Berlin', '2024-03-30T21:00:00Z', '2024-03-31T06:00:00.000Z'],
    ['Europe/Berlin', '2024-03-31T06:00:00Z', undefined],
    ['Europe/Berlin', '2024-10-27T06:59:59Z', '2024-10-27T07:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T07:00:00Z', undefined],
    ['America/New_York', '2024-03-10T11:59:59Z', '2024-03-10T12:00:00.000Z'],
    ['America/New_York', '2024-03-10T12:00:00Z', undefined],
    ['America/New_York', '2024-11-03T12:59:59Z', '2024-11-03T13:00:00.000Z'],
    ['America/New_York', '2024-11-03T13:00:00Z', undefined],
  ])('reads MuteSchedule in %s: at %s muted until %s', (zone, now, until) => {
    // Arrange
    const rule = ruleOf({ WindowMinutes: 10, MuteSchedule: '0 0 22 * * *', MuteMinutes: 600, TimeZone: zone });

    // Act
    const mute = ruleMuteAt(rule.notifications, Date.parse(now));

    // Assert
    expect(mute === undefined ? undefined : `${mute.by} ${new Date(mute.until).toISOString()}`).toBe(
      until === undefined ? undefined : `schedule ${until}`,
    );
  });

  it('takes the longer of the rule’s mute and the group’s', () => {
    const rule = ruleOf({ MuteUntil: new Date(T0 + 20 * MIN).toISOString() });
    expect(muteAt(rule.notifications, MUTED_GROUP, T0)).toEqual({ by: 'group', until: T0 + 30 * MIN });
    expect(muteAt(rule.notifications, { muteUntil: T0 + 10 * MIN }, T0)).toEqual({ by: 'rule', until: T0 + 20 * MIN });
    expect(muteAt(rule.notifications, MUTED_GROUP, T0 + 30 * MIN)).toBeUndefined();
  });
});

describe('the stored state', () => {
  it('round-trips an episode, a group mute and the matches held while muted, as version 3', () => {
    // Arrange
    const { state } = run([
      { at: T0, matches: hits(3, T0) },
      { at: T0 + 5 * MIN, matches: hits(2, T0 + 5 * MIN), muted: true },
    ]);
    const withMute: AlertState = { ...state, muteUntil: T0 + 60 * MIN };

    // Act
    const text = serializeState(withMute);

    // Assert
    expect(JSON.parse(text)).toMatchObject({ v: 3, u: T0 + 60 * MIN, h: [2, 2, T0 + 5 * MIN] });
    expect(parseState(text)).toEqual(withMute);
  });

  it('writes a state without them as version 2, which builds before episodes read', () => {
    const { state } = run([{ at: T0, matches: hits(1, T0) }], ruleOf({ ThrottleMinutes: 0 }));
    expect(JSON.parse(serializeState(state))).toMatchObject({ v: 2 });
    expect(parseState(serializeState(state))).toEqual(state);
  });

  it.each([
    [
      'an episode without its first firing',
      '{"v":3,"m":{},"s":[0,0],"e":{"b":1,"r":1,"w":1,"n":1,"m":{},"o":["a","f","b"]}}',
      'e.since is not a number',
    ],
    [
      'an episode without its source',
      '{"v":3,"m":{},"s":[0,0],"e":{"s":1,"b":1,"r":1,"w":1,"n":1,"m":{}}}',
      'e.app is not text',
    ],
    ['a mute that is not a time', '{"v":3,"m":{},"s":[0,0],"u":"soon"}', 'u is not a number'],
    ['a newer version', '{"v":4,"m":{},"s":[0,0]}', 'this build reads versions 1 to 3'],
  ])('refuses %s', (_case, text, message) => {
    expect(() => parseState(text)).toThrow(message);
  });
});
