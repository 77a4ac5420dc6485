import type { TelemetryRecord } from '../export/telemetryRecord';
import { chartSection, chartSpan } from './alertChart';
import { type AlertDigest, type AlertEmail, LEDGER_KEY_HEADER } from './alertEmail';
import { alertEvents } from './alertEvents';
import { alertSubject } from './alertSubject';
import { headerText, MAX_VALUE_CHARS, oneLine } from './displayValue';
import { type MatchHistogram, matchHistogram } from './matchHistogram';
import { muteCommand } from './muteCommand';
import { bannerLabel, type Notice, type NoticeFact, type NoticeSection, severityLabel } from './notice';
import { APP_RESOURCE_ID_PREFIX, appSettingSuffix } from './noticeSettings';
import { componentOf, type ComponentRef, logsQueryLink } from './portalLinks';
import { renderNotice } from './renderNotice';
import { heldLine, whySentence } from './whySentence';
import { type ZonedClock, zonedClock } from './zonedTime';

export { MAX_TABLE_CHARS } from './alertEvents';

/** Longest rule id, app or ledger key put in `custom_args` (SendGrid: all of them < 10,000 bytes). */
const MAX_CUSTOM_ARG_CHARS = 1_000;
const MAX_QUERY_CHARS = 2_000;
const MINUTE = 60_000;
/** Leads the why-sentence of a test (`alerts send-test`), so the first thing read says it is one. */
export const TEST_NOTE =
  "TEST sent by 'export-alerts alerts send-test': nothing matched and nothing needs doing; the event and counts are made up, the rule is real. An alert would say:";

/**
 * Composes the FIRING e-mail of one alert: why it fired, the matches per minute, a link to the rule's
 * query in Log Analytics and to each event's transaction where the resource is known, the details and
 * the first events. Pure: the same digest always gives the same e-mail. The ledger key goes in a
 * header only.
 *
 * @param from - the sender address, from configuration
 */
export function composeAlertEmail(digest: AlertDigest, from: string): AlertEmail {
  const { rule } = digest;
  const clock = zonedClock(digest.timeZone ?? 'UTC');
  const component = linkedComponent(digest);
  const events = alertEvents(digest, clock, component);
  const histogram = digest.minutes === undefined ? undefined : matchHistogram(digest.minutes, rule.windowMinutes);
  const ruleName = `${rule.scope}/${rule.id}`;
  const app = oneLine(digest.appName, 200);

  const sections: NoticeSection[] = [];
  if (histogram !== undefined) sections.push(chartSection(histogram, clock));
  sections.push({ kind: 'facts', heading: 'Details', facts: facts(digest, events.records.length, clock) });
  if (events.records.length > 0)
    sections.push({ kind: 'records', heading: 'Events, earliest first', records: events.records });
  if (events.notes.length > 0) sections.push({ kind: 'notes', lines: events.notes });

  const span = querySpan(digest, histogram);
  const why = whySentence({
    table: rule.table,
    count: digest.window?.weighted ?? digest.matched.weighted,
    sampled: digest.matched.rows !== digest.matched.weighted,
    windowMinutes: digest.window?.minutes ?? 0,
    threshold: digest.window?.threshold ?? rule.threshold,
    group: digest.group?.values ?? {},
  });
  const test = digest.test === true;
  const notice: Notice = {
    state: 'FIRING',
    // A test wears grey, which claims no urgency, whatever the rule's severity.
    ...(test
      ? { banner: { label: `TEST · ${bannerLabel({ state: 'FIRING', severity: rule.severity })}`, tone: 'neutral' } }
      : {}),
    severity: rule.severity,
    title: oneLine(rule.id, 200),
    subtitle: [app, rule.queryTable, ...(digest.group ? [oneLine(digest.group.label, 200)] : [])].join(' · '),
    why: test ? `${TEST_NOTE} ${why}` : why,
    held: heldLines(digest, clock),
    links:
      component === undefined
        ? []
        : [{ label: 'Open in Log Analytics', href: logsQueryLink(component, rule.query, span.from, span.to) }],
    linksNote: `No Log Analytics link: set ${APP_RESOURCE_ID_PREFIX}${appSettingSuffix(app).slice(0, 100)}, or the rule's ResourceId, to the app's Application Insights resource id.`,
    sections,
    footer: [
      { text: `Rule ${oneLine(ruleName, 400)}, ${severityLabel(rule.severity)}.` },
      { text: 'Mute it for 2 hours:', command: muteCommand(rule) },
      {
        text: `Sent by insights-export-alerts. Times in ${clock.zone}; telemetry values are shown as text, cut at ${MAX_VALUE_CHARS} characters.`,
      },
    ],
  };
  const { text, html } = renderNotice(notice);
  const ledgerKey = headerText(digest.ledgerKey, MAX_CUSTOM_ARG_CHARS);
  return {
    from: headerText(from, 320),
    to: rule.recipients.map((address) => headerText(address, 320)),
    subject: alertSubject(digest),
    text,
    html,
    customArgs: {
      ledgerKey,
      rule: headerText(ruleName, MAX_CUSTOM_ARG_CHARS),
      app: headerText(digest.appName, MAX_CUSTOM_ARG_CHARS),
    },
    headers: { [LEDGER_KEY_HEADER]: ledgerKey },
  };
}

function facts(digest: AlertDigest, shown: number, clock: ZonedClock): NoticeFact[] {
  const { rule, matched, group } = digest;
  const list: NoticeFact[] = [
    { label: 'Rule', value: oneLine(`${rule.scope}/${rule.id}`, 400) },
    { label: 'Query', value: rule.query.slice(0, MAX_QUERY_CHARS), code: true },
    {
      label: 'Threshold',
      value:
        rule.windowMinutes > 0
          ? `${rule.threshold} within ${rule.windowMinutes} minutes of event time`
          : `${rule.threshold} in one delivery`,
    },
    { label: 'App', value: `${oneLine(digest.appName, 200)} (${oneLine(digest.folder, 300)})` },
    { label: 'Blob', value: oneLine(digest.blobName, 1_000) },
  ];
  if (group) list.push({ label: 'Group', value: oneLine(group.label, 500) });
  const unknown = Number.isNaN(digest.firstEventAt.getTime()) && Number.isNaN(digest.lastEventAt.getTime());
  list.push(
    {
      label: 'Events between',
      value: unknown
        ? 'unknown: no matching event carried a usable time'
        : clock.range(digest.firstEventAt, digest.lastEventAt),
    },
    { label: 'Matched', value: counted(matched.rows, matched.weighted) },
    { label: 'Shown', value: `${shown}, earliest first` },
  );
  return list;
}

function heldLines(digest: AlertDigest, clock: ZonedClock): string[] {
  const lines: string[] = [];
  const { suppressed, muted } = digest;
  if (suppressed && suppressed.rows > 0) {
    lines.push(heldLine({ ...suppressed, since: suppressed.since.getTime() }, 'throttled', clock));
  }
  if (muted && muted.rows > 0) {
    const since = muted.since?.getTime();
    lines.push(
      heldLine(
        { rows: muted.rows, weighted: muted.weighted, ...(since === undefined ? {} : { since }) },
        'muted',
        clock,
      ),
    );
  }
  return lines;
}

/**
 * The resource the e-mail links to: the one the matches name in `_ResourceId` (successor formats) when
 * they agree, else the rule's ResourceId, else the app's APPINSIGHTS_RESOURCE_ID_<app> setting. Each
 * must be a valid Application Insights resource id, or it is passed over.
 */
function linkedComponent(digest: AlertDigest): ComponentRef | undefined {
  return (
    commonComponent(digest.events) ??
    componentOf(digest.rule.notifications.resourceId) ??
    componentOf(digest.appResourceId)
  );
}

function commonComponent(events: readonly TelemetryRecord[]): ComponentRef | undefined {
  let found: ComponentRef | undefined;
  for (const event of events) {
    const component = componentOf(event.columns['_ResourceId']);
    if (component === undefined) continue;
    if (found !== undefined && found.id.toLowerCase() !== component.id.toLowerCase()) return undefined;
    found ??= component;
  }
  return found;
}

/** The minutes the e-mail is about, for its query link: every event's, and the chart's. */
function querySpan(digest: AlertDigest, histogram: MatchHistogram | undefined): { from: Date; to: Date } {
  const chart = histogram === undefined ? undefined : chartSpan(histogram);
  const starts = [floorMinute(digest.firstEventAt), chart?.start ?? NaN].filter(Number.isFinite);
  const ends = [floorMinute(digest.lastEventAt) + MINUTE, chart?.end ?? NaN].filter(Number.isFinite);
  return {
    from: new Date(starts.length > 0 ? Math.min(...starts) : NaN),
    to: new Date(ends.length > 0 ? Math.max(...ends) : NaN),
  };
}

function floorMinute(date: Date): number {
  return Math.floor(date.getTime() / MINUTE) * MINUTE;
}

/** NOTE: Application Insights samples telemetry; one record then stands for `itemCount` items. */
function counted(rows: number, weighted: number): string {
  const records = `${rows} record${rows === 1 ? '' : 's'}`;
  return rows === weighted ? records : `${records}, sum(itemCount) ${weighted} (sampled telemetry)`;
}
