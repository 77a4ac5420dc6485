/**
 * The key under which a record's `Date` may carry the ticks (100 ns) its text had past the
 * millisecond, so rule comparisons see Kusto's precision where a `Date` keeps only milliseconds. Set
 * by whoever builds the `Date` from text; a `Date` without it has none. Here, not in rules/, because
 * the export readers set it and the rules read it.
 */
export const SUB_MS_TICKS: unique symbol = Symbol('subMsTicks');

type DateWithTicks = Date & { [SUB_MS_TICKS]?: number };

/** Marks `date` as carrying `subMsTicks` (0..9999) past its milliseconds; returns the same `Date`. */
export function withSubMillisecondTicks(date: Date, subMsTicks: number): Date {
  if (subMsTicks !== 0) (date as DateWithTicks)[SUB_MS_TICKS] = subMsTicks;
  return date;
}

/** The ticks past the millisecond a `Date` was marked with, else 0. */
export function subMillisecondTicksOfDate(date: Date): number {
  return (date as DateWithTicks)[SUB_MS_TICKS] ?? 0;
}
