import type { ExportBlobRef } from '../export/parseExportPath';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import { digestKey } from '../storage/tableKeys';
import { alertEmailFor } from './alertEmailFor';
import type { AlertLedger, LedgerEntry } from './alertLedger';
import { applyBlobMatches, type BlobOutcome } from './alertState';
import type { AlertStateStore } from './alertStateStore';
import type { MatchBucket } from './matchCollector';

export interface DeliveryDeps {
  readonly state: AlertStateStore;
  readonly ledger: AlertLedger;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  readonly from: string;
  /** How long a claim protects a send in progress; past it a redelivery may send. */
  readonly leaseMs: number;
}

/** The blob content an alert belongs to: its name and etag (or a content hash). */
export interface BlobIdentity {
  readonly ref: ExportBlobRef;
  readonly etag: string;
}

export type DeliveryResult =
  | { readonly kind: 'sent'; readonly ledgerKey: string; readonly location?: string }
  | { readonly kind: 'alreadySent' | 'inFlight'; readonly ledgerKey: string }
  | { readonly kind: 'suppressed' | 'belowThreshold' }
  | { readonly kind: 'failed'; readonly ledgerKey: string; readonly error: string; readonly retryable: boolean };

/** Identifies an alert across deliveries of its blob: rule, group and blob content. */
export function ledgerKeyOf(ruleKey: string, groupKey: string, blob: BlobIdentity): string {
  return digestKey(`${ruleKey}\u0000${groupKey}\u0000${blob.ref.blobName}\u0000${blob.etag}`, 32);
}

/**
 * Takes one rule-and-group's matches of a blob to at most one e-mail: applies them to the shared
 * state (threshold, window, throttle), and when that says fire, claims the alert in the ledger,
 * sends, and records the outcome. A failed send is recorded and reported, never dropped.
 */
export async function deliverAlert(bucket: MatchBucket, blob: BlobIdentity, deps: DeliveryDeps): Promise<DeliveryResult> {
  const { rule } = bucket;
  const ruleKey = `${rule.scope}/${rule.id}`;
  const ledgerKey = ledgerKeyOf(ruleKey, bucket.groupKey, blob);
  const outcome = await deps.state.update<BlobOutcome>(ruleKey, bucket.groupKey, (state) => {
    const applied = applyBlobMatches(
      state,
      { blobKey: `${blob.ref.blobName}\u0000${blob.etag}`, ledgerKey, rows: bucket.rows, weighted: bucket.weighted, minutes: bucket.minutes },
      rule,
      deps.now(),
    );
    return { state: applied.state, changed: applied.changed, result: applied.outcome };
  });
  if (outcome.kind === 'suppressed') return { kind: 'suppressed' };
  if (outcome.kind === 'counted') return { kind: 'belowThreshold' };

  const entry: LedgerEntry = { ledgerKey, ruleKey, group: bucket.groupKey, blobName: blob.ref.blobName, blobETag: blob.etag };
  const claim = await deps.ledger.claim(entry, deps.now(), deps.leaseMs);
  if (claim.kind === 'sent') return { kind: 'alreadySent', ledgerKey };
  if (claim.kind === 'busy') return { kind: 'inFlight', ledgerKey };

  const email = alertEmailFor(bucket, blob, ledgerKey, outcome, deps.from);
  try {
    const receipt = await deps.mailer.send(email);
    await deps.ledger.markSent(entry, deps.now(), receipt.messageIds, receipt.provider);
    return receipt.location === undefined ? { kind: 'sent', ledgerKey } : { kind: 'sent', ledgerKey, location: receipt.location };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryable = (error as { retryable?: unknown }).retryable !== false;
    await deps.ledger.markFailed(entry, deps.now(), message);
    deps.logger.error(`alert ${ruleKey} (${ledgerKey}) for ${blob.ref.blobName}: send failed (attempt ${claim.attempt}): ${message}`);
    return { kind: 'failed', ledgerKey, error: message, retryable };
  }
}
