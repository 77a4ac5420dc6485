import type { AlertRule } from '../rules/alertRule';
import { type AlertEmail, LEDGER_KEY_HEADER } from './alertEmail';
import { MAX_SUBJECT_CHARS } from './alertSubject';
import { headerText, oneLine } from './displayValue';
import { type Notice, type NoticeFact, severityLabel } from './notice';
import { APP_RESOURCE_ID_PREFIX, appSettingSuffix } from './noticeSettings';
import { componentOf, logsQueryLink } from './portalLinks';
import { renderNotice } from './renderNotice';
import { countedItems } from './tableNouns';
import { type ZonedClock, zonedClock } from './zonedTime';

/**
 * Everything a RESOLVED notice says: an alert of one rule and group is over. Data only, so the layout can
 * change without touching when notices are sent. It carries what the FIRING e-mail's links are built
 * from: the resource (the one the alert's telemetry named, else the rule's ResourceId, else the app's
 * setting), the rule's query and the alert's time range.
 */
export interface ResolvedNotice {
  readonly rule: AlertRule;
  /** The app and export folder of the alert's first e-mail. */
  readonly appName: string;
  readonly folder: string;
  /** The blob whose matches sent the alert's first e-mail. */
  readonly blobName: string;
  readonly group?: { readonly label: string; readonly values: Readonly<Record<string, string>> };
  /** The alert's first e-mail (app clock). */
  readonly firstFiredAt: Date;
  /** The last delivery whose matches met the threshold within a window. */
  readonly lastBreachAt: Date;
  /** A whole window after the last breach: when the group went quiet for good. */
  readonly resolvedAt: Date;
  /** Matches from the first e-mail's delivery on, and the sum of their itemCount. */
  readonly matched: { readonly rows: number; readonly weighted: number };
  /** Alert e-mails of the episode, the first included. */
  readonly firings: number;
  /** Event time range of the alert's matches; absent when none carried a usable time. */
  readonly events?: { readonly first: Date; readonly last: Date };
  /** A mute held the notice back when the group resolved: it went out once the mute was over. */
  readonly heldByMute?: boolean;
  /** The Application Insights resource the alert's telemetry named (`_ResourceId`), when one did. */
  readonly resourceId?: string;
  /** The app's resource from its APPINSIGHTS_RESOURCE_ID_<app> setting. */
  readonly appResourceId?: string;
  /** IANA zone the e-mail writes times in (ALERT_TIME_ZONE); UTC when not given. */
  readonly timeZone?: string;
  /** Traces the e-mail back to its record in the ledger: sent as a header, never in the body. */
  readonly ledgerKey: string;
}

/**
 * The RESOLVED e-mail of an alert, in the layout of the FIRING one: subject
 * `[Resolved] [Sev1] checkout-5xx in shop-prod [tenant=acme]: lasted 42 min`, why it is over, the same
 * Log Analytics link over the alert's whole span, and the details. Pure: the same notice always gives
 * the same e-mail.
 */
export function composeResolvedEmail(notice: ResolvedNotice, from: string): AlertEmail {
  const { rule } = notice;
  const clock = zonedClock(notice.timeZone ?? 'UTC');
  const ruleName = `${rule.scope}/${rule.id}`;
  const app = oneLine(notice.appName, 200);
  const lasted = durationText(notice.resolvedAt.getTime() - notice.firstFiredAt.getTime());
  const component =
    componentOf(notice.resourceId) ?? componentOf(rule.notifications.resourceId) ?? componentOf(notice.appResourceId);
  const spanFrom = Math.min(notice.firstFiredAt.getTime(), notice.events?.first.getTime() ?? Infinity);
  const group = Object.entries(notice.group?.values ?? {})
    .map(([key, value]) => `${oneLine(key, 200)} = ${oneLine(value, 200)}`)
    .join(', ');
  const layout: Notice = {
    state: 'RESOLVED',
    severity: rule.severity,
    title: oneLine(rule.id, 200),
    subtitle: [app, rule.queryTable, ...(notice.group ? [oneLine(notice.group.label, 200)] : [])].join(' · '),
    why:
      `Fewer than ${countedItems(rule.threshold, rule.table)} matched in any ${rule.windowMinutes} minutes` +
      `${group === '' ? '' : ` for ${group}`} since the last breach at ${clock.time(notice.lastBreachAt)}: ` +
      `resolved after ${lasted}.`,
    held: notice.heldByMute ? ['This notice waited for a mute to end: the alert resolved while it was muted.'] : [],
    links:
      component === undefined
        ? []
        : [
            {
              label: 'Open in Log Analytics',
              href: logsQueryLink(component, rule.query, new Date(floorMinute(spanFrom)), notice.resolvedAt),
            },
          ],
    linksNote: `No Log Analytics link: set ${APP_RESOURCE_ID_PREFIX}${appSettingSuffix(app).slice(0, 100)}, or the rule's ResourceId, to the app's Application Insights resource id.`,
    sections: [{ kind: 'facts', heading: 'Details', facts: facts(notice, lasted, clock) }],
    footer: [
      { text: `Rule ${oneLine(ruleName, 400)}, ${severityLabel(rule.severity)}.` },
      { text: `Sent by insights-export-alerts. Times in ${clock.zone}.` },
    ],
  };
  const { text, html } = renderNotice(layout);
  const ledgerKey = headerText(notice.ledgerKey, 1_000);
  return {
    from: headerText(from, 320),
    to: rule.recipients.map((address) => headerText(address, 320)),
    subject: headerText(
      `[Resolved] [Sev${rule.severity}] ${rule.id} in ${notice.appName}${notice.group ? ` [${notice.group.label}]` : ''}: lasted ${lasted}`,
      MAX_SUBJECT_CHARS,
    ),
    text,
    html,
    customArgs: {
      ledgerKey,
      rule: headerText(ruleName, 1_000),
      app: headerText(notice.appName, 1_000),
      state: 'RESOLVED',
    },
    headers: { [LEDGER_KEY_HEADER]: ledgerKey },
  };
}

function facts(notice: ResolvedNotice, lasted: string, clock: ZonedClock): NoticeFact[] {
  const { rule } = notice;
  const list: NoticeFact[] = [
    { label: 'Rule', value: oneLine(`${rule.scope}/${rule.id}`, 400) },
    { label: 'Query', value: rule.query.slice(0, 2_000), code: true },
    { label: 'Threshold', value: `${rule.threshold} within ${rule.windowMinutes} minutes of event time` },
    { label: 'App', value: `${oneLine(notice.appName, 200)} (${oneLine(notice.folder, 300)})` },
  ];
  if (notice.group) list.push({ label: 'Group', value: oneLine(notice.group.label, 500) });
  list.push(
    { label: 'Firing since', value: `${clock.dateTime(notice.firstFiredAt)} (first alert e-mail)` },
    { label: 'Resolved at', value: clock.dateTime(notice.resolvedAt) },
    { label: 'Lasted', value: lasted },
    { label: 'Alert e-mails', value: String(notice.firings) },
    { label: 'Matched', value: `${counted(notice.matched.rows, notice.matched.weighted)} during the alert` },
  );
  if (notice.events)
    list.push({ label: 'Events between', value: clock.range(notice.events.first, notice.events.last) });
  list.push({ label: 'First alert from', value: oneLine(notice.blobName, 1_000) });
  return list;
}

/** `42 min`, `3 h 5 min`, `2 d 4 h`; `under a minute` below one. */
export function durationText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

/** NOTE: Application Insights samples telemetry; one record then stands for `itemCount` items. */
function counted(rows: number, weighted: number): string {
  const records = `${rows} record${rows === 1 ? '' : 's'}`;
  return rows === weighted ? records : `${records}, sum(itemCount) ${weighted} (sampled telemetry)`;
}
