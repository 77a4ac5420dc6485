import type { ExportBlobRef } from '../export/parseExportPath';
import type { AlertEmail } from '../mail/alertEmail';
import { DEFAULT_NOTICE_SETTINGS, type NoticeSettings } from '../mail/noticeSettings';
import { plural } from '../plural';
import { alertEmailFor } from './alertEmailFor';
import { type AlertState, applyDelivery, EMPTY_STATE } from './alertState';
import { recordKeyOf } from './deliverAlerts';
import type { MatchBucket } from './matchCollector';

export interface SimulatedDecision {
  readonly rule: string;
  readonly group: string;
  readonly blobName: string;
  readonly decision: 'fired' | 'suppressed' | 'belowThreshold';
  /** Why, in words: the throttle or the threshold figures. */
  readonly reason: string;
  readonly email?: AlertEmail;
}

/**
 * When a blob of the export layout was deposited, as far as its path tells: the end of its hour
 * folder, so every event of that hour is plausible. Deployed, the blob's Last-Modified is used instead.
 */
export function depositTimeOf(ref: ExportBlobRef): number {
  return ref.depositedAt.getTime() + 60 * 60_000;
}

/**
 * Replays blobs through the same firing, throttling and composition as production, with state held
 * in memory and the clock at each blob's estimated arrival: what a back-test shows with `--render`.
 */
export class AlertSimulator {
  private readonly states = new Map<string, AlertState>();

  /** @param notice - the e-mails' time zone and resource ids for links, as the app's settings give them */
  constructor(
    private readonly from: string,
    private readonly notice: NoticeSettings = DEFAULT_NOTICE_SETTINGS,
  ) {}

  apply(bucket: MatchBucket, blob: { readonly ref: ExportBlobRef; readonly etag: string }): SimulatedDecision {
    const { rule } = bucket;
    const ruleKey = `${rule.scope}/${rule.id}`;
    const key = `${ruleKey}\u0000${bucket.groupKey}`;
    // The clock of a back-test: when the blob would have arrived, estimated as its latest event
    // within its hour folder (the folder's end when no event has a usable time).
    const hourStart = blob.ref.depositedAt.getTime();
    const depositedAt = Number.isFinite(bucket.lastEventAt)
      ? Math.min(Math.max(bucket.lastEventAt, hourStart), depositTimeOf(blob.ref))
      : depositTimeOf(blob.ref);
    const now = depositedAt;
    const state = this.states.get(key) ?? EMPTY_STATE;
    const { state: next, outcome } = applyDelivery(
      state,
      { rows: bucket.rows, weighted: bucket.weighted, minutes: bucket.minutes, depositedAt },
      rule,
      now,
    );
    this.states.set(key, next);
    const base = { rule: ruleKey, group: groupLabel(bucket), blobName: blob.ref.blobName };
    if (outcome.kind === 'suppressed') {
      const until = new Date((state.lastFiredAt ?? now) + rule.throttleMinutes * 60_000).toISOString();
      return {
        ...base,
        decision: 'suppressed',
        reason: `${plural(bucket.rows, 'match', 'matches')} throttled until ${until} (ThrottleMinutes ${rule.throttleMinutes})`,
      };
    }
    if (outcome.kind === 'counted') {
      const scope = rule.windowMinutes > 0 ? `within ${rule.windowMinutes} minutes` : 'in this blob';
      return {
        ...base,
        decision: 'belowThreshold',
        reason: `${plural(outcome.windowWeighted, 'match', 'matches')} ${scope}, Threshold ${rule.threshold}`,
      };
    }
    const recordKey = recordKeyOf({ blobName: blob.ref.blobName, version: blob.etag }, bucket.groupKey);
    return {
      ...base,
      decision: 'fired',
      reason: `${plural(outcome.windowWeighted, 'match', 'matches')} reached Threshold ${rule.threshold}`,
      email: alertEmailFor(bucket, blob.ref, recordKey, outcome, this.from, this.notice),
    };
  }
}

function groupLabel(bucket: MatchBucket): string {
  const entries = Object.entries(bucket.groupValues);
  return entries.length === 0 ? '(no GroupBy)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}
