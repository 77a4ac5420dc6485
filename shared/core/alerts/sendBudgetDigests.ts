import { describeError } from '../describeError';
import { digestKey } from '../digestKey';
import { InvariantError } from '../errors';
import { composeBudgetDigest } from '../mail/composeBudgetDigest';
import { BUDGET_LEDGER, type RecipientBudget } from '../mail/recipientBudget';
import { digestDue, HOUR_MS, recipientId } from '../mail/recipientHour';
import { plural } from '../plural';
import type { AlertRecord } from './alertRecord';
import { type DeliveryDeps, sendStored } from './deliverAlerts';

/** Recipient-hours are kept this long after they start: retries of their records find them. */
export const BUDGET_KEEP_MS = 2 * 24 * HOUR_MS;
/** A digest that could not be made for this long is given up, with an error log. */
export const BUDGET_GIVE_UP_MS = 7 * 24 * HOUR_MS;

export interface BudgetDigestDeps extends Omit<DeliveryDeps, 'maxEmailsPerRule'> {
  readonly budget: RecipientBudget;
  /** ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR. */
  readonly limit: number;
}

export interface BudgetDigestSummary {
  /** Recipient-hours whose digest was due. */
  due: number;
  sent: number;
  /** Recorded but not sent yet: the alert maintenance step retries them. */
  failed: number;
  rejected: number;
  /** Recorded by an earlier run, and sent or being sent by it. */
  already: number;
  expired: number;
  givenUp: number;
}

/** The record key of one recipient-hour's digest: the same whichever run makes it. */
export function budgetDigestKey(recipient: string, hourStart: number): string {
  return `b~${digestKey(`${recipient}\u0000${hourStart}`, 32)}`;
}

/**
 * The per-recipient budget's step of the maintenance timer. Each recipient-hour that is over and had
 * alerts folded gets one digest e-mail: the hour is frozen first (later alerts of it go out on their
 * own), the digest composed from it is inserted into the ledger under a key derived from recipient and
 * hour, sent, and the hour marked digested. A run that dies anywhere is finished by the next: the
 * frozen hour composes the same e-mail, the insert finds the record, and a record already sent or
 * claimed is not sent again (the alert maintenance step re-drives one a dead run left claimed). Then
 * recipient-hours past BUDGET_KEEP_MS are deleted, so the budget's state does not grow with traffic.
 */
export async function sendBudgetDigests(deps: BudgetDigestDeps): Promise<BudgetDigestSummary> {
  const now = deps.now();
  const summary: BudgetDigestSummary = {
    due: 0,
    sent: 0,
    failed: 0,
    rejected: 0,
    already: 0,
    expired: 0,
    givenUp: 0,
  };
  let firstError: Error | undefined;
  for await (const ref of deps.budget.listDue(now)) {
    summary.due++;
    const name = `digest of recipient ${recipientId(ref.recipient)} for ${hourText(ref.hourStart)}`;
    try {
      const hour = await deps.budget.close(ref);
      if (hour === undefined || !digestDue(hour, now)) continue;
      const recordKey = budgetDigestKey(hour.recipient, hour.hourStart);
      const email = composeBudgetDigest(
        {
          hour,
          limit: deps.limit,
          ledgerKey: recordKey,
          ledger: BUDGET_LEDGER,
          ...(deps.notice ? { timeZone: deps.notice.timeZone } : {}),
        },
        deps.from,
      );
      const recordedAt = deps.now();
      const record: AlertRecord = {
        ruleKey: BUDGET_LEDGER,
        recordKey,
        groupKey: '',
        blobName: `${name}: ${plural(hour.foldedTotal, 'alert')} held back`,
        deliveryId: digestKey(recordKey),
        status: 'sending',
        recordedAt,
        leaseUntil: recordedAt + deps.leaseMs,
        attempts: 1,
        acceptedBatches: [],
        email,
        rows: hour.foldedTotal,
        weighted: hour.foldedTotal,
      };
      const result = await sendStored(await deps.book.insert(record), deps);
      if (result.kind === 'sent') summary.sent++;
      else if (result.kind === 'rejected') summary.rejected++;
      else if (result.kind === 'failed') summary.failed++;
      else summary.already++;
      // The ledger owns the digest from here: a failed or claimed one is re-driven with every other alert.
      await deps.budget.markDigested(ref);
    } catch (error) {
      summary.failed++;
      firstError ??= error instanceof Error ? error : new InvariantError(describeError(error), { cause: error });
      deps.logger.error(`${name}: ${describeError(error)}; tried again on the next run`);
    }
  }
  const { expired, abandoned } = await deps.budget.expire(now - BUDGET_KEEP_MS, now - BUDGET_GIVE_UP_MS);
  summary.expired = expired;
  summary.givenUp = abandoned.length;
  for (const ref of abandoned) {
    deps.logger.error(
      `digest of recipient ${recipientId(ref.recipient)} for ${hourText(ref.hourStart)}: given up, not made in ${BUDGET_GIVE_UP_MS / (24 * HOUR_MS)} days; the alerts it held were not e-mailed to that recipient (export-alerts alerts list shows them)`,
    );
  }
  if (firstError !== undefined) throw firstError;
  return summary;
}

export function describeBudgetDigests(s: BudgetDigestSummary): string {
  return (
    `recipient digests: ${s.due} due; sent ${s.sent}, failed ${s.failed} (retried by alert maintenance), ` +
    `refused ${s.rejected}, sent by an earlier run ${s.already}; expired ${plural(s.expired, 'recipient-hour')}, given up ${s.givenUp}`
  );
}

function hourText(hourStart: number): string {
  return `the hour from ${new Date(hourStart).toISOString().slice(0, 13)}:00 UTC`;
}
