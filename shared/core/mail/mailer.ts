import type { Logger } from '../logger';
import type { AlertEmail } from './alertEmail';

export interface SendOptions {
  /**
   * Indices of recipient batches (`email.to` cut into MAX_RECIPIENTS_PER_REQUEST slices, in order) that
   * an earlier attempt already got accepted: they are not sent again. Indices past the last batch are
   * ignored. The outbox has one batch, index 0.
   */
  readonly skipBatches?: ReadonlySet<number>;
  /**
   * The calling invocation's logger, for what this send logs (a retry, a file written): a mailer is
   * shared by concurrent invocations, so it must not keep one of its own from whoever built it.
   */
  readonly logger?: Logger;
  /**
   * The alert this e-mail is, for the per-recipient budget (ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR):
   * `key` names it (`ruleKey/recordKey`), `at` is when its record was written, so every attempt of one
   * record counts in the same hour and gets the same recipients. Without it, or for the app's own
   * ledgers (a `#` key: health e-mails, the budget's digests), no budget applies.
   */
  readonly budget?: { readonly key: string; readonly at: number };
}

/** What a send did: the provider, the API requests it took, the ids the provider gave the message. */
export interface SendReceipt {
  readonly provider: 'sendgrid' | 'outbox';
  /** HTTP requests (or files) this send made, retries included; 0 when every batch was skipped. */
  readonly requests: number;
  readonly messageIds: string[];
  /** Where the outbox wrote the message. */
  readonly location?: string;
  /** Indices of the batches this send got accepted (skipped ones not included). The outbox: [0]. */
  readonly acceptedBatches: readonly number[];
  /** Recipients the per-recipient budget left out: their copy is in their digest at the end of the hour. */
  readonly heldBack?: number;
}

/**
 * Delivers composed alert e-mails.
 *
 * @throws MailSendError when the message could not be handed over; `retryable` says whether trying
 * again later may help, `acceptedBatches` which batches went through before the failure (pass them,
 * with those of earlier attempts, as `skipBatches` on the next try).
 */
export interface Mailer {
  send(email: AlertEmail, options?: SendOptions): Promise<SendReceipt>;
}
