import type { AlertRecord } from '../alerts/alertRecord';
import type { DigestMemory } from './collectDigest';
import type { StoredWatch, WatchState } from './planWatch';

/** One source's watch state as a notice changes it: created (no previous) or replaced. */
export interface WatchChange {
  readonly app: string;
  readonly type: string;
  readonly source: StoredWatch['source'];
  readonly previous: StoredWatch | undefined;
  readonly next: WatchState;
}

/** What the digest keeps between runs: when it last sent, what it covered, what it already said. */
export interface DigestState {
  /** When the last digest e-mail was recorded, epoch ms: the next waits HEALTH_DIGEST_MINUTES. */
  readonly sentAt: number;
  /** Ledger failures up to this time were considered. */
  readonly cutoff: number;
  readonly memory: DigestMemory;
}

export interface StoredDigest {
  readonly state: DigestState;
  /** The stored version (ETag) the next change is conditional on. */
  readonly version: string;
}

/**
 * The watchdog's and the digest's state, kept next to their e-mails' records in the alert book: a
 * notice and the state change that caused it are written together or not at all, conditionally on
 * the state read. So two timers at once, or a run after a crash, never record one twice: the loser's
 * write is refused and it sends nothing. Table Storage in production (the alert book's table), memory
 * in unit tests.
 */
export interface HealthBook {
  /** Every source the watchdog holds state for; entities that do not read are named in `unreadable`. */
  listWatches(): Promise<{ readonly watches: readonly StoredWatch[]; readonly unreadable: readonly string[] }>;
  /**
   * Applies the watch changes and inserts the notice's record, atomically.
   * @returns false, having written nothing, when a watch changed since it was read or the record exists
   */
  commitNotice(changes: readonly WatchChange[], record: AlertRecord): Promise<boolean>;
  /** Removes a watch unless it changed since it was read. */
  forget(watch: StoredWatch): Promise<void>;
  readDigest(): Promise<StoredDigest | undefined>;
  /**
   * Replaces the digest state read (`previous`; none: creates it) with `next` and, with a record,
   * inserts the digest e-mail's record, atomically.
   * @returns false, having written nothing, when the state changed since it was read
   */
  commitDigest(previous: StoredDigest | undefined, next: DigestState, record?: AlertRecord): Promise<boolean>;
}
