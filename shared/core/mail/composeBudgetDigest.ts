import { plural } from '../plural';
import { type AlertEmail, LEDGER_KEY_HEADER } from './alertEmail';
import { MAX_SUBJECT_CHARS } from './alertSubject';
import { headerText, oneLine } from './displayValue';
import { HOUR_MS, type RecipientHour } from './recipientHour';
import { renderNotice } from './renderNotice';
import { zonedClock } from './zonedTime';

export interface BudgetDigest {
  /** The recipient-hour as frozen for its digest. */
  readonly hour: RecipientHour;
  /** ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR when the digest is made. */
  readonly limit: number;
  /** Traces the e-mail back to its record in the ledger: sent as a header, never in the body. */
  readonly ledgerKey: string;
  /** The ledger the record is filed under, for `custom_args`. */
  readonly ledger: string;
  /** IANA zone the e-mail writes times in (ALERT_TIME_ZONE); UTC when not given. */
  readonly timeZone?: string;
}

/** Severity of a digest none of whose subjects names one. */
const DEFAULT_SEVERITY = 2;

/**
 * The e-mail that stands for the alerts one recipient did not get in one hour, past
 * ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: in the notice layout of the other alert e-mails, a table of
 * the alerts (subject, rule, time; the first MAX_FOLD_LINES) and the total. Pure: the same frozen hour
 * always gives the same e-mail, so a digest made again after a crash is the one already recorded.
 * Subjects and rule names came from telemetry and rules: shown as escaped text, never links.
 */
export function composeBudgetDigest(digest: BudgetDigest, from: string): AlertEmail {
  const { hour } = digest;
  const clock = zonedClock(digest.timeZone ?? 'UTC');
  const span = clock.range(new Date(hour.hourStart), new Date(hour.hourStart + HOUR_MS), true);
  const total = hour.foldedTotal;
  const alerts = plural(total, 'alert');
  const notes: string[] = [];
  if (total > hour.lines.length)
    notes.push(`${plural(total - hour.lines.length, 'more alert')} not listed; they are counted in the total.`);
  notes.push("Each alert's full e-mail is in the ledger: export-alerts alerts list --rule <rule> lists them.");
  const { text, html } = renderNotice({
    state: 'FIRING',
    severity: mostSevere(hour.lines.map((l) => l.subject)),
    title: `${alerts} held back in one hour`,
    subtitle: `digest · ${span}`,
    why:
      `You were sent ${plural(hour.counted.length, 'alert e-mail')} in the hour ${span}, the most one recipient gets in an hour ` +
      `(ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR=${digest.limit}); the ${alerts} after them come in this digest instead.`,
    links: [],
    sections: [
      {
        kind: 'table',
        heading: 'Alerts held back, in the order they came',
        headings: ['Time', 'Rule', 'Subject'],
        rows: hour.lines.map((l) => [clock.time(new Date(l.at)), oneLine(l.rule, 400), oneLine(l.subject, 200)]),
      },
      { kind: 'notes', lines: notes },
    ],
    footer: [
      { text: 'Raise or lower the budget with the setting ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR.' },
      { text: `Sent by insights-export-alerts. Times in ${clock.zone}.` },
    ],
  });
  const ledgerKey = headerText(digest.ledgerKey, 1_000);
  return {
    from: headerText(from, 320),
    to: [headerText(hour.recipient, 320)],
    subject: headerText(`[digest] ${alerts} held back for you, ${span}`, MAX_SUBJECT_CHARS),
    text,
    html,
    customArgs: { ledgerKey, rule: headerText(digest.ledger, 1_000) },
    headers: { [LEDGER_KEY_HEADER]: ledgerKey },
  };
}

/**
 * The most severe `[SevN]` the subjects start with (the default subject template does); the digest's
 * banner is coloured by it, so a held-back Sev0 still shows red.
 */
function mostSevere(subjects: readonly string[]): number {
  let severity = Infinity;
  for (const subject of subjects) {
    const found = /^\[Sev([0-4])\]/.exec(subject);
    if (found?.[1] !== undefined) severity = Math.min(severity, Number(found[1]));
  }
  return Number.isFinite(severity) ? severity : DEFAULT_SEVERITY;
}
