import type { AlertEmail } from '../mail/alertEmail';
import { composeAlertEmail } from '../mail/composeAlertEmail';
import type { BlobOutcome } from './alertState';
import type { BlobIdentity } from './deliverAlert';
import type { MatchBucket } from './matchCollector';

/** The e-mail of a fired alert: the bucket's matches plus what the state said when it fired. */
export function alertEmailFor(
  bucket: MatchBucket,
  blob: BlobIdentity,
  ledgerKey: string,
  outcome: Extract<BlobOutcome, { kind: 'fired' }>,
  from: string,
): AlertEmail {
  const { rule } = bucket;
  const groupEntries = Object.entries(bucket.groupValues);
  const suppressed = outcome.suppressed;
  return composeAlertEmail(
    {
      rule,
      appName: blob.ref.appName,
      folder: blob.ref.folder,
      blobName: blob.ref.blobName,
      ...(groupEntries.length === 0
        ? {}
        : { group: { label: groupEntries.map(([k, v]) => `${k}=${v}`).join(', '), values: bucket.groupValues } }),
      events: bucket.events,
      matched: { rows: bucket.rows, weighted: bucket.weighted },
      ...(suppressed.rows > 0 ? { suppressed: { rows: suppressed.rows, weighted: suppressed.weighted, since: new Date(suppressed.since ?? 0) } } : {}),
      ...(rule.windowMinutes > 0
        ? { window: { minutes: rule.windowMinutes, weighted: outcome.windowWeighted, threshold: rule.threshold } }
        : {}),
      firstEventAt: new Date(Number.isFinite(bucket.firstEventAt) ? bucket.firstEventAt : 0),
      lastEventAt: new Date(Number.isFinite(bucket.lastEventAt) ? bucket.lastEventAt : 0),
      ledgerKey,
    },
    from,
  );
}
