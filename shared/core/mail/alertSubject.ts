import type { AlertDigest } from './alertEmail';
import { headerText } from './displayValue';

/** SendGrid and mail clients accept far longer subjects; past this, readers see nothing more anyway. */
export const MAX_SUBJECT_CHARS = 200;

/**
 * The subject of an alert e-mail: the rule's Subject template, or
 * `[Sev1] checkout-5xx: 12 requests in shop-prod [tenant=acme] (13:05–13:06 UTC)`.
 *
 * Template placeholders: `{rule}` id, `{scope}`, `{severity}` (`Sev1`), `{count}` matching records,
 * `{weighted}` their sum(itemCount), `{table}`, `{app}`, `{from}` and `{to}` (first and last event,
 * `HH:MM` UTC), `{group}` (the GroupBy label, empty without one). Unknown placeholders stay as written.
 * Control characters are replaced, so no value (the group comes from telemetry) can add a header line.
 */
export function alertSubject(digest: AlertDigest): string {
  const values = subjectValues(digest);
  if (digest.rule.subject === undefined) return headerText(defaultSubject(digest, values), MAX_SUBJECT_CHARS);
  const filled = digest.rule.subject.replace(/\{([A-Za-z]+)\}/g, (placeholder, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? (values[name] ?? '') : placeholder,
  );
  return headerText(filled, MAX_SUBJECT_CHARS);
}

function subjectValues(digest: AlertDigest): Record<string, string> {
  const { rule } = digest;
  const short = (text: string): string => headerText(text, MAX_SUBJECT_CHARS);
  return {
    rule: short(rule.id),
    scope: short(rule.scope),
    severity: `Sev${rule.severity}`,
    count: String(digest.matched.rows),
    weighted: String(digest.matched.weighted),
    table: rule.table,
    app: short(digest.appName),
    from: clock(digest.firstEventAt),
    to: clock(digest.lastEventAt),
    group: digest.group ? short(digest.group.label) : '',
  };
}

function defaultSubject(digest: AlertDigest, v: Record<string, string>): string {
  const group = v.group ? ` [${v.group}]` : '';
  return `[${v.severity}] ${v.rule}: ${v.count} ${v.table} in ${v.app}${group} (${timeRange(digest.firstEventAt, digest.lastEventAt)})`;
}

/** `13:05–13:06 UTC`, with dates when the range crosses midnight. */
function timeRange(first: Date, last: Date): string {
  if (Number.isNaN(first.getTime()) && Number.isNaN(last.getTime())) return 'time unknown';
  if (day(first) === day(last)) return `${clock(first)}–${clock(last)} UTC`;
  return `${day(first)} ${clock(first)} – ${day(last)} ${clock(last)} UTC`;
}

function day(date: Date): string {
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(0, 10);
}

function clock(date: Date): string {
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(11, 16);
}
