import type { AlertRecord, RecordStatus } from './alertRecord';
import type { AlertState } from './alertState';

/** What `decide` computes from the group's current state: the next state and the delivery's record. */
export interface Decision {
  readonly state: AlertState;
  readonly record: AlertRecord;
  /** Records written in the same transaction: the RESOLVED notice of an episode the delivery found over. */
  readonly notices?: readonly AlertRecord[];
}

/**
 * An open episode as the book's index lists it, without reading the group's state. The index follows
 * the state: every write of a state with an open episode writes its entry in the same transaction.
 */
export interface OpenEpisode {
  readonly ruleKey: string;
  readonly groupKey: string;
  /** The episode's first firing (its name, with the group). */
  readonly since: number;
  readonly lastBreachAt: number;
}

/** A change of one group's state outside a delivery, and the record written with it. */
export interface StateChange {
  readonly state: AlertState;
  readonly record?: AlertRecord;
  /** Records created with `record` and only with it: its notices to the rule's channels. */
  readonly companions?: readonly AlertRecord[];
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

/** What a send left for the record: the e-mail's receipt, or a channel's (its provider the channel's kind). */
export interface DeliveryReceipt {
  readonly provider: NonNullable<AlertRecord['provider']>;
  readonly messageIds: readonly string[];
  /** HTTP requests (or files) the send took, retries included. */
  readonly requests?: number;
  /** Where the outbox wrote the e-mail; for a channel, the host that took it (never its path). */
  readonly location?: string;
  readonly acceptedBatches?: readonly number[];
  /** Recipients the per-recipient budget held back for their hourly digest. */
  readonly heldBack?: number;
}

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
  /**
   * Inserts a record unless one with its key exists; returns what is stored. `companions` (its channel
   * records, in its partition) are created with it in one transaction, or not at all when it exists.
   */
  insert(record: AlertRecord, companions?: readonly AlertRecord[]): Promise<Stored>;
  get(ruleKey: string, recordKey: string): Promise<AlertRecord | undefined>;
  /** Takes a `sending` record with a lapsed lease, or a `failed` one, for sending until `now + leaseMs`. */
  claim(ruleKey: string, recordKey: string, now: number, leaseMs: number): Promise<ClaimResult>;
  markSent(record: AlertRecord, now: number, receipt: DeliveryReceipt): Promise<void>;
  markFailed(record: AlertRecord, now: number, failure: SendFailure): Promise<void>;
  /** Sets the status of a record without touching the rest (covered → summarized). */
  setStatus(record: AlertRecord, status: RecordStatus): Promise<void>;
  /** Records in an open status (`OPEN_STATUSES`), without their e-mail bodies' guarantees of order. */
  listOpen(): AsyncIterable<AlertRecord>;
  /** The records of one delivery for one rule. */
  listDelivery(ruleKey: string, deliveryId: string): Promise<AlertRecord[]>;
  /** The open episodes of one rule, from the index: a key range of its partition, never a scan of its states. */
  listEpisodes(ruleKey: string): AsyncIterable<OpenEpisode>;
  /**
   * Changes one group's state outside a delivery (an episode resolved, a mute set): `change` sees the
   * stored state (undefined: none) and returns the next one, with a record to create alongside, or
   * undefined to write nothing. Written atomically and only over the state `change` saw; a concurrent
   * write makes it recompute. When the record exists already nothing is written and it is returned.
   * @returns what was written (`record.created` false: the record existed), or undefined when nothing was
   */
  changeState(
    ruleKey: string,
    groupKey: string,
    change: (state: AlertState | undefined) => StateChange | undefined,
    updatedAt: number,
  ): Promise<{ readonly state: AlertState; readonly record?: Stored } | undefined>;
  /**
   * Deletes records recorded before `recordsBefore`, and group states (with their episode index
   * entries) last changed before `statesBefore`.
   */
  expire(recordsBefore: number, statesBefore: number): Promise<{ readonly records: number; readonly states: number }>;
}
