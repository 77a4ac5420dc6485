import { formatUtc } from '../status/utcTime';
import { collectDigest, type DigestInputs, EMPTY_MEMORY, sameMemory } from './collectDigest';
import { composeHealthDigest, MAX_LISTED, summaryOf } from './composeHealthDigest';
import { type HealthEmails, type HealthMailDeps, mailContext, noEmails, sendHealthRecord } from './healthMail';
import { DIGEST_LEDGER, healthRecord, healthRecordKey } from './healthRecord';
import { DAY_MS } from './sourceHealth';

/** Where the digest reads the app's own failures: status entities, rules, the ledger, the settings' targets. */
export interface DigestSources {
  /**
   * @param after - ledger failures recorded after this (epoch ms) …
   * @param upTo - … and at or before this
   * @param limit - refused alerts listed at most (the newest); the rest are counted
   */
  gather(after: number, upTo: number, limit: number): Promise<DigestInputs>;
}

export interface DigestDeps extends HealthMailDeps {
  readonly sources: DigestSources;
  /** HEALTH_DIGEST_MINUTES. */
  readonly digestMinutes: number;
}

export type DigestSummary =
  /** A digest went out within HEALTH_DIGEST_MINUTES: the next waits until `nextAt`. */
  | { readonly outcome: 'held'; readonly nextAt: number }
  /** Nothing new since the last digest. */
  | { readonly outcome: 'quiet' }
  /** Another timer recorded a digest first: this one sent nothing. */
  | { readonly outcome: 'contended' }
  | { readonly outcome: 'recorded'; readonly items: number; readonly summary: string; readonly emails: HealthEmails };

/**
 * The health digest, one run: at most one e-mail per HEALTH_DIGEST_MINUTES listing what went wrong in
 * the app itself since the previous one (exports it failed to read, blobs poisoned, rules that do not
 * compile, alerts refused or given up, settings pointing at nothing), each item once. The digest's
 * state and its record are written together, conditionally on the state read: two timers at once
 * record one digest, and a crash between the write and the send leaves the record for the
 * maintenance step, never a lost or repeated item.
 */
export async function sendHealthDigest(deps: DigestDeps): Promise<DigestSummary> {
  const now = deps.now();
  const periodMs = deps.digestMinutes * 60_000;
  const stored = await deps.health.readDigest();
  if (stored && now - stored.state.sentAt < periodMs)
    return { outcome: 'held', nextAt: stored.state.sentAt + periodMs };
  const after = stored?.state.cutoff ?? now - DAY_MS;
  const inputs = await deps.sources.gather(after, now, MAX_LISTED);
  const before = stored?.state.memory ?? EMPTY_MEMORY;
  const { items, memory, count: found } = collectDigest(inputs, before);
  if (found === 0) {
    // Remember that fixed rules and settings are gone, so they are said again should they come back.
    if (!sameMemory(memory, before))
      await deps.health.commitDigest(stored, { sentAt: stored?.state.sentAt ?? 0, cutoff: after, memory });
    return { outcome: 'quiet' };
  }
  const key = healthRecordKey(`digest\u0000${after}\u0000${now}`);
  const email = composeHealthDigest(items, {
    ...mailContext(deps, now),
    ledgerKey: key,
    since: stored?.state.cutoff,
    nextAt: now + periodMs,
    digestMinutes: deps.digestMinutes,
  });
  const summary = summaryOf(items);
  const record = healthRecord(DIGEST_LEDGER, key, `health digest: ${summary}`, email, now, deps.leaseMs);
  if (!(await deps.health.commitDigest(stored, { sentAt: now, cutoff: now, memory }, record)))
    return { outcome: 'contended' };
  const emails = noEmails();
  await sendHealthRecord(deps, record, emails);
  return { outcome: 'recorded', items: found, summary, emails };
}

export function describeDigest(s: DigestSummary, digestMinutes: number): string {
  switch (s.outcome) {
    case 'held':
      return `health digest: held until ${formatUtc(s.nextAt)} (one per HEALTH_DIGEST_MINUTES=${digestMinutes})`;
    case 'quiet':
      return 'health digest: nothing new';
    case 'contended':
      return 'health digest: recorded by another run';
    case 'recorded':
      return (
        `health digest: ${s.summary}; e-mail ` +
        (s.emails.sent > 0 ? 'sent' : s.emails.failed > 0 ? 'failed (retried by alert maintenance)' : 'refused')
      );
  }
}
