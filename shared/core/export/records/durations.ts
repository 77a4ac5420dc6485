import type { Columns } from './read';
import { asNumber, asObject } from './read';

/** Export durations are ticks of 100 ns: "10 000 ticks = 1 ms". */
const TICKS_PER_MS = 10_000;

/**
 * The duration of one item, in milliseconds, from a metric-value object (`durationMetric`,
 * `clientPerformance.total`, ...).
 *
 * NOTE: for a sampled item (`count` 25 with `samplingRate` 4) the export scales `value` by the count
 * (`value = sampledValue × count`) while `sampledValue` stays the item's own duration, so `sampledValue`
 * wins. Without it, `value` is divided by the metric's `count`, or by the item's `count` when the metric
 * has none.
 *
 * @param itemCount - the item's `count`, used only when the metric object lacks both `sampledValue` and `count`.
 * @returns milliseconds, or undefined when the object or its numbers are missing.
 */
export function metricMs(metric: unknown, itemCount: number | undefined): number | undefined {
  const m = asObject(metric);
  if (m === undefined) return undefined;
  const sampled = asNumber(m.sampledValue);
  if (sampled !== undefined) return sampled / TICKS_PER_MS;
  const value = asNumber(m.value);
  if (value === undefined) return undefined;
  const metricCount = asNumber(m.count);
  const divisor = metricCount !== undefined ? metricCount : itemCount;
  return divisor !== undefined && divisor > 1 ? value / divisor / TICKS_PER_MS : value / TICKS_PER_MS;
}

/**
 * The Log Analytics `performanceBucket` of a duration: lower bound inclusive, upper bound exclusive.
 */
export function performanceBucket(ms: number): string {
  if (ms < 250) return '<250ms';
  if (ms < 500) return '250ms-500ms';
  if (ms < 1_000) return '500ms-1sec';
  if (ms < 3_000) return '1sec-3sec';
  if (ms < 7_000) return '3sec-7sec';
  if (ms < 15_000) return '7sec-15sec';
  if (ms < 30_000) return '15sec-30sec';
  if (ms < 60_000) return '30sec-1min';
  if (ms < 120_000) return '1min-2min';
  if (ms < 300_000) return '2min-5min';
  return '>=5min';
}

/** Sets `duration` and `performanceBucket` from a `durationMetric`, or neither when it has no duration. */
export function setDuration(columns: Columns, metric: unknown, itemCount: number | undefined): void {
  const ms = metricMs(metric, itemCount);
  if (ms === undefined) return;
  columns.duration = ms;
  columns.performanceBucket = performanceBucket(ms);
}
