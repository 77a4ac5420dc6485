import type { AlertResult } from './deliverAlerts';

/** What a delivery's alerts came to, for its summary line. */
export interface EmailCounts {
  sent: number;
  /** Alerts a previous delivery of this blob already e-mailed. */
  alreadySent: number;
  /** Alerts another invocation holds a live claim on: this invocation fails so they are tried again. */
  inFlight: number;
  /** Rule-and-group matches held back by ThrottleMinutes (counted for the next e-mail). */
  suppressed: number;
  /** Rule-and-group matches counted towards a Threshold not reached yet. */
  belowThreshold: number;
  /** Groups past ALERT_MAX_EMAILS_PER_RULE, listed in their rule's summary e-mail. */
  summarized: number;
  /** Sends that failed and will be tried again (the invocation fails). */
  failed: number;
  /** Messages SendGrid refused for good (a 4xx other than 429): recorded and logged, not retried. */
  rejected: number;
  /** Notices to Teams, Slack and webhook channels sent (the other counts take channels and e-mails alike). */
  notices: number;
}

/**
 * Counts a delivery's alert results, collects where the outbox wrote e-mails, and the failures that
 * must make the caller try the delivery again (a failed send, or a live claim of another invocation).
 */
export function tallyResults(results: readonly AlertResult[]): {
  emails: EmailCounts;
  outbox: string[];
  failures: string[];
} {
  const emails: EmailCounts = {
    sent: 0,
    alreadySent: 0,
    inFlight: 0,
    suppressed: 0,
    belowThreshold: 0,
    summarized: 0,
    failed: 0,
    rejected: 0,
    notices: 0,
  };
  const outbox: string[] = [];
  const failures: string[] = [];
  for (const result of results) {
    if (result.kind === 'sent' && result.channel !== undefined) emails.notices++;
    else emails[result.kind]++;
    if (result.kind === 'sent' && result.location !== undefined) outbox.push(result.location);
    if (result.kind === 'failed' || result.kind === 'inFlight') failures.push(result.error);
  }
  return { emails, outbox, failures };
}
