import type { ChannelKind, ChannelPayload } from '../channels/channelPayload';
import type { AlertEmail } from '../mail/alertEmail';

/**
 * What one delivery did to one rule and group, kept as one small entity per delivery next to the
 * group's state. It is the redelivery marker (a delivery with a record is never applied twice) and,
 * when the delivery fired, the ledger of its e-mail: the composed message, who holds the send, which
 * recipient batches SendGrid accepted.
 *
 * - `counted`, `suppressed`: final, nothing to send.
 * - `covered`: fired, but the rule's e-mail cap was reached in this delivery: the rule's summary record
 *   (`summaryKey`) lists it; `summarized` once the summary record is known to exist.
 * - `sending`: claimed by an invocation until `leaseUntil`; past it anyone may take it over.
 * - `sent`; `failed` (retryable: a later invocation or the maintenance timer sends it); `rejected`
 *   (permanent: SendGrid refused the message itself, e.g. a 400; never retried, logged as an error).
 */
export type RecordStatus =
  'counted' | 'suppressed' | 'covered' | 'summarized' | 'sending' | 'sent' | 'failed' | 'rejected';

/** A fired group that went into its rule's summary e-mail. */
export interface SummaryLine {
  readonly label: string;
  readonly rows: number;
  readonly weighted: number;
}

export interface AlertRecord {
  readonly ruleKey: string;
  /** Unique within the rule: derived from the delivery key and the group. */
  readonly recordKey: string;
  readonly groupKey: string;
  /** The blob the delivery came from, for messages. */
  readonly blobName: string;
  /** Digest of the delivery key: finds the records of one delivery (its summary's members). */
  readonly deliveryId: string;
  readonly status: RecordStatus;
  /** Wall-clock ms when the delivery was recorded: records expire from it. */
  readonly recordedAt: number;
  readonly leaseUntil: number;
  /** Sends tried, this one included. */
  readonly attempts: number;
  /** Recipient batches SendGrid accepted so far: a retry sends only the others. */
  readonly acceptedBatches: readonly number[];
  readonly email?: AlertEmail;
  readonly summaryKey?: string;
  readonly line?: SummaryLine;
  readonly lastError?: string;
  readonly sentAt?: number;
  readonly messageIds?: readonly string[];
  /** The group's matching records in the delivery and the sum of their itemCount (records of earlier versions lack them). */
  readonly rows?: number;
  readonly weighted?: number;
  /** Who took the e-mail, and where the outbox wrote it: set when it was sent. */
  readonly provider?: 'sendgrid' | 'outbox' | ChannelKind;
  readonly location?: string;
  /** Recipients the per-recipient budget held back: their copy went into their hourly digest. */
  readonly heldBack?: number;
  /**
   * A notice to a channel besides e-mail (a rule's Notify): a record of its own next to the e-mail's,
   * written in the same transaction, claimed, sent and retried like it, so one channel's failure never
   * holds up or repeats another's. Such a record holds no e-mail.
   */
  readonly channel?: ChannelDelivery;
}

/** One channel's notice of an alert, composed when the alert was decided: a re-drive sends the same bytes. */
export interface ChannelDelivery {
  /** `teams:OPS`, as the rule's Notify names it. */
  readonly name: string;
  /** The subject of the alert's e-mail, so listings name the alert without reading the payload. */
  readonly subject: string;
  readonly payload: ChannelPayload;
}

/** The record key of an alert's notice to one channel: the e-mail record's key and the channel's name. */
export function channelRecordKey(recordKey: string, channel: string): string {
  return `${recordKey}~${channel}`;
}

/** Statuses whose e-mail may still have to go out. */
export const OPEN_STATUSES: readonly RecordStatus[] = ['sending', 'failed', 'covered'];

/** The key of a delivery: blob name and content version (an ETag today; a byte range of an append blob later). */
export function deliveryKeyOf(blobName: string, version: string): string {
  return `${blobName}\u0000${version}`;
}
