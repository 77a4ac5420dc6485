import type { AlertEmail } from '../mail/alertEmail';
import { plural } from '../plural';
import { SOURCE_NAMES } from '../status/exportStatusReport';
import { lastDayCounts } from '../status/failureCounts';
import { formatAge, formatUtc, formatUtcMinute } from '../status/utcTime';
import { type HealthBody, healthEmail, type HealthMailContext, type HealthSection, oneLine } from './healthEmailBody';
import { WATCHDOG_LEDGER } from './healthRecord';
import { STALE_SETTINGS } from './healthSettings';
import { likelyCauses, readerOf } from './likelyCauses';
import type { ResumedSource, StoppedSource } from './planWatch';
import type { SourceHealth } from './sourceHealth';

/** The one e-mail that says these exports stopped: what, since when, and what to check. */
export function composeStoppedEmail(stopped: readonly StoppedSource[], context: HealthMailContext): AlertEmail {
  const { now } = context;
  const first = stopped[0];
  const subject =
    stopped.length === 1 && first
      ? `[export stopped] ${nameOf(first.health)}: no data since ${formatUtcMinute(first.since, now)}`
      : `[export stopped] ${plural(stopped.length, 'export')}: ${listNames(stopped.map((s) => s.health))}`;
  const body: HealthBody = {
    title:
      stopped.length === 1 ? 'An export stopped delivering data' : `${stopped.length} exports stopped delivering data`,
    intro: [
      `Nothing new arrived from ${stopped.length === 1 ? 'this export' : 'these exports'} for longer than its threshold, although it delivered steadily before.`,
    ],
    sections: stopped.map((s) => stoppedSection(s, now)),
    footer: [
      'You get one e-mail when data flows again. `export-alerts status` shows the age of every export.',
      'An export that is quiet by nature at times can be left out: add app or app/type to EXPORT_WATCH_IGNORE.',
      `Sent by insights-export-alerts (export watchdog) at ${formatUtc(now)}.`,
    ],
  };
  return healthEmail(subject, body, context, WATCHDOG_LEDGER);
}

/** The one e-mail that says data flows again, and after how long a gap. */
export function composeResumedEmail(resumed: readonly ResumedSource[], context: HealthMailContext): AlertEmail {
  const first = resumed[0];
  const subject =
    resumed.length === 1 && first
      ? `[export flowing again] ${nameOf(first.health)} after ${formatAge(first.since, first.resumedAt)}`
      : `[export flowing again] ${plural(resumed.length, 'export')}: ${listNames(resumed.map((r) => r.health))}`;
  const body: HealthBody = {
    title: resumed.length === 1 ? 'An export delivers data again' : `${resumed.length} exports deliver data again`,
    intro: [
      `${resumed.length === 1 ? 'This export was' : 'These exports were'} reported stopped; new data has been processed since.`,
    ],
    sections: resumed.map((r) => ({
      heading: nameOf(r.health),
      facts: [
        ['Flowing again after', formatAge(r.since, r.resumedAt)],
        ['Last data before the gap', formatUtc(r.since)],
        ['New data by', formatUtc(r.resumedAt)],
        ['Latest blob or range', lastDelivery(r.health)],
      ],
    })),
    footer: [
      'Data the export wrote during the gap is read when it arrives; data it never wrote is lost to the alerts.',
      `Sent by insights-export-alerts (export watchdog) at ${formatUtc(context.now)}.`,
    ],
  };
  return healthEmail(subject, body, context, WATCHDOG_LEDGER);
}

/** `shop-prod AppRequests (diagnostic settings)`. */
export function nameOf(health: SourceHealth): string {
  const { app, type, source } = health.status;
  return `${oneLine(app, 200)} ${oneLine(type, 100)} (${SOURCE_NAMES[source]})`;
}

function stoppedSection(stopped: StoppedSource, now: number): HealthSection {
  const { status } = stopped.health;
  const failures = lastDayCounts(status.ring, now).failures;
  const failure = status.lastFailure;
  const ours =
    failures > 0 && failure
      ? `this app failed to read it: ${plural(failures, 'failed try', 'failed tries')} in the last 24 h, the last at ${formatUtc(failure.at)}: ${oneLine(failure.error, 500)}`
      : `this app stopped reading it: check that ${readerOf(status.source)} runs`;
  return {
    heading: nameOf(stopped.health),
    facts: [
      ['Last data', `${formatUtc(stopped.since)} (${formatAge(stopped.since, now)} ago)`],
      ['Threshold', `${stopped.staleMinutes} min (${STALE_SETTINGS[status.source]} or EXPORT_STALE_MINUTES)`],
      ['Last blob or range', lastDelivery(stopped.health)],
      ['Failures reading it, 24 h', String(failures)],
    ],
    list: {
      heading: 'Likely causes:',
      items:
        failures > 0
          ? [ours, ...likelyCauses(status.source, status.type)]
          : [...likelyCauses(status.source, status.type), ours],
    },
  };
}

function lastDelivery(health: SourceHealth): string {
  const last = health.status.last;
  if (last === undefined) return '-';
  return oneLine(last.version.startsWith('bytes=') ? `${last.blob} ${last.version}` : last.blob, 1_000);
}

function listNames(sources: readonly SourceHealth[]): string {
  const names = sources.slice(0, 2).map((s) => `${oneLine(s.status.app, 60)} ${oneLine(s.status.type, 40)}`);
  return sources.length > 2 ? `${names.join(', ')} and ${sources.length - 2} more` : names.join(', ');
}
