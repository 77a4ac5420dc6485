import type { AlertRecord } from '../alerts/alertRecord';
import { digestKey } from '../digestKey';
import type { AlertEmail } from '../mail/alertEmail';

/**
 * The ledger partitions of the health e-mails, next to the rules' in the alert book: each e-mail is
 * a record there, so it is sent, retried after a failure or a crash, and expired exactly like an
 * alert (`alertMaintenance` re-drives it; `alerts list --rule '#health/watchdog'` lists it). A rule's
 * scope is a PartitionKey of the rules table, which cannot hold `#`, so no rule's `scope/id` is one of these.
 */
export const WATCHDOG_LEDGER = '#health/watchdog';
export const DIGEST_LEDGER = '#health/digest';

/** A record key for a health e-mail: `h~` and a digest of what makes it unique. */
export function healthRecordKey(identity: string): string {
  return `h~${digestKey(identity, 32)}`;
}

/**
 * A new record holding a health e-mail, claimed by its writer until `now + leaseMs`: the caller sends
 * it once the record is stored, and if it dies first the maintenance timer sends it after the lease.
 * @param about - what the e-mail is about, where alerts name their blob (`alerts list`, log lines)
 */
export function healthRecord(
  ledger: string,
  recordKey: string,
  about: string,
  email: AlertEmail,
  now: number,
  leaseMs: number,
): AlertRecord {
  return {
    ruleKey: ledger,
    recordKey,
    groupKey: '',
    blobName: about,
    deliveryId: digestKey(recordKey),
    status: 'sending',
    recordedAt: now,
    leaseUntil: now + leaseMs,
    attempts: 1,
    acceptedBatches: [],
    email,
  };
}
