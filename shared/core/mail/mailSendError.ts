/** A message the mail provider did not accept. The host retries the invocation when `retryable`. */
export class MailSendError extends Error {
  readonly code = 'MAIL_SEND_FAILED';
  /** HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  /**
   * Whether the same message may go through later: rate limits (429), 5xx, network errors and
   * timeouts. False means permanent: a 4xx other than 429, no recipients, a body SendGrid refuses.
   */
  readonly retryable: boolean;
  /** The provider's own error messages (SendGrid `errors[].message`). */
  readonly details: readonly string[];
  /** Requests tried for the failing batch, retries included. */
  readonly attempts: number;
  /**
   * Indices of the recipient batches this send got accepted before the failing one (batches skipped
   * through `skipBatches` not included). Their recipients have the e-mail: do not send them again.
   */
  readonly acceptedBatches: readonly number[];

  constructor(
    message: string,
    options: {
      readonly status?: number;
      readonly retryable: boolean;
      readonly details?: readonly string[];
      readonly attempts: number;
      readonly acceptedBatches?: readonly number[];
      readonly cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailSendError';
    this.status = options.status;
    this.retryable = options.retryable;
    this.details = options.details ?? [];
    this.attempts = options.attempts;
    this.acceptedBatches = options.acceptedBatches ?? [];
  }
}
