import type { AlertBook } from '../alerts/alertBook';
import type { AlertRecord } from '../alerts/alertRecord';
import { sendAlertRecord } from '../alerts/sendAlertRecord';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { HealthBook } from './healthBook';

/** What the watchdog and the digest send with: the alert book's records, the mailer, the clock. */
export interface HealthMailDeps {
  readonly book: AlertBook;
  readonly mailer: Mailer;
  readonly now: () => number;
  readonly logger: Logger;
  readonly pause: (ms: number) => Promise<void>;
  readonly from: string;
  /** HEALTH_ALERT_RECIPIENTS. */
  readonly recipients: readonly string[];
  /** How long the writer of a record holds its send (ALERT_LEASE_SECONDS). */
  readonly leaseMs: number;
  readonly health: HealthBook;
  /** ALERT_TIME_ZONE, the zone of the e-mails' times; UTC when not given. */
  readonly timeZone?: string;
}

/** E-mails one step sent, failed to send (the maintenance step retries them) and had refused. */
export interface HealthEmails {
  sent: number;
  failed: number;
  rejected: number;
}

export function noEmails(): HealthEmails {
  return { sent: 0, failed: 0, rejected: 0 };
}

/**
 * Sends a health record this run has just written, and counts the outcome. It is the record's
 * claimant until its lease ends, as an alert's writer is; a failure is recorded on it as for an alert.
 */
export async function sendHealthRecord(deps: HealthMailDeps, record: AlertRecord, emails: HealthEmails): Promise<void> {
  const outcome = await sendAlertRecord(record, deps);
  emails[outcome.kind === 'sent' ? 'sent' : outcome.kind]++;
}

export function mailContext(deps: Pick<HealthMailDeps, 'from' | 'recipients' | 'timeZone'>, now: number) {
  return {
    from: deps.from,
    to: deps.recipients,
    now,
    ...(deps.timeZone === undefined ? {} : { timeZone: deps.timeZone }),
  };
}
