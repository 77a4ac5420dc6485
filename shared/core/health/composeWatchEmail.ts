import type { AlertEmail } from '../mail/alertEmail';
import type { NoticeSection } from '../mail/notice';
import { plural } from '../plural';
import { SOURCE_NAMES } from '../status/exportStatusReport';
import { lastDayCounts } from '../status/failureCounts';
import { formatAge } from '../status/utcTime';
import { type HealthBody, healthEmail, type HealthMailContext, oneLine } from './healthEmailBody';
import { WATCHDOG_LEDGER } from './healthRecord';
import { STALE_SETTINGS } from './healthSettings';
import { type HealthTimes, healthTimes } from './healthTimes';
import { likelyCauses, readerOf } from './likelyCauses';
import type { ResumedSource, StoppedSource } from './planWatch';
import type { SourceHealth } from './sourceHealth';

/** The one e-mail that says these exports stopped: what, since when, and what to check. */
export function composeStoppedEmail(stopped: readonly StoppedSource[], context: HealthMailContext): AlertEmail {
  const { now } = context;
  const times = healthTimes(context.timeZone);
  const first = stopped[0];
  const subject =
    stopped.length === 1 && first
      ? `[export stopped] ${nameOf(first.health)}: no data since ${times.minute(first.since, now)}`
      : `[export stopped] ${plural(stopped.length, 'export')}: ${listNames(stopped.map((s) => s.health))}`;
  const body: HealthBody = {
    banner: { label: 'EXPORT STOPPED', tone: 'critical' },
    title:
      stopped.length === 1 ? 'An export stopped delivering data' : `${stopped.length} exports stopped delivering data`,
    ...subtitleOf(stopped),
    why: `Nothing new arrived from ${stopped.length === 1 ? 'this export' : 'these exports'} for longer than its threshold, although it delivered steadily before.`,
    sections: stopped.flatMap((s, i) => stoppedSections(s, headingsOf(i, stopped.length), times, now)),
    footer: [
      'You get one e-mail when data flows again. `export-alerts status` shows the age of every export.',
      'An export that is quiet by nature at times can be left out: add app or app/type to EXPORT_WATCH_IGNORE.',
      `Sent by insights-export-alerts (export watchdog) at ${times.at(now)}. Times in ${times.zone}.`,
    ],
  };
  return healthEmail(subject, body, context, WATCHDOG_LEDGER);
}

/** The one e-mail that says data flows again, and after how long a gap. */
export function composeResumedEmail(resumed: readonly ResumedSource[], context: HealthMailContext): AlertEmail {
  const times = healthTimes(context.timeZone);
  const first = resumed[0];
  const subject =
    resumed.length === 1 && first
      ? `[export flowing again] ${nameOf(first.health)} after ${formatAge(first.since, first.resumedAt)}`
      : `[export flowing again] ${plural(resumed.length, 'export')}: ${listNames(resumed.map((r) => r.health))}`;
  const body: HealthBody = {
    banner: { label: 'EXPORT FLOWING AGAIN', tone: 'resolved' },
    title: resumed.length === 1 ? 'An export delivers data again' : `${resumed.length} exports deliver data again`,
    ...subtitleOf(resumed),
    why: `${resumed.length === 1 ? 'This export was' : 'These exports were'} reported stopped; new data has been processed since.`,
    sections: resumed.map((r, i): NoticeSection => ({
      kind: 'facts',
      heading: headingsOf(i, resumed.length).details,
      facts: [
        { label: 'Export', value: nameOf(r.health) },
        { label: 'Flowing again after', value: formatAge(r.since, r.resumedAt) },
        { label: 'Last data before the gap', value: times.at(r.since) },
        { label: 'New data by', value: times.at(r.resumedAt) },
        { label: 'Latest blob or range', value: lastDelivery(r.health) },
      ],
    })),
    footer: [
      'Data the export wrote during the gap is read when it arrives; data it never wrote is lost to the alerts.',
      `Sent by insights-export-alerts (export watchdog) at ${times.at(context.now)}. Times in ${times.zone}.`,
    ],
  };
  return healthEmail(subject, body, context, WATCHDOG_LEDGER);
}

/** `shop-prod AppRequests (diagnostic settings)`. */
export function nameOf(health: SourceHealth): string {
  const { app, type, source } = health.status;
  return `${oneLine(app, 200)} ${oneLine(type, 100)} (${SOURCE_NAMES[source]})`;
}

/** The one export an e-mail is about, under its title; several are named in their sections. */
function subtitleOf(sources: readonly { readonly health: SourceHealth }[]): { subtitle?: string } {
  const [only] = sources;
  return sources.length === 1 && only ? { subtitle: nameOf(only.health) } : {};
}

/**
 * Section headings that number the exports rather than name them: headings are shown in capitals, and
 * an app or table name must read as it is spelled. The name is the first fact of each.
 */
function headingsOf(index: number, count: number): { details: string; causes: string } {
  return count === 1
    ? { details: 'Details', causes: 'Likely causes' }
    : { details: `Export ${index + 1} of ${count}`, causes: `Likely causes, export ${index + 1}` };
}

function stoppedSections(
  stopped: StoppedSource,
  headings: { details: string; causes: string },
  times: HealthTimes,
  now: number,
): NoticeSection[] {
  const { status } = stopped.health;
  const failures = lastDayCounts(status.ring, now).failures;
  const failure = status.lastFailure;
  const ours =
    failures > 0 && failure
      ? `this app failed to read it: ${plural(failures, 'failed try', 'failed tries')} in the last 24 h, the last at ${times.at(failure.at)}: ${oneLine(failure.error, 500)}`
      : `this app stopped reading it: check that ${readerOf(status.source)} runs`;
  return [
    {
      kind: 'facts',
      heading: headings.details,
      facts: [
        { label: 'Export', value: nameOf(stopped.health) },
        { label: 'Last data', value: `${times.at(stopped.since)} (${formatAge(stopped.since, now)} ago)` },
        {
          label: 'Threshold',
          value: `${stopped.staleMinutes} min (${STALE_SETTINGS[status.source]} or EXPORT_STALE_MINUTES)`,
        },
        { label: 'Last blob or range', value: lastDelivery(stopped.health) },
        { label: 'Failures reading it, 24 h', value: String(failures) },
      ],
    },
    {
      kind: 'list',
      heading: headings.causes,
      items:
        failures > 0
          ? [ours, ...likelyCauses(status.source, status.type)]
          : [...likelyCauses(status.source, status.type), ours],
    },
  ];
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
