import { at } from '../defined';

/**
 * What is remembered per rule and group between deliveries: the windowed counts, the throttle and the
 * matches it held back. Nothing here grows with traffic: minutes outside the window (plus the late-data
 * slack) are dropped, and "was this delivery applied already" lives in the delivery's own record, not
 * here. Pure: storage and clock live elsewhere.
 */
export interface AlertState {
  /** Weighted matches per minute (epoch minutes) not yet consumed by a firing. */
  readonly minutes: Readonly<Record<string, number>>;
  /** The newest deposit minute applied: the anchor windows are pruned from. App-controlled, never event time. */
  readonly anchorMinute?: number;
  /** Wall-clock ms of the last firing. */
  readonly lastFiredAt?: number;
  readonly suppressed: SuppressedCounts;
}

export interface SuppressedCounts {
  readonly rows: number;
  readonly weighted: number;
  /** Wall-clock ms of the first suppressed match since the last e-mail. */
  readonly since?: number;
}

export type Outcome =
  | { readonly kind: 'fired'; readonly suppressed: SuppressedCounts; readonly windowWeighted: number }
  | { readonly kind: 'suppressed' }
  | { readonly kind: 'counted'; readonly windowWeighted: number };

/** One delivery's matches of one rule and group. */
export interface DeliveryMatches {
  readonly rows: number;
  readonly weighted: number;
  /** Weighted matches per minute (epoch minutes), already placed by `placeEventMinute`. */
  readonly minutes: ReadonlyMap<number, number>;
  /** The delivery's deposit time, epoch ms. */
  readonly depositedAt: number;
}

export interface FiringPolicy {
  readonly threshold: number;
  /** 0: the threshold applies to one delivery's matches. */
  readonly windowMinutes: number;
  readonly throttleMinutes: number;
}

export const EMPTY_STATE: AlertState = { minutes: {}, suppressed: { rows: 0, weighted: 0 } };

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

/**
 * Applies one delivery's matches to the state and says what happens: fire (once the threshold is met
 * and no throttle holds), count, or suppress (throttled). A firing consumes the windowed counts, so the
 * next e-mail needs `threshold` new matches. Idempotence is the caller's: each delivery is applied once,
 * guarded by its record.
 */
export function applyDelivery(
  state: AlertState,
  matches: DeliveryMatches,
  policy: FiringPolicy,
  now: number,
): { readonly state: AlertState; readonly outcome: Outcome } {
  const last = state.lastFiredAt;
  const throttled = last !== undefined && last <= now + CLOCK_BACK_MS && now < last + policy.throttleMinutes * 60_000;
  if (throttled) {
    const suppressed = {
      rows: state.suppressed.rows + matches.rows,
      weighted: state.suppressed.weighted + matches.weighted,
      since: state.suppressed.since ?? now,
    };
    return { state: { ...state, suppressed }, outcome: { kind: 'suppressed' } };
  }

  const depositMinute = Math.floor(matches.depositedAt / 60_000);
  const anchorMinute = Math.max(state.anchorMinute ?? depositMinute, depositMinute);
  let minutes: Record<string, number> = {};
  let windowWeighted = matches.weighted;
  if (policy.windowMinutes > 0) {
    minutes = addMinutes(state.minutes, matches.minutes, anchorMinute - policy.windowMinutes - LATE_DATA_MINUTES);
    windowWeighted = busiestWindow(minutes, matches.minutes, policy.windowMinutes);
  }
  if (windowWeighted < policy.threshold) {
    return { state: { ...state, minutes, anchorMinute }, outcome: { kind: 'counted', windowWeighted } };
  }
  const outcome: Outcome = { kind: 'fired', suppressed: state.suppressed, windowWeighted };
  return { state: { minutes: {}, anchorMinute, lastFiredAt: now, suppressed: { rows: 0, weighted: 0 } }, outcome };
}

/** Merges the delivery's minutes in and drops every minute before `oldest`: the state's size bound. */
function addMinutes(
  stored: Readonly<Record<string, number>>,
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
function busiestWindow(
  minutes: Readonly<Record<string, number>>,
  touched: ReadonlyMap<number, number>,
  width: number,
): number {
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

/** The stored form's version: 1 kept a list of applied blobs (dropped on read), 2 is this one. */
export const STATE_VERSION = 2;

/**
 * The state as stored: versioned JSON with minutes relative to the anchor, so a day of minutes stays
 * a few tens of KB.
 */
export function serializeState(state: AlertState): string {
  const anchor = state.anchorMinute ?? 0;
  const minutes: Record<string, number> = {};
  for (const [key, weight] of Object.entries(state.minutes)) minutes[(Number(key) - anchor).toString(36)] = weight;
  return JSON.stringify({
    v: STATE_VERSION,
    a: state.anchorMinute,
    m: minutes,
    f: state.lastFiredAt,
    s: [state.suppressed.rows, state.suppressed.weighted, state.suppressed.since],
  });
}

/**
 * Reads a stored state, either version. Anything that does not read as a state is an error: a state
 * silently reset would re-fire a throttled alert.
 */
export function parseState(text: string): AlertState {
  const raw: unknown = JSON.parse(text);
  if (raw === null || typeof raw !== 'object')
    throw new Error(`stored alert state is ${typeof raw}, expected an object`);
  const o = raw as Record<string, unknown>;
  if (o['v'] === STATE_VERSION) {
    const anchor = optionalNumber(o['a'], 'a');
    const minutes: Record<string, number> = {};
    for (const [key, weight] of Object.entries(objectOf(o['m'], 'm'))) {
      minutes[String(parseInt(key, 36) + (anchor ?? 0))] = numberOf(weight, `m.${key}`);
    }
    const s = Array.isArray(o['s']) ? (o['s'] as unknown[]) : [];
    const since = optionalNumber(s[2], 's.since');
    const lastFiredAt = optionalNumber(o['f'], 'f');
    return {
      minutes,
      ...(anchor === undefined ? {} : { anchorMinute: anchor }),
      ...(lastFiredAt === undefined ? {} : { lastFiredAt }),
      suppressed: {
        rows: numberOf(s[0] ?? 0, 's.rows'),
        weighted: numberOf(s[1] ?? 0, 's.weighted'),
        ...(since === undefined ? {} : { since }),
      },
    };
  }
  if (o['v'] === undefined && typeof o['minutes'] === 'object') {
    // Version 1 (before the applied-blob list was dropped): same fields, full minute keys.
    const minutes: Record<string, number> = {};
    for (const [key, weight] of Object.entries(objectOf(o['minutes'], 'minutes')))
      minutes[key] = numberOf(weight, `minutes.${key}`);
    const sup = objectOf(o['suppressed'] ?? {}, 'suppressed');
    const since = optionalNumber(sup['since'], 'suppressed.since');
    const lastFiredAt = optionalNumber(o['lastFiredAt'], 'lastFiredAt');
    return {
      minutes,
      ...(lastFiredAt === undefined ? {} : { lastFiredAt }),
      suppressed: {
        rows: numberOf(sup['rows'] ?? 0, 'rows'),
        weighted: numberOf(sup['weighted'] ?? 0, 'weighted'),
        ...(since === undefined ? {} : { since }),
      },
    };
  }
  throw new Error(`stored alert state has version ${String(o['v'])}; this build reads versions 1 and ${STATE_VERSION}`);
}

function objectOf(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`stored alert state: ${name} is not an object`);
  return value as Record<string, unknown>;
}

function numberOf(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`stored alert state: ${name} is not a number`);
  return value;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  return value === undefined || value === null ? undefined : numberOf(value, name);
}
