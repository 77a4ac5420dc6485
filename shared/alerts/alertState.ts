/**
 * What is remembered per rule and group between blobs: the windowed counts, the throttle, and which
 * blobs were already applied so a blob delivered twice counts once. Pure: storage and clock live
 * elsewhere.
 */
export interface AlertState {
  /** Weighted matches per event-time minute (epoch minutes) not yet consumed by a firing. */
  readonly minutes: Readonly<Record<string, number>>;
  /** Wall-clock ms of the last firing. */
  readonly lastFiredAt?: number;
  readonly suppressed: SuppressedCounts;
  /** The outcome of each recently applied blob, newest last. */
  readonly blobs: readonly BlobOutcome[];
}

export interface SuppressedCounts {
  readonly rows: number;
  readonly weighted: number;
  /** Wall-clock ms of the first suppressed match since the last e-mail. */
  readonly since?: number;
}

export type BlobOutcome =
  | { readonly blobKey: string; readonly kind: 'fired'; readonly ledgerKey: string; readonly suppressed: SuppressedCounts; readonly windowWeighted: number }
  | { readonly blobKey: string; readonly kind: 'suppressed' }
  | { readonly blobKey: string; readonly kind: 'counted'; readonly windowWeighted: number };

export interface BlobMatches {
  /** Identifies the blob content: its name and etag. */
  readonly blobKey: string;
  /** The ledger key this blob's alert gets if it fires. */
  readonly ledgerKey: string;
  readonly rows: number;
  readonly weighted: number;
  /** Weighted matches per event-time minute (epoch minutes). */
  readonly minutes: ReadonlyMap<number, number>;
}

export interface FiringPolicy {
  readonly threshold: number;
  /** 0: the threshold applies to one blob's matches. */
  readonly windowMinutes: number;
  readonly throttleMinutes: number;
}

export const EMPTY_STATE: AlertState = { minutes: {}, suppressed: { rows: 0, weighted: 0 }, blobs: [] };

/** Blobs remembered per rule and group; far more than one group sees within any throttle or window. */
export const REMEMBERED_BLOBS = 200;
/** Late data: export can deliver rows hours after their event time, so windows keep a day of slack. */
export const LATE_DATA_MINUTES = 24 * 60;

/**
 * Applies one blob's matches to the state and says what happens: fire (once the threshold is met and
 * no throttle holds), count, or suppress (throttled). Applying the same blob again changes nothing
 * and repeats the first outcome, so a redelivered blob neither counts twice nor loses its e-mail.
 *
 * A firing consumes the windowed counts, so the next e-mail needs `threshold` new matches.
 */
export function applyBlobMatches(
  state: AlertState,
  matches: BlobMatches,
  policy: FiringPolicy,
  now: number,
): { readonly state: AlertState; readonly outcome: BlobOutcome; readonly changed: boolean } {
  const seen = state.blobs.find((b) => b.blobKey === matches.blobKey);
  if (seen) return { state, outcome: seen, changed: false };

  const throttled = state.lastFiredAt !== undefined && now < state.lastFiredAt + policy.throttleMinutes * 60_000;
  if (throttled) {
    const suppressed = {
      rows: state.suppressed.rows + matches.rows,
      weighted: state.suppressed.weighted + matches.weighted,
      since: state.suppressed.since ?? now,
    };
    const outcome: BlobOutcome = { blobKey: matches.blobKey, kind: 'suppressed' };
    return { state: { ...state, suppressed, blobs: remember(state.blobs, outcome) }, outcome, changed: true };
  }

  let minutes = state.minutes;
  let windowWeighted = matches.weighted;
  if (policy.windowMinutes > 0) {
    minutes = addMinutes(state.minutes, matches.minutes);
    windowWeighted = busiestWindow(minutes, matches.minutes, policy.windowMinutes);
  }
  if (windowWeighted < policy.threshold) {
    const outcome: BlobOutcome = { blobKey: matches.blobKey, kind: 'counted', windowWeighted };
    return { state: { ...state, minutes, blobs: remember(state.blobs, outcome) }, outcome, changed: true };
  }
  const outcome: BlobOutcome = {
    blobKey: matches.blobKey,
    kind: 'fired',
    ledgerKey: matches.ledgerKey,
    suppressed: state.suppressed,
    windowWeighted,
  };
  return {
    state: { minutes: {}, lastFiredAt: now, suppressed: { rows: 0, weighted: 0 }, blobs: remember(state.blobs, outcome) },
    outcome,
    changed: true,
  };
}

function remember(blobs: readonly BlobOutcome[], outcome: BlobOutcome): BlobOutcome[] {
  const kept = blobs.length >= REMEMBERED_BLOBS ? blobs.slice(blobs.length - REMEMBERED_BLOBS + 1) : [...blobs];
  kept.push(outcome);
  return kept;
}

function addMinutes(stored: Readonly<Record<string, number>>, added: ReadonlyMap<number, number>): Record<string, number> {
  const merged: Record<string, number> = { ...stored };
  let newest = Number.NEGATIVE_INFINITY;
  for (const [minute, weight] of added) {
    merged[minute] = (merged[minute] ?? 0) + weight;
    newest = Math.max(newest, minute);
  }
  for (const key of Object.keys(merged)) newest = Math.max(newest, Number(key));
  for (const key of Object.keys(merged)) if (Number(key) < newest - LATE_DATA_MINUTES) delete merged[key];
  return merged;
}

/**
 * The largest weighted count of any window of `width` minutes that holds a minute of this blob. The
 * best window can always start at a stored minute, so only those starts are tried, with prefix sums.
 */
function busiestWindow(minutes: Readonly<Record<string, number>>, touched: ReadonlyMap<number, number>, width: number): number {
  const keys = Object.keys(minutes).map(Number).sort((a, b) => a - b);
  const prefix = [0];
  for (const key of keys) prefix.push((prefix[prefix.length - 1] as number) + (minutes[key] ?? 0));
  let best = 0;
  for (const minute of touched.keys()) {
    for (let i = lowerBound(keys, minute - width + 1); i < keys.length && (keys[i] as number) <= minute; i++) {
      const end = lowerBound(keys, (keys[i] as number) + width);
      best = Math.max(best, (prefix[end] as number) - (prefix[i] as number));
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
    if ((keys[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
