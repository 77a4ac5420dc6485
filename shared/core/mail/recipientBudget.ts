import type { Admission, BudgetLine, RecipientHour } from './recipientHour';

/**
 * The ledger of the budget's digests, next to the rules' in the alert book: each digest is a record
 * there, so it is sent, re-driven after a crash or a failure, and expired like an alert. A rule's scope
 * cannot hold `#`, so no rule's `scope/id` is this one. The recipient-hours live in its partition too.
 */
export const BUDGET_LEDGER = '#budget';

/** One alert to be weighed against the budget of each of its recipients for one hour. */
export interface AdmitRequest {
  /** Normalized (`recipientOf`) and distinct. */
  readonly recipients: readonly string[];
  /** The alert: `ruleKey/recordKey`. */
  readonly key: string;
  /** Start of the UTC hour the alert's record was written in. */
  readonly hourStart: number;
  /** What the digest lists for it, should it be folded. */
  readonly line: BudgetLine;
  /** ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR. */
  readonly limit: number;
}

/** A recipient-hour, by its keys. */
export interface HourRef {
  readonly recipient: string;
  readonly hourStart: number;
}

/**
 * Per recipient and UTC hour, the alerts e-mailed and those folded for the hour's digest (`RecipientHour`,
 * changed only through `admitToHour`). Each recipient-hour is one bounded record, changed conditionally
 * on the version read, so concurrent senders never count past the budget nor lose a fold. Table Storage
 * in production (partition `#budget` of the alert book's table), memory in unit tests.
 */
export interface RecipientBudget {
  /**
   * Weighs one alert for each recipient, idempotently per alert key: asked again (a retry of the same
   * record), it answers the same and changes nothing.
   * @returns the admission of every recipient of the request
   */
  admit(request: AdmitRequest): Promise<ReadonlyMap<string, Admission>>;
  /** Recipient-hours whose digest is due at `now` (`digestDue`): ended, something folded, no digest yet. */
  listDue(now: number): AsyncIterable<HourRef>;
  /**
   * Freezes an open recipient-hour for its digest (later alerts of the hour are sent on their own) and
   * returns it as frozen; a closed or digested one is returned unchanged; undefined when there is none.
   */
  close(hour: HourRef): Promise<RecipientHour | undefined>;
  /** Notes that the hour's digest is in the ledger, so no run makes it again. */
  markDigested(hour: HourRef): Promise<void>;
  /**
   * Deletes recipient-hours that started before `before` and owe no digest (digested, or nothing
   * folded), and any that started before `giveUpBefore`.
   * @returns how many were deleted, and the recipient-hours among them whose digest was never made
   */
  expire(
    before: number,
    giveUpBefore: number,
  ): Promise<{ readonly expired: number; readonly abandoned: readonly HourRef[] }>;
}
