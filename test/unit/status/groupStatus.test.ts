import { EMPTY_STATE, type FiringPolicy } from '../../../shared/core/alerts/alertState';
import {
  episodeText,
  groupStatusOf,
  muteText,
  type StoredGroupState,
  throttleText,
  windowText,
} from '../../../shared/core/status/groupStatus';

const MIN = 60_000;
const NOW = Date.UTC(2024, 2, 5, 13, 50);
const minute = (ms: number) => String(Math.floor(ms / MIN));

function stored(state: Partial<StoredGroupState['state']> = {}): StoredGroupState {
  return {
    ruleKey: 'shop-prod/checkout-5xx',
    groupKey: '[["tenant","acme"]]',
    updatedAt: NOW - MIN,
    state: { ...EMPTY_STATE, ...state },
  };
}

const WINDOWED: FiringPolicy = { threshold: 10, windowMinutes: 10, throttleMinutes: 30 };

describe('rules status of a group', () => {
  it('says until when the throttle holds and how many matches it held back', () => {
    // Arrange: fired 15 minutes ago, 12 matches (weight 30) suppressed since
    const group = stored({
      lastFiredAt: NOW - 15 * MIN,
      suppressed: { rows: 12, weighted: 30, since: NOW - 10 * MIN },
    });

    // Act
    const status = groupStatusOf(group, WINDOWED, NOW);

    // Assert
    expect(status).toMatchObject({ group: 'tenant=acme', quietUntil: NOW + 15 * MIN, threshold: 10 });
    expect(throttleText(status, NOW)).toBe('quiet until 14:05 UTC, 12 matches held (weight 30)');
  });

  it.each([
    ['never fired', {}, 'not throttled (never fired)'],
    ['fired before the throttle', { lastFiredAt: NOW - 40 * MIN }, 'not throttled (last fired 13:10 UTC)'],
    [
      'fired, throttle over, matches held',
      { lastFiredAt: NOW - 40 * MIN, suppressed: { rows: 1, weighted: 1 } },
      'not throttled (last fired 13:10 UTC); 1 match held for the next e-mail',
    ],
    ['a last firing far ahead of the clock', { lastFiredAt: NOW + 60 * MIN }, 'not throttled (last fired 14:50 UTC)'],
  ])('reads %s as %j', (_case, state, text) => {
    expect(throttleText(groupStatusOf(stored(state), WINDOWED, NOW), NOW)).toBe(text);
  });

  it('counts the weighted matches of the last WindowMinutes against the threshold', () => {
    // Arrange: 4 now, 3 nine minutes ago, 5 ten minutes ago (outside), 2 a minute ahead (not yet)
    const group = stored({
      minutes: {
        [minute(NOW)]: 4,
        [minute(NOW - 9 * MIN)]: 3,
        [minute(NOW - 10 * MIN)]: 5,
        [minute(NOW + MIN)]: 2,
      },
    });

    // Act / Assert
    expect(windowText(groupStatusOf(group, WINDOWED, NOW))).toBe('7 of threshold 10 in the last 10 minutes');
  });

  it.each([
    [{ threshold: 5, windowMinutes: 0, throttleMinutes: 15 }, 'threshold 5 per delivery (no window)'],
    [{ threshold: 2, windowMinutes: 1, throttleMinutes: 15 }, '0 of threshold 2 in the last minute'],
    ['removed' as const, 'rule removed from the rules table'],
    ['invalid' as const, 'rule invalid: not evaluated (rules validate)'],
  ])('describes the window of policy %j as %j', (policy, text) => {
    expect(windowText(groupStatusOf(stored(), policy, NOW))).toBe(text);
  });
});

describe('rules status of a muted group, and of an open alert (issue 15)', () => {
  const EPISODE = {
    since: NOW - 30 * MIN,
    lastBreachAt: NOW - 4 * MIN,
    rows: 40,
    weighted: 40,
    firings: 2,
    minutes: {},
    source: { appName: 'shop-prod', folder: 'shop-prod_0f1e', blobName: 'a.blob' },
  };

  it.each([
    ['neither muted nor holding anything', {}, undefined, '-'],
    [
      'muted on its own, matches held',
      { muteUntil: NOW + 20 * MIN, muted: { rows: 3, weighted: 3, since: NOW - 5 * MIN } },
      undefined,
      'muted until 14:10 UTC (group), 3 matches held',
    ],
    [
      'muted by the rule’s MuteUntil',
      {},
      { by: 'rule' as const, until: NOW + 60 * MIN },
      'muted until 14:50 UTC (MuteUntil)',
    ],
    [
      'muted by the longer of its own and its rule’s',
      { muteUntil: NOW + 90 * MIN },
      { by: 'schedule' as const, until: NOW + 60 * MIN },
      'muted until 15:20 UTC (group)',
    ],
    [
      'no longer muted, matches still held',
      { muted: { rows: 1, weighted: 1 } },
      undefined,
      'not muted; 1 match held for the next e-mail',
    ],
    ['past its own mute', { muteUntil: NOW - MIN }, undefined, '-'],
  ])('says %s', (_case, state, ruleMute, text) => {
    expect(muteText(groupStatusOf(stored(state), WINDOWED, NOW, ruleMute), NOW)).toBe(text);
  });

  it.each([
    ['no open alert', {}, undefined, '-'],
    [
      'an open alert',
      { episode: EPISODE },
      undefined,
      'firing since 13:20 UTC (2 e-mails); resolves 13:56 UTC if quiet',
    ],
    [
      'an alert quiet for a window',
      { episode: { ...EPISODE, lastBreachAt: NOW - 10 * MIN } },
      undefined,
      'firing since 13:20 UTC (2 e-mails); quiet since 13:50 UTC: RESOLVED at the next maintenance run',
    ],
    [
      'an alert quiet while muted',
      { episode: { ...EPISODE, lastBreachAt: NOW - 10 * MIN } },
      { by: 'rule' as const, until: NOW + MIN },
      'firing since 13:20 UTC (2 e-mails); quiet since 13:50 UTC: RESOLVED held by the mute',
    ],
  ])('says of %s', (_case, state, ruleMute, text) => {
    expect(episodeText(groupStatusOf(stored(state), WINDOWED, NOW, ruleMute), NOW)).toBe(text);
  });

  it('says of the open alert of a removed rule that no notice comes while it is removed', () => {
    expect(episodeText(groupStatusOf(stored({ episode: EPISODE }), 'removed', NOW), NOW)).toBe(
      'firing since 13:20 UTC (2 e-mails); no notice while the rule is removed',
    );
  });
});
