import { at } from '../defined';

/** Weighted matches per minute (epoch minutes, as text keys): what windows are counted on. */
export type MinuteCounts = Readonly<Record<string, number>>;

/** Merges a delivery's minutes in and drops every minute before `oldest`: a state's size bound. */
export function addMinutes(
  stored: MinuteCounts,
  added: ReadonlyMap<number, number>,
  oldest: number,
): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const [key, weight] of Object.entries(stored)) if (Number(key) >= oldest) merged[key] = weight;
  for (const [minute, weight] of added) if (minute >= oldest) merged[minute] = (merged[minute] ?? 0) + weight;
  return merged;
}

/**
 * The largest weighted count of any window of `width` minutes that holds a minute of this delivery.
 * The best window can always start at a stored minute, so only those starts are tried, with prefix sums.
 */
export function busiestWindow(minutes: MinuteCounts, touched: ReadonlyMap<number, number>, width: number): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const minute of touched.keys()) {
    lo = Math.min(lo, minute - width + 1);
    hi = Math.max(hi, minute + width);
  }
  // Only minutes a window around this delivery's can reach matter: sorting just those keeps a
  // week-long window's decision cheap.
  const keys = Object.keys(minutes)
    .map(Number)
    .filter((k) => k >= lo && k < hi)
    .sort((a, b) => a - b);
  const prefix = [0];
  let running = 0;
  for (const key of keys) prefix.push((running += minutes[key] ?? 0));
  let best = 0;
  for (const minute of touched.keys()) {
    for (let i = lowerBound(keys, minute - width + 1); i < keys.length && at(keys, i, 'minutes') <= minute; i++) {
      const end = lowerBound(keys, at(keys, i, 'minutes') + width);
      best = Math.max(best, at(prefix, end, 'running counts') - at(prefix, i, 'running counts'));
    }
  }
  return best;
}

/** Index of the first key ≥ value. */
function lowerBound(keys: readonly number[], value: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(keys, mid, 'minutes') < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
