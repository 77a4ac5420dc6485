/** A message the mail provider did not accept. The host retries the invocation when `retryable`. */
export class MailSendError extends Error {
  readonly code = 'MAIL_SEND_FAILED';
  /** HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  /** Whether the same message may go through later: rate limits, 5xx and network errors. */
  readonly retryable: boolean;
  /** The provider's own error messages (SendGrid `errors[].message`). */
  readonly details: readonly string[];
  /** Requests tried for the failing batch, retries included. */
  readonly attempts: number;
  /** Recipients of earlier batches that were accepted before this one failed. */
  readonly acceptedRecipients: readonly string[];

  constructor(
    message: string,
    options: {
      readonly status?: number;
      readonly retryable: boolean;
      readonly details?: readonly string[];
      readonly attempts: number;
      readonly acceptedRecipients?: readonly string[];
      readonly cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailSendError';
    this.status = options.status;
    this.retryable = options.retryable;
    this.details = options.details ?? [];
    this.attempts = options.attempts;
    this.acceptedRecipients = options.acceptedRecipients ?? [];
  }
}

export function isMailSendError(error: unknown): error is MailSendError {
  return error instanceof MailSendError;
}
