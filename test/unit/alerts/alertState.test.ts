import fc from 'fast-check';

import {
  type AlertState,
  applyDelivery,
  type DeliveryMatches,
  EMPTY_STATE,
  type FiringPolicy,
  FUTURE_SKEW_MINUTES,
  LATE_DATA_MINUTES,
  placeEventMinute,
} from '../../../shared/core/alerts/alertState';
import { parseState, serializeState } from '../../../shared/core/alerts/alertStateText';

const MIN = 60_000;
const T0 = Date.UTC(2024, 2, 5, 13, 0);
const minuteOf = (ms: number) => Math.floor(ms / MIN);

function blob(
  _key: string,
  perMinute: Array<[number, number]>,
  weightOf = (n: number) => n,
  depositedAt = T0 + 2 * 60 * MIN,
): DeliveryMatches {
  const minutes = new Map<number, number>();
  let rows = 0;
  let weighted = 0;
  for (const [offset, n] of perMinute) {
    minutes.set(minuteOf(T0) + offset, (minutes.get(minuteOf(T0) + offset) ?? 0) + weightOf(n));
    rows += n;
    weighted += weightOf(n);
  }
  return { rows, weighted, minutes, depositedAt };
}

const PER_BLOB: FiringPolicy = { threshold: 1, windowMinutes: 0, throttleMinutes: 15 };

describe('applyDelivery', () => {
  it('fires on the first match of a default rule', () => {
    const { outcome } = applyDelivery(EMPTY_STATE, blob('a', [[0, 3]]), PER_BLOB, T0);
    expect(outcome).toEqual({ kind: 'fired', suppressed: { rows: 0, weighted: 0 }, windowWeighted: 3 });
  });

  it('suppresses matches inside the throttle and reports them with the next e-mail', () => {
    // Arrange
    let state: AlertState = applyDelivery(EMPTY_STATE, blob('a', [[0, 1]]), PER_BLOB, T0).state;

    // Act
    const b = applyDelivery(state, blob('b', [[1, 4]]), PER_BLOB, T0 + 5 * MIN);
    state = b.state;
    const c = applyDelivery(state, blob('c', [[2, 2]]), PER_BLOB, T0 + 10 * MIN);
    state = c.state;
    const d = applyDelivery(state, blob('d', [[20, 1]]), PER_BLOB, T0 + 15 * MIN);

    // Assert
    expect([b.outcome.kind, c.outcome.kind]).toEqual(['suppressed', 'suppressed']);
    expect(d.outcome).toMatchObject({ kind: 'fired', suppressed: { rows: 6, weighted: 6, since: T0 + 5 * MIN } });
    expect(d.state.suppressed).toEqual({ rows: 0, weighted: 0 });
  });

  it('fires when a threshold is reached across three blobs within the window', () => {
    const policy: FiringPolicy = { threshold: 5, windowMinutes: 10, throttleMinutes: 15 };
    const a = applyDelivery(EMPTY_STATE, blob('a', [[0, 2]]), policy, T0);
    const b = applyDelivery(a.state, blob('b', [[4, 2]]), policy, T0 + MIN);
    const c = applyDelivery(b.state, blob('c', [[9, 1]]), policy, T0 + 2 * MIN);
    expect([a.outcome.kind, b.outcome.kind, c.outcome.kind]).toEqual(['counted', 'counted', 'fired']);
    expect(c.outcome).toMatchObject({ windowWeighted: 5 });
    expect(c.state.minutes).toEqual({});
  });

  it('does not fire when the matches are spread wider than the window', () => {
    const policy: FiringPolicy = { threshold: 3, windowMinutes: 10, throttleMinutes: 15 };
    const a = applyDelivery(EMPTY_STATE, blob('a', [[0, 2]]), policy, T0);
    const b = applyDelivery(a.state, blob('b', [[10, 2]]), policy, T0 + MIN);
    expect(b.outcome).toEqual({ kind: 'counted', windowWeighted: 2 });
  });

  it('counts late data into its own minutes, before the newest ones', () => {
    const policy: FiringPolicy = { threshold: 3, windowMinutes: 5, throttleMinutes: 15 };
    const a = applyDelivery(EMPTY_STATE, blob('a', [[60, 1]]), policy, T0);
    const late = applyDelivery(
      a.state,
      blob('late', [
        [0, 1],
        [2, 1],
      ]),
      policy,
      T0 + MIN,
    );
    const later = applyDelivery(late.state, blob('later', [[4, 1]]), policy, T0 + 2 * MIN);
    expect([late.outcome.kind, later.outcome.kind]).toEqual(['counted', 'fired']);
  });

  it('weighs sampled matches by itemCount', () => {
    const policy: FiringPolicy = { threshold: 100, windowMinutes: 0, throttleMinutes: 0 };
    const { outcome } = applyDelivery(
      EMPTY_STATE,
      blob('a', [[0, 4]], (n) => n * 25),
      policy,
      T0,
    );
    expect(outcome).toMatchObject({ kind: 'fired', windowWeighted: 100 });
  });

  it('keeps a state whose size does not grow with the number of deliveries', () => {
    // Arrange: 2,000 deliveries one minute apart, each below the threshold: past the window and the
    // day of late-data slack, the state stops growing.
    const policy: FiringPolicy = { threshold: 1e9, windowMinutes: 10, throttleMinutes: 0 };
    let state = EMPTY_STATE;
    const sizes: number[] = [];

    // Act
    for (let i = 0; i < 2_000; i++) {
      const at = T0 + i * MIN;
      state = applyDelivery(
        state,
        blob(`b${i}`, [[i, 1]], (n) => n, at + MIN),
        policy,
        at,
      ).state;
      if (i >= 1_500 && i % 100 === 0) sizes.push(serializeState(state).length);
    }

    // Assert: bounded by window + late slack + skew minutes, whatever the count of deliveries.
    expect(Object.keys(state.minutes).length).toBeLessThanOrEqual(
      policy.windowMinutes + LATE_DATA_MINUTES + FUTURE_SKEW_MINUTES + 1,
    );
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(100);
    expect(parseState(serializeState(state))).toEqual(state);
  });

  it('prunes from the deposit time, so one record stamped years ahead cannot silence a window', () => {
    // Arrange
    const policy: FiringPolicy = { threshold: 3, windowMinutes: 10, throttleMinutes: 0 };
    const deposit = T0 + 5 * MIN;
    const future = Date.UTC(2031, 0, 1);

    // Act: the wrong clock's record counts at the deposit minute; the real minutes stay.
    const a = applyDelivery(
      EMPTY_STATE,
      blob('a', [[0, 1]], (n) => n, deposit),
      policy,
      deposit,
    );
    const wrong = new Map([[placeEventMinute(future, deposit), 1]]);
    const b = applyDelivery(a.state, { rows: 1, weighted: 1, minutes: wrong, depositedAt: deposit }, policy, deposit);
    const c = applyDelivery(
      b.state,
      blob('c', [[2, 1]], (n) => n, deposit),
      policy,
      deposit,
    );

    // Assert
    expect(placeEventMinute(future, deposit)).toBe(minuteOf(deposit));
    expect([a.outcome.kind, b.outcome.kind, c.outcome.kind]).toEqual(['counted', 'counted', 'fired']);
  });

  it('places events: their own minute when plausible, the deposit minute otherwise', () => {
    const deposit = T0 + 60 * MIN;
    expect(placeEventMinute(T0, deposit)).toBe(minuteOf(T0));
    expect(placeEventMinute(deposit - LATE_DATA_MINUTES * MIN, deposit)).toBe(minuteOf(deposit) - LATE_DATA_MINUTES);
    expect(placeEventMinute(deposit - (LATE_DATA_MINUTES + 1) * MIN, deposit)).toBe(minuteOf(deposit));
    expect(placeEventMinute(deposit + FUTURE_SKEW_MINUTES * MIN, deposit)).toBe(
      minuteOf(deposit) + FUTURE_SKEW_MINUTES,
    );
    expect(placeEventMinute(deposit + (FUTURE_SKEW_MINUTES + 1) * MIN, deposit)).toBe(minuteOf(deposit));
    expect(placeEventMinute(Number.NaN, deposit)).toBe(minuteOf(deposit));
  });

  it('does not throttle when the last firing lies ahead of the clock (the clock went back)', () => {
    const fired = applyDelivery(EMPTY_STATE, blob('a', [[0, 1]]), PER_BLOB, T0 + 60 * MIN);
    const afterClockBack = applyDelivery(fired.state, blob('b', [[1, 1]]), PER_BLOB, T0);
    expect(afterClockBack.outcome.kind).toBe('fired');
  });

  it('reads the stored state of version 1 (with its list of applied blobs) and refuses what is not a state', () => {
    const v1 = JSON.stringify({
      minutes: { '28494780': 2 },
      lastFiredAt: T0,
      suppressed: { rows: 1, weighted: 1, since: T0 },
      blobs: [{ blobKey: 'x', kind: 'suppressed' }],
    });
    expect(parseState(v1)).toEqual({
      minutes: { '28494780': 2 },
      lastFiredAt: T0,
      suppressed: { rows: 1, weighted: 1, since: T0 },
    });
    expect(() => parseState('{"v":9}')).toThrow(/version 9/);
    expect(() => parseState('[]')).toThrow();
  });

  it('agrees with a brute-force window count for random blobs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 3 })), {
            minLength: 1,
            maxLength: 5,
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (blobs, width, threshold) => {
          const policy: FiringPolicy = { threshold, windowMinutes: width, throttleMinutes: 0 };
          let state = EMPTY_STATE;
          let pending: Array<[number, number]> = [];
          blobs.forEach((perMinute, i) => {
            pending = pending.concat(perMinute);
            const touched = new Set(perMinute.map(([m]) => m));
            let best = 0;
            for (const m of touched) {
              for (let s = m - width + 1; s <= m; s++) {
                best = Math.max(
                  best,
                  pending.filter(([x]) => x >= s && x < s + width).reduce((a, [, n]) => a + n, 0),
                );
              }
            }
            const result = applyDelivery(state, blob(`b${i}`, perMinute), policy, T0 + i * MIN);
            expect(result.outcome.kind).toBe(best >= threshold ? 'fired' : 'counted');
            if (result.outcome.kind === 'fired') pending = [];
            state = result.state;
          });
        },
      ),
    );
  });
});
