import type { SendReceipt } from '../mail/mailer';
import type { AlertRecord, RecordStatus } from './alertRecord';
import type { AlertState } from './alertState';

/** What `decide` computes from the group's current state: the next state and the delivery's record. */
export interface Decision {
  readonly state: AlertState;
  readonly record: AlertRecord;
}

/** A record as stored, and whether this call wrote it (then the caller holds its claim). */
export interface Stored {
  readonly record: AlertRecord;
  readonly created: boolean;
}

export type ClaimResult =
  /** This invocation holds the send until the lease ends. */
  | { readonly kind: 'claimed'; readonly record: AlertRecord }
  /** Nothing to send: sent, rejected, or not an e-mail record. */
  | { readonly kind: 'done'; readonly record: AlertRecord }
  /** Another invocation holds an unexpired claim. */
  | { readonly kind: 'busy'; readonly record: AlertRecord };

export interface SendFailure {
  readonly error: string;
  /** SendGrid refused the message itself: never retried. */
  readonly permanent: boolean;
  /** Batches accepted by this and earlier attempts. */
  readonly acceptedBatches: readonly number[];
}

/**
 * Alert state and delivery records of every rule and group. The port the delivery use case and the
 * maintenance timer work through; Table Storage in production, memory in unit tests.
 */
export interface AlertBook {
  /**
   * Applies a delivery to a group, at most once: when the record `recordKey` exists its stored form is
   * returned and nothing changes; otherwise `compute` sees the current state, and the new state and the
   * record are written together, atomically (a crash leaves both or neither). Concurrent calls for the
   * same group recompute until one wins.
   */
  decide(
    ruleKey: string,
    groupKey: string,
    recordKey: string,
    compute: (state: AlertState) => Decision,
  ): Promise<Stored>;
  /** Inserts a record unless one with its key exists; returns what is stored. */
  insert(record: AlertRecord): Promise<Stored>;
  get(ruleKey: string, recordKey: string): Promise<AlertRecord | undefined>;
  /** Takes a `sending` record with a lapsed lease, or a `failed` one, for sending until `now + leaseMs`. */
  claim(ruleKey: string, recordKey: string, now: number, leaseMs: number): Promise<ClaimResult>;
  markSent(record: AlertRecord, now: number, receipt: SendReceipt): Promise<void>;
  markFailed(record: AlertRecord, now: number, failure: SendFailure): Promise<void>;
  /** Sets the status of a record without touching the rest (covered → summarized). */
  setStatus(record: AlertRecord, status: RecordStatus): Promise<void>;
  /** Records in an open status (`OPEN_STATUSES`), without their e-mail bodies' guarantees of order. */
  listOpen(): AsyncIterable<AlertRecord>;
  /** The records of one delivery for one rule. */
  listDelivery(ruleKey: string, deliveryId: string): Promise<AlertRecord[]>;
  /** Deletes records recorded before `recordsBefore` and group states last changed before `statesBefore`. */
  expire(recordsBefore: number, statesBefore: number): Promise<{ readonly records: number; readonly states: number }>;
}
