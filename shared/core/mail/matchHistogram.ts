/** Matches per column of time, for the chart of an alert e-mail. */
export interface MatchHistogram {
  /** Epoch minute the first column starts at. */
  readonly startMinute: number;
  /** Minutes one column covers: 1, or a round step (5, 10, 30, 60, …) when the span is longer. */
  readonly minutesPerColumn: number;
  /** Weighted matches per column, oldest first; at most MAX_HISTOGRAM_COLUMNS. */
  readonly counts: readonly number[];
  /** Weighted matches before the first column (for a window, the delivery's matches outside it). */
  readonly before: number;
}

/** Columns one chart has at most: readable at 600 px, and bounded whatever the window. */
export const MAX_HISTOGRAM_COLUMNS = 60;
/** A delivery's chart spans at least this many minutes, so a blob of one minute still shows its context. */
export const MIN_HISTOGRAM_MINUTES = 10;
const STEPS = [1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440];

/**
 * The chart of a bucket's per-minute matches (epoch minute → weighted matches, as the MatchCollector
 * keeps them): for a windowed rule the window ending at the latest minute, else the delivery's minutes
 * (at least MIN_HISTOGRAM_MINUTES). Longer spans share columns, so the chart stays within
 * MAX_HISTOGRAM_COLUMNS however long the window or the delivery.
 *
 * @returns undefined when there is no minute to show
 */
export function matchHistogram(
  minutes: ReadonlyMap<number, number>,
  windowMinutes: number,
): MatchHistogram | undefined {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const minute of minutes.keys()) {
    if (!Number.isSafeInteger(minute)) continue;
    first = Math.min(first, minute);
    last = Math.max(last, minute);
  }
  if (!Number.isFinite(last)) return undefined;
  const span = windowMinutes > 0 ? windowMinutes : Math.max(last - first + 1, MIN_HISTOGRAM_MINUTES);
  const step = span <= MAX_HISTOGRAM_COLUMNS ? 1 : roundStep(Math.ceil(span / (MAX_HISTOGRAM_COLUMNS - 1)));
  // Columns start at multiples of their step (13:00, 13:05, …), the last one holding the latest minute.
  const lastColumn = Math.floor(last / step);
  const firstColumn = Math.floor((last - span + 1) / step);
  const startMinute = firstColumn * step;
  const counts = new Array<number>(lastColumn - firstColumn + 1).fill(0);
  let before = 0;
  for (const [minute, weight] of minutes) {
    if (!Number.isSafeInteger(minute) || !(weight > 0)) continue;
    if (minute < startMinute) before += weight;
    else {
      const column = Math.floor(minute / step) - firstColumn;
      counts[column] = (counts[column] ?? 0) + weight;
    }
  }
  return { startMinute, minutesPerColumn: step, counts, before };
}

function roundStep(minutes: number): number {
  return STEPS.find((step) => step >= minutes) ?? Math.ceil(minutes / 1440) * 1440;
}
