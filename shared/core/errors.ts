/**
 * The stable codes of the app's own failures: logs, alerts on logs and callers branch on these, never
 * on message text, which may change.
 */
export const ERROR_CODES = {
  /** Settings missing or malformed; fix the app settings and restart. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** Some alert e-mails of a delivery could not be sent; the host retries the invocation. */
  ALERT_DELIVERY_FAILED: 'ALERT_DELIVERY_FAILED',
  /** The mail provider did not take a message (`MailSendError.retryable` says whether to try again). */
  MAIL_SEND_FAILED: 'MAIL_SEND_FAILED',
  /** An entity the app stored reads back malformed, or written by a newer version of the app. */
  STORED_STATE_INVALID: 'STORED_STATE_INVALID',
  /** Other writers kept changing an entity through every attempt of a conditional update. */
  STORAGE_CONTENDED: 'STORAGE_CONTENDED',
  /** A table or container is being deleted, so it can neither be used nor created yet. */
  STORAGE_BEING_DELETED: 'STORAGE_BEING_DELETED',
  /** Something the code relies on did not hold: a bug, or storage changed underneath. */
  INVARIANT_BROKEN: 'INVARIANT_BROKEN',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The base of the app's errors: a stable `code`, and the `cause` when one failure wraps another. */
export abstract class CodedError extends Error {
  abstract readonly code: ErrorCode;
}

/** Whether `error` is one of the app's errors with this code. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is CodedError {
  return error instanceof CodedError && error.code === code;
}

/** Settings that are missing or malformed; lists every problem at once so one fix-up round suffices. */
export class ConfigError extends CodedError {
  readonly code = ERROR_CODES.CONFIG_INVALID;
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`invalid configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`, options);
    this.name = 'ConfigError';
  }
}

/**
 * Some alert e-mails of a blob could not be sent. Thrown so the Functions host retries the blob; the
 * ledger recorded each failure, and the alerts that did go out are not sent again.
 */
export class AlertDeliveryError extends CodedError {
  readonly code = ERROR_CODES.ALERT_DELIVERY_FAILED;
  constructor(
    readonly summary: unknown,
    readonly failures: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${failures.length} alert e-mail(s) could not be sent: ${failures.join('; ')}`, options);
    this.name = 'AlertDeliveryError';
  }
}

/** A message the mail provider did not accept. `sendAlertRecord` records it as rejected unless `retryable`. */
export class MailSendError extends CodedError {
  readonly code = ERROR_CODES.MAIL_SEND_FAILED;
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

/** Where a stored entity lives, for messages that let an operator find it in Storage Explorer. */
export interface EntityPlace {
  readonly table: string;
  readonly partitionKey: string;
  readonly rowKey: string;
}

/**
 * An entity the app wrote reads back as something it cannot trust: a property missing or of the wrong
 * type, or a version newer than this build knows. Never guessed around: a guessed alert state or
 * cursor could send an e-mail twice or never.
 */
export class StoredStateError extends CodedError {
  readonly code = ERROR_CODES.STORED_STATE_INVALID;
  readonly table: string;
  readonly partitionKey: string;
  readonly rowKey: string;
  constructor(
    place: EntityPlace,
    /** The property at fault: `State`, `Email_2`, `V`. */
    readonly property: string,
    /** What is wrong with it: `is missing`, `is text, expected a whole number`. */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `table ${place.table}, PartitionKey '${place.partitionKey}', RowKey '${place.rowKey}': ` +
        `${property} ${problem}`,
      options,
    );
    this.name = 'StoredStateError';
    this.table = place.table;
    this.partitionKey = place.partitionKey;
    this.rowKey = place.rowKey;
  }
}

/**
 * Entities of a listing that did not read and were skipped, reported together once the listing
 * ended, so one bad entity does not hold up the others.
 */
export class StoredEntitiesSkippedError extends CodedError {
  readonly code = ERROR_CODES.STORED_STATE_INVALID;
  constructor(readonly skipped: readonly StoredStateError[]) {
    const shown = skipped.slice(0, 5).map((e) => e.message);
    const more = skipped.length > shown.length ? `; and ${skipped.length - shown.length} more` : '';
    super(
      `${skipped.length} stored entit${skipped.length === 1 ? 'y' : 'ies'} skipped, not readable ` +
        `(repair or delete them): ${shown.join('; ')}${more}`,
      { cause: skipped[0] },
    );
    this.name = 'StoredEntitiesSkippedError';
  }
}

/** A conditional update lost to other writers on every attempt; the host's retry tries again later. */
export class StorageContendedError extends CodedError {
  readonly code = ERROR_CODES.STORAGE_CONTENDED;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageContendedError';
  }
}

/** A table or container still being deleted after the wait for it; the host's retry tries again later. */
export class StorageBeingDeletedError extends CodedError {
  readonly code = ERROR_CODES.STORAGE_BEING_DELETED;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageBeingDeletedError';
  }
}

/** Something that should always hold did not. */
export class InvariantError extends CodedError {
  readonly code = ERROR_CODES.INVARIANT_BROKEN;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvariantError';
  }
}
