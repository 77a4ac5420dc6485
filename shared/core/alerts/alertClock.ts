/**
 * Late data: export can deliver rows hours after their event time. An event up to this long before its
 * deposit still counts in its own minute; windows keep this much slack behind the newest deposit.
 */
export const LATE_DATA_MINUTES = 24 * 60;
/**
 * An event stamped up to this long after its deposit is taken at its word (clock skew between a client
 * and the export). Anything later is a wrong clock.
 */
export const FUTURE_SKEW_MINUTES = 5;
/** A last firing this far ahead of the app's clock means the clock went back: it throttles nothing. */
export const CLOCK_BACK_MS = 5 * 60_000;

/**
 * The minute an event counts in. Its own minute when that is plausible, that is within
 * [deposit − LATE_DATA_MINUTES, deposit + FUTURE_SKEW_MINUTES]; otherwise, and for an event without a
 * usable time, the deposit minute. So one record stamped years ahead (or behind) still counts, in the
 * minute the data arrived, and can never move a window away from real time.
 */
export function placeEventMinute(eventAt: number, depositedAt: number): number {
  const deposit = Math.floor(depositedAt / 60_000);
  if (!Number.isFinite(eventAt)) return deposit;
  const minute = Math.floor(eventAt / 60_000);
  return minute < deposit - LATE_DATA_MINUTES || minute > deposit + FUTURE_SKEW_MINUTES ? deposit : minute;
}
