import type { AlertDigest } from './alertEmail';
import { headerText } from './displayValue';
import { countedTableItems } from './tableNouns';
import { zonedClock } from './zonedTime';

/** SendGrid and mail clients accept far longer subjects; past this, readers see nothing more anyway. */
export const MAX_SUBJECT_CHARS = 200;

/**
 * The subject of an alert e-mail: the rule's Subject template, or
 * `[Sev1] checkout-5xx: 12 requests in shop-prod [tenant=acme] (13:05–13:06 UTC)`, its times in the
 * e-mail's zone (ALERT_TIME_ZONE) and its count read right for one (`1 request`).
 *
 * Template placeholders: `{rule}` id, `{scope}`, `{severity}` (`Sev1`), `{count}` matching records,
 * `{weighted}` their sum(itemCount), `{table}`, `{app}`, `{from}` and `{to}` (first and last event,
 * `HH:MM` UTC), `{group}` (the GroupBy label, empty without one). Unknown placeholders stay as written.
 * Control characters are replaced, so no value (the group comes from telemetry) can add a header line.
 * A test (`alerts send-test`) starts with `[TEST] `.
 */
export function alertSubject(digest: AlertDigest): string {
  const values = subjectValues(digest);
  const subject =
    digest.rule.subject === undefined
      ? defaultSubject(digest, values)
      : digest.rule.subject.replace(/\{([A-Za-z]+)\}/g, (placeholder, name: string) =>
          Object.prototype.hasOwnProperty.call(values, name) ? (values[name] ?? '') : placeholder,
        );
  // A test leads with its mark even under a Subject template, and even when the subject is cut.
  return headerText(`${digest.test === true ? '[TEST] ' : ''}${subject}`, MAX_SUBJECT_CHARS);
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
  // `13:05–13:06 UTC`, with dates when the range crosses midnight.
  const range = zonedClock(digest.timeZone ?? 'UTC').range(digest.firstEventAt, digest.lastEventAt, false);
  return `[${v.severity}] ${v.rule}: ${countedTableItems(digest.matched.rows, digest.rule.table)} in ${v.app}${group} (${range})`;
}

/** `HH:MM` UTC, the `{from}` and `{to}` of templates. */
function clock(date: Date): string {
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(11, 16);
}
