import type { AlertEmail } from '../mail/alertEmail';
import { alertEmailFor } from './alertEmailFor';
import { applyBlobMatches, EMPTY_STATE, type AlertState } from './alertState';
import { ledgerKeyOf, type BlobIdentity } from './deliverAlert';
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
 * Replays blobs through the same firing, throttling and composition as production, with state held
 * in memory and the clock at each blob's latest event: what a back-test shows with `--render`.
 */
export class AlertSimulator {
  private readonly states = new Map<string, AlertState>();

  constructor(private readonly from: string) {}

  apply(bucket: MatchBucket, blob: BlobIdentity): SimulatedDecision {
    const { rule } = bucket;
    const ruleKey = `${rule.scope}/${rule.id}`;
    const key = `${ruleKey}\u0000${bucket.groupKey}`;
    const now = Number.isFinite(bucket.lastEventAt) ? bucket.lastEventAt : blob.ref.depositedAt.getTime();
    const ledgerKey = ledgerKeyOf(ruleKey, bucket.groupKey, blob);
    const state = this.states.get(key) ?? EMPTY_STATE;
    const { state: next, outcome } = applyBlobMatches(
      state,
      { blobKey: `${blob.ref.blobName}\u0000${blob.etag}`, ledgerKey, rows: bucket.rows, weighted: bucket.weighted, minutes: bucket.minutes },
      rule,
      now,
    );
    this.states.set(key, next);
    const base = { rule: ruleKey, group: groupLabel(bucket), blobName: blob.ref.blobName };
    if (outcome.kind === 'suppressed') {
      const until = new Date((state.lastFiredAt ?? now) + rule.throttleMinutes * 60_000).toISOString();
      return { ...base, decision: 'suppressed', reason: `${bucket.rows} matches throttled until ${until} (ThrottleMinutes ${rule.throttleMinutes})` };
    }
    if (outcome.kind === 'counted') {
      const scope = rule.windowMinutes > 0 ? `within ${rule.windowMinutes} minutes` : 'in this blob';
      return { ...base, decision: 'belowThreshold', reason: `${outcome.windowWeighted} matches ${scope}, Threshold ${rule.threshold}` };
    }
    return {
      ...base,
      decision: 'fired',
      reason: `${outcome.windowWeighted} matches reached Threshold ${rule.threshold}`,
      email: alertEmailFor(bucket, blob, ledgerKey, outcome, this.from),
    };
  }
}

function groupLabel(bucket: MatchBucket): string {
  const entries = Object.entries(bucket.groupValues);
  return entries.length === 0 ? '(no GroupBy)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}
