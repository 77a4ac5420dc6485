import { MAX_EVENTS_LIMIT } from '../rules/alertRule';
import { type AlertDigest, type AlertEmail, LEDGER_KEY_HEADER } from './alertEmail';
import { alertSubject } from './alertSubject';
import { displayValue, headerText, MAX_VALUE_CHARS, oneLine } from './displayValue';
import { eventColumns } from './eventColumns';
import { type AlertBody, renderAlertBody } from './renderAlertBody';

/**
 * Most characters of telemetry one e-mail's events table holds. HTML escaping at most sextuples it and
 * UTF-8 at most triples that, so each body stays a few MB, far under SendGrid's 30 MB limit.
 */
export const MAX_TABLE_CHARS = 250_000;
/** Longest rule id, app or ledger key put in `custom_args` (SendGrid: all of them < 10,000 bytes). */
const MAX_CUSTOM_ARG_CHARS = 1_000;
const MAX_QUERY_CHARS = 2_000;

/**
 * Composes the e-mail for one alert. Pure: the same digest always gives the same e-mail.
 *
 * @param from - the sender address, from configuration
 */
export function composeAlertEmail(digest: AlertDigest, from: string): AlertEmail {
  const { rule } = digest;
  const { columns, omitted } = eventColumns(rule);
  const limit = Math.min(rule.maxEvents, MAX_EVENTS_LIMIT, digest.events.length);
  const rows: string[][] = [];
  let tableChars = 0;
  for (const event of digest.events.slice(0, limit)) {
    const row = columns.map((column) => displayValue(column.read(event), column.unit));
    tableChars += row.reduce((sum, cell) => sum + cell.length, 0);
    if (tableChars > MAX_TABLE_CHARS) break;
    rows.push(row);
  }

  const notes: string[] = [];
  const unshown = digest.matched.rows - rows.length;
  if (unshown > 0) {
    const why =
      rows.length < limit
        ? ' to keep the e-mail small'
        : rows.length >= rule.maxEvents
          ? `: the rule shows at most ${rule.maxEvents} (MaxEvents)`
          : '';
    notes.push(`${unshown} more matching record${unshown === 1 ? '' : 's'} not shown${why}.`);
  }
  if (omitted > 0) notes.push(`${omitted} more column${omitted === 1 ? '' : 's'} of the rule's Columns not shown.`);

  const ruleName = `${rule.scope}/${rule.id}`;
  const body: AlertBody = {
    title: `[Sev${rule.severity}] Rule ${oneLine(ruleName, 200)} fired for ${oneLine(digest.appName, 200)}`,
    facts: facts(digest, rows.length),
    headings: columns.map((c) => oneLine(c.heading, 100)),
    rows,
    notes,
    footer:
      `Ledger key: ${oneLine(digest.ledgerKey, MAX_CUSTOM_ARG_CHARS)}. Sent by insights-export-alerts; ` +
      `telemetry values are shown as text, cut at ${MAX_VALUE_CHARS} characters.`,
  };
  const { text, html } = renderAlertBody(body);
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

function facts(digest: AlertDigest, shown: number): [string, string][] {
  const { rule, matched, suppressed, group } = digest;
  const list: [string, string][] = [
    ['Rule', oneLine(`${rule.scope}/${rule.id}`, 400)],
    ['Severity', `Sev${rule.severity}`],
    ['Query', oneLine(rule.query, MAX_QUERY_CHARS)],
    ['App', `${oneLine(digest.appName, 200)} (${oneLine(digest.folder, 300)})`],
    ['Blob', oneLine(digest.blobName, 1_000)],
  ];
  if (group) {
    list.push(['Group', oneLine(group.label, 500)]);
    const values = Object.entries(group.values).map(([key, value]) => `${key} = ${value}`);
    if (values.length > 0) list.push(['Group values', oneLine(values.join(', '), 1_000)]);
  }
  list.push(
    [
      'Events between',
      Number.isNaN(digest.firstEventAt.getTime()) && Number.isNaN(digest.lastEventAt.getTime())
        ? 'unknown: no matching event carried a usable time'
        : `${displayValue(digest.firstEventAt)} and ${displayValue(digest.lastEventAt)} (UTC)`,
    ],
    ['Matched', counted(matched.rows, matched.weighted)],
    ['Shown', `${shown}, earliest first`],
  );
  if (digest.window) {
    const { minutes, weighted, threshold } = digest.window;
    list.push([
      'Threshold',
      `${weighted} matches within ${minutes} minutes of event time reached the rule's ${threshold}`,
    ]);
  }
  if (suppressed && suppressed.rows > 0) {
    list.push([
      'Suppressed',
      `${counted(suppressed.rows, suppressed.weighted)}, throttled since ${displayValue(suppressed.since)}`,
    ]);
  }
  return list;
}

/** NOTE: Application Insights samples telemetry; one record then stands for `itemCount` items. */
function counted(rows: number, weighted: number): string {
  const records = `${rows} record${rows === 1 ? '' : 's'}`;
  return rows === weighted ? records : `${records}, sum(itemCount) ${weighted} (sampled telemetry)`;
}
