/**
 * Failures and poisoned blobs of one app and type over the last 24 hours, in state that does not grow
 * with traffic: a ring of 24 hourly slots (slot = epoch hour mod 24, reset when a new hour reaches it)
 * and a short list of the blob versions that failed recently, to tell a blob's last try from its first.
 */

export const RING_HOURS = 24;
const HOUR_MS = 60 * 60_000;

/**
 * host.json `extensions.blobs.poisonBlobThreshold`: the Functions host gives a blob version up after
 * this many failed tries (a unit test keeps the two in step).
 */
export const POISON_BLOB_THRESHOLD = 5;
/** Failing blob versions remembered per app and type; past it the one failed longest ago is forgotten. */
export const MAX_FAILING_VERSIONS = 20;

/** One hour's slot of the ring. */
export interface HourCount {
  /** Epoch hour (ms / 3,600,000) the counts are for. */
  readonly hour: number;
  /** Failed invocations (blob tries and ranges). */
  readonly failures: number;
  /** Blob versions whose failed try reached the poison threshold. */
  readonly poisoned: number;
}

/** The ring: index = epoch hour mod 24; undefined where nothing was counted yet. */
export type FailureRing = readonly (HourCount | undefined)[];

/** A blob version that failed, and how many tries of it failed. */
export interface FailingVersion {
  /** Digest of blob name and version. */
  readonly key: string;
  readonly tries: number;
  /** Epoch ms of its last failed try. */
  readonly lastAt: number;
}

export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

export function ringSlot(hour: number): number {
  return ((hour % RING_HOURS) + RING_HOURS) % RING_HOURS;
}

/** The ring with one more failure (and poisoned blob) in the hour of `at`; a slot left from a past day starts over. */
export function countFailure(ring: FailureRing, at: number, poisoned: boolean): FailureRing {
  const hour = hourOf(at);
  const slot = ringSlot(hour);
  const next = Array.from({ length: RING_HOURS }, (_, i) => ring[i]);
  const current = next[slot]?.hour === hour ? next[slot] : undefined;
  next[slot] = {
    hour,
    failures: (current?.failures ?? 0) + 1,
    poisoned: (current?.poisoned ?? 0) + (poisoned ? 1 : 0),
  };
  return next;
}

/** Failures and poisoned blobs of the 24 hours up to `now` (the current hour and the 23 before it). */
export function lastDayCounts(ring: FailureRing, now: number): { failures: number; poisoned: number } {
  const newest = hourOf(now);
  let failures = 0;
  let poisoned = 0;
  for (const count of ring) {
    if (count === undefined || count.hour > newest || count.hour <= newest - RING_HOURS) continue;
    failures += count.failures;
    poisoned += count.poisoned;
  }
  return { failures, poisoned };
}

/**
 * Notes a failed try of a blob version. It is the try the host gives up after (so the blob is poisoned)
 * when it is the version's `threshold`-th failure. Versions not seen failing for a day, and past
 * MAX_FAILING_VERSIONS the oldest, are forgotten: a blob failing its five tries over more than a day,
 * or among more than 20 other failing blobs, is not counted as poisoned (the poison queue still is).
 */
export function noteFailedTry(
  failing: readonly FailingVersion[],
  key: string,
  at: number,
  threshold: number = POISON_BLOB_THRESHOLD,
): { failing: FailingVersion[]; poisoned: boolean } {
  const before = failing.find((f) => f.key === key);
  const tries = (before?.tries ?? 0) + 1;
  const kept = failing.filter((f) => f.key !== key && f.lastAt > at - RING_HOURS * HOUR_MS);
  const next = [{ key, tries, lastAt: at }, ...kept.sort((a, b) => b.lastAt - a.lastAt)];
  return { failing: next.slice(0, MAX_FAILING_VERSIONS), poisoned: tries === threshold };
}
