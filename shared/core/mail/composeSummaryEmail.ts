import type { AlertRule } from '../rules/alertRule';
import { type AlertEmail, LEDGER_KEY_HEADER } from './alertEmail';
import { MAX_SUBJECT_CHARS } from './alertSubject';
import { headerText, oneLine } from './displayValue';
import { muteCommand } from './muteCommand';
import { severityLabel } from './notice';
import { renderNotice } from './renderNotice';
import { countedItems } from './tableNouns';

/** One fired group the summary lists. */
export interface SummaryGroup {
  readonly label: string;
  readonly rows: number;
  readonly weighted: number;
}

export interface SummaryDigest {
  readonly rule: AlertRule;
  readonly appName: string;
  readonly blobName: string;
  /** The groups past the rule's e-mail cap, most matches first. */
  readonly groups: readonly SummaryGroup[];
  /** E-mails the rule sent for this delivery on their own, for the reader's count. */
  readonly individualEmails: number;
  /** Sent as a header, never in the body. */
  readonly ledgerKey: string;
}

/** Groups one summary lists; the rest are counted in the total. Keeps the message small whatever the flood. */
export const MAX_SUMMARY_GROUPS = 200;

/**
 * The one e-mail that stands for every group past ALERT_MAX_EMAILS_PER_RULE in one delivery: a flood of
 * distinct GroupBy values (a custom dimension a browser sets, say) costs one message, not one each.
 * Group labels are telemetry: shown as escaped text, cut, never links.
 */
export function composeSummaryEmail(digest: SummaryDigest, from: string): AlertEmail {
  const { rule, groups } = digest;
  const ruleName = `${rule.scope}/${rule.id}`;
  const app = oneLine(digest.appName, 200);
  const total = groups.reduce((sum, g) => sum + g.rows, 0);
  const shown = groups.slice(0, MAX_SUMMARY_GROUPS);
  const notes: string[] = [];
  if (groups.length > shown.length)
    notes.push(`${groups.length - shown.length} more groups not listed; they are counted in the total.`);
  notes.push('Throttling still applies to each group.');
  const { text, html } = renderNotice({
    state: 'FIRING',
    severity: rule.severity,
    title: `${oneLine(rule.id, 200)} fired for ${groups.length} more groups in ${app}`,
    subtitle: `${app} · ${rule.queryTable} · summary`,
    why:
      `${groups.length} more groups matched ${countedItems(total, rule.table)} in one delivery, past the ` +
      `${digest.individualEmails + 1} e-mails the rule sends per delivery (ALERT_MAX_EMAILS_PER_RULE); they share this one.`,
    links: [],
    sections: [
      {
        kind: 'facts',
        heading: 'Details',
        facts: [
          { label: 'Rule', value: oneLine(ruleName, 400) },
          { label: 'Query', value: rule.query.slice(0, 2_000), code: true },
          { label: 'Blob', value: oneLine(digest.blobName, 1_000) },
          { label: 'Groups', value: `${groups.length} fired, ${total} matching records in all` },
          { label: 'Sent on their own', value: String(digest.individualEmails) },
        ],
      },
      {
        kind: 'table',
        heading: 'Groups, most matches first',
        headings: ['Group', 'Records', 'sum(itemCount)'],
        rows: shown.map((g) => [oneLine(g.label, 500), String(g.rows), String(g.weighted)]),
      },
      { kind: 'notes', lines: notes },
    ],
    footer: [
      { text: `Rule ${oneLine(ruleName, 400)}, ${severityLabel(rule.severity)}.` },
      { text: 'Mute it for 2 hours:', command: muteCommand(rule) },
      { text: 'Sent by insights-export-alerts; telemetry values are shown as text.' },
    ],
  });
  const ledgerKey = headerText(digest.ledgerKey, 1_000);
  return {
    from: headerText(from, 320),
    to: rule.recipients.map((address) => headerText(address, 320)),
    subject: headerText(
      `[Sev${rule.severity}] ${rule.id}: ${groups.length} more groups fired in ${digest.appName} (summary)`,
      MAX_SUBJECT_CHARS,
    ),
    text,
    html,
    customArgs: { ledgerKey, rule: headerText(ruleName, 1_000), app: headerText(digest.appName, 1_000) },
    headers: { [LEDGER_KEY_HEADER]: ledgerKey },
  };
}
