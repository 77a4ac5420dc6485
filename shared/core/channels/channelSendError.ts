import type { ChannelKind } from './channelPayload';

/** Stable code of a failed channel send, for logs and callers (never branch on the message). */
export const CHANNEL_SEND_FAILED = 'CHANNEL_SEND_FAILED';

/**
 * A notice a channel did not take. The message names the channel (`teams:OPS`) and its target as
 * scheme and host only: a webhook URL's path and query are its credential and never appear in it.
 */
export class ChannelSendError extends Error {
  readonly code = CHANNEL_SEND_FAILED;
  readonly kind: ChannelKind;
  /** `teams:OPS`: the channel as a rule's Notify names it. */
  readonly channel: string;
  /** HTTP status of the last answer (for a Teams connector quirk, the status its body reported). */
  readonly status: number | undefined;
  /** Whether the same payload may go through later: 429, 5xx, network failures and timeouts. */
  readonly retryable: boolean;
  /** The service's own error words (`invalid_payload`, `channel_is_archived`), cut and redacted. */
  readonly details: readonly string[];
  /** Requests tried, retries included. */
  readonly attempts: number;

  constructor(
    message: string,
    options: {
      readonly kind: ChannelKind;
      readonly name: string;
      readonly status?: number;
      readonly retryable: boolean;
      readonly details?: readonly string[];
      readonly attempts: number;
      readonly cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChannelSendError';
    this.kind = options.kind;
    this.channel = `${options.kind}:${options.name}`;
    this.status = options.status;
    this.retryable = options.retryable;
    this.details = options.details ?? [];
    this.attempts = options.attempts;
  }
}
