import fc from 'fast-check';

import { applyBlobMatches, EMPTY_STATE, type AlertState, type BlobMatches, type FiringPolicy } from '../../../shared/alerts/alertState';

const MIN = 60_000;
const T0 = Date.UTC(2024, 2, 5, 13, 0);
const minuteOf = (ms: number) => Math.floor(ms / MIN);

function blob(key: string, perMinute: Array<[number, number]>, weightOf = (n: number) => n): BlobMatches {
  const minutes = new Map<number, number>();
  let rows = 0;
  let weighted = 0;
  for (const [offset, n] of perMinute) {
    minutes.set(minuteOf(T0) + offset, (minutes.get(minuteOf(T0) + offset) ?? 0) + weightOf(n));
    rows += n;
    weighted += weightOf(n);
  }
  return { blobKey: key, ledgerKey: `L-${key}`, rows, weighted, minutes };
}

const PER_BLOB: FiringPolicy = { threshold: 1, windowMinutes: 0, throttleMinutes: 15 };

describe('applyBlobMatches', () => {
  it('fires on the first match of a default rule', () => {
    const { outcome } = applyBlobMatches(EMPTY_STATE, blob('a', [[0, 3]]), PER_BLOB, T0);
    expect(outcome).toEqual({ blobKey: 'a', kind: 'fired', ledgerKey: 'L-a', suppressed: { rows: 0, weighted: 0 }, windowWeighted: 3 });
  });

  it('repeats the first outcome and changes nothing when the same blob comes again', () => {
    const first = applyBlobMatches(EMPTY_STATE, blob('a', [[0, 3]]), PER_BLOB, T0);
    const again = applyBlobMatches(first.state, blob('a', [[0, 3]]), PER_BLOB, T0 + MIN);
    expect(again).toEqual({ state: first.state, outcome: first.outcome, changed: false });
  });

  it('suppresses matches inside the throttle and reports them with the next e-mail', () => {
    // Arrange
    let state: AlertState = applyBlobMatches(EMPTY_STATE, blob('a', [[0, 1]]), PER_BLOB, T0).state;

    // Act
    const b = applyBlobMatches(state, blob('b', [[1, 4]]), PER_BLOB, T0 + 5 * MIN);
    state = b.state;
    const c = applyBlobMatches(state, blob('c', [[2, 2]]), PER_BLOB, T0 + 10 * MIN);
    state = c.state;
    const d = applyBlobMatches(state, blob('d', [[20, 1]]), PER_BLOB, T0 + 15 * MIN);

    // Assert
    expect([b.outcome.kind, c.outcome.kind]).toEqual(['suppressed', 'suppressed']);
    expect(d.outcome).toMatchObject({ kind: 'fired', suppressed: { rows: 6, weighted: 6, since: T0 + 5 * MIN } });
    expect(d.state.suppressed).toEqual({ rows: 0, weighted: 0 });
  });

  it('fires when a threshold is reached across three blobs within the window', () => {
    const policy: FiringPolicy = { threshold: 5, windowMinutes: 10, throttleMinutes: 15 };
    const a = applyBlobMatches(EMPTY_STATE, blob('a', [[0, 2]]), policy, T0);
    const b = applyBlobMatches(a.state, blob('b', [[4, 2]]), policy, T0 + MIN);
    const c = applyBlobMatches(b.state, blob('c', [[9, 1]]), policy, T0 + 2 * MIN);
    expect([a.outcome.kind, b.outcome.kind, c.outcome.kind]).toEqual(['counted', 'counted', 'fired']);
    expect(c.outcome).toMatchObject({ windowWeighted: 5 });
    expect(c.state.minutes).toEqual({});
  });

  it('does not fire when the matches are spread wider than the window', () => {
    const policy: FiringPolicy = { threshold: 3, windowMinutes: 10, throttleMinutes: 15 };
    const a = applyBlobMatches(EMPTY_STATE, blob('a', [[0, 2]]), policy, T0);
    const b = applyBlobMatches(a.state, blob('b', [[10, 2]]), policy, T0 + MIN);
    expect(b.outcome).toEqual({ blobKey: 'b', kind: 'counted', windowWeighted: 2 });
  });

  it('counts late data into its own minutes, before the newest ones', () => {
    const policy: FiringPolicy = { threshold: 3, windowMinutes: 5, throttleMinutes: 15 };
    const a = applyBlobMatches(EMPTY_STATE, blob('a', [[60, 1]]), policy, T0);
    const late = applyBlobMatches(a.state, blob('late', [[0, 1], [2, 1]]), policy, T0 + MIN);
    const later = applyBlobMatches(late.state, blob('later', [[4, 1]]), policy, T0 + 2 * MIN);
    expect([late.outcome.kind, later.outcome.kind]).toEqual(['counted', 'fired']);
  });

  it('weighs sampled matches by itemCount', () => {
    const policy: FiringPolicy = { threshold: 100, windowMinutes: 0, throttleMinutes: 0 };
    const { outcome } = applyBlobMatches(EMPTY_STATE, blob('a', [[0, 4]], (n) => n * 25), policy, T0);
    expect(outcome).toMatchObject({ kind: 'fired', windowWeighted: 100 });
  });

  it('forgets the oldest blobs beyond its memory but keeps the newest', () => {
    let state = EMPTY_STATE;
    for (let i = 0; i < 250; i++) state = applyBlobMatches(state, blob(`b${i}`, [[0, 1]]), { ...PER_BLOB, throttleMinutes: 60 }, T0).state;
    expect(state.blobs).toHaveLength(200);
    expect(state.blobs[199]?.blobKey).toBe('b249');
  });

  it('agrees with a brute-force window count for random blobs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
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
                best = Math.max(best, pending.filter(([x]) => x >= s && x < s + width).reduce((a, [, n]) => a + n, 0));
              }
            }
            const result = applyBlobMatches(state, blob(`b${i}`, perMinute), policy, T0 + i * MIN);
            expect(result.outcome.kind).toBe(best >= threshold ? 'fired' : 'counted');
            if (result.outcome.kind === 'fired') pending = [];
            state = result.state;
          });
        },
      ),
    );
  });
});
