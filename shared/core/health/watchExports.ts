import type { AlertRecord } from '../alerts/alertRecord';
import { describeError } from '../describeError';
import type { AlertEmail } from '../mail/alertEmail';
import { plural } from '../plural';
import { composeResumedEmail, composeStoppedEmail, nameOf } from './composeWatchEmail';
import type { WatchChange } from './healthBook';
import { type HealthEmails, type HealthMailDeps, mailContext, noEmails, sendHealthRecord } from './healthMail';
import { healthRecord, healthRecordKey, WATCHDOG_LEDGER } from './healthRecord';
import type { WatchSettings } from './healthSettings';
import { planWatch, type ResumedSource, type StoppedSource } from './planWatch';
import type { SourceHealthReader } from './sourceHealth';

export interface WatchdogDeps extends HealthMailDeps {
  readonly sources: SourceHealthReader;
  readonly settings: WatchSettings;
}

export interface WatchSummary {
  /** Sources in the status table. */
  sources: number;
  watched: number;
  /** Delivered in the last day but not watched: idle at times, new, or ignored. */
  unwatched: number;
  stopped: number;
  resumed: number;
  /** Notices another timer recorded first: nothing sent by this one. */
  contended: number;
  emails: HealthEmails;
  /** Status or watch entities that did not read, each named in the log. */
  unreadable: number;
}

/**
 * NOTE: a notice writes its watch changes and its record in one entity-group transaction, which
 * holds at most 100 entities: sources past 99 stopping at once go into the next run's e-mail.
 */
export const MAX_SOURCES_PER_NOTICE = 99;

/**
 * The export watchdog, one run: reads every app and type's status and its own state, decides
 * (`planWatch`), and for the sources that stopped (then those that resumed) records one notice with
 * its state change, atomically, then sends it. A failed send stays in the ledger as `failed` and the
 * maintenance step re-drives it; a notice another timer recorded first is not sent again.
 */
export async function watchExports(deps: WatchdogDeps): Promise<WatchSummary> {
  const now = deps.now();
  const [{ sources, unreadable }, stored] = await Promise.all([deps.sources.listSources(), deps.health.listWatches()]);
  for (const problem of [...unreadable, ...stored.unreadable]) deps.logger.warn(`export watchdog: skipped ${problem}`);
  const plan = planWatch(sources, stored.watches, deps.settings, now);
  const summary: WatchSummary = {
    sources: sources.length,
    watched: plan.watched,
    unwatched: plan.unwatched,
    stopped: 0,
    resumed: 0,
    contended: 0,
    emails: noEmails(),
    unreadable: unreadable.length + stored.unreadable.length,
  };
  for (const watch of plan.forget) {
    try {
      await deps.health.forget(watch);
    } catch (error) {
      // State kept a run longer costs nothing; the next run forgets it.
      deps.logger.warn(`export watchdog: could not forget ${watch.app} ${watch.type}: ${describeError(error)}`);
    }
  }
  for (const batch of batches(plan.resumed)) {
    const changes = batch.map((r) => change(r, { kind: 'resumed', since: r.since, resumedAt: r.resumedAt }));
    const key = healthRecordKey(`resumed\u0000${identity(batch)}`);
    const email = composeResumedEmail(batch, { ...mailContext(deps, now), ledgerKey: key });
    if (await notify(deps, changes, record(key, `flowing again: ${names(batch)}`, email, now, deps), summary))
      summary.resumed += batch.length;
  }
  for (const batch of batches(plan.stopped)) {
    const changes = batch.map((s) => change(s, { kind: 'stopped', since: s.since }));
    const key = healthRecordKey(`stopped\u0000${identity(batch)}`);
    const email = composeStoppedEmail(batch, { ...mailContext(deps, now), ledgerKey: key });
    if (await notify(deps, changes, record(key, `stopped: ${names(batch)}`, email, now, deps), summary))
      summary.stopped += batch.length;
  }
  return summary;
}

export function describeWatch(s: WatchSummary): string {
  return (
    `export watchdog: ${plural(s.sources, 'export')}, ${s.watched} watched, ${s.unwatched} delivering but not watched (not steady, or ignored); ` +
    `stopped ${s.stopped}, flowing again ${s.resumed}, recorded by another run ${s.contended}; ` +
    `e-mails sent ${s.emails.sent}, failed ${s.emails.failed} (retried by alert maintenance), refused ${s.emails.rejected}` +
    (s.unreadable > 0 ? `; ${plural(s.unreadable, 'unreadable entity', 'unreadable entities')} skipped` : '')
  );
}

/** Records the notice with its state changes; when this run wrote it, sends it. */
async function notify(
  deps: HealthMailDeps,
  changes: readonly WatchChange[],
  notice: AlertRecord,
  summary: WatchSummary,
): Promise<boolean> {
  if (!(await deps.health.commitNotice(changes, notice))) {
    summary.contended += changes.length;
    return false;
  }
  await sendHealthRecord(deps, notice, summary.emails);
  return true;
}

function record(key: string, about: string, email: AlertEmail, now: number, deps: HealthMailDeps): AlertRecord {
  return healthRecord(WATCHDOG_LEDGER, key, about, email, now, deps.leaseMs);
}

function change(item: StoppedSource | ResumedSource, next: WatchChange['next']): WatchChange {
  const { app, type, source } = item.health.status;
  return { app, type, source, previous: item.previous, next };
}

/** What makes a notice unique: its sources and the last delivery before their silence. */
function identity(batch: readonly (StoppedSource | ResumedSource)[]): string {
  return batch.map((s) => `${s.health.status.app}\u0000${s.health.status.type}\u0000${s.since}`).join('\u0001');
}

function names(batch: readonly (StoppedSource | ResumedSource)[]): string {
  return batch.map((s) => nameOf(s.health)).join(', ');
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_SOURCES_PER_NOTICE) out.push(items.slice(i, i + MAX_SOURCES_PER_NOTICE));
  return out;
}
