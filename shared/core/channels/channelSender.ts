import type { Logger } from '../logger';
import type { ChannelKind, ChannelPayload } from './channelPayload';

/** What a delivered notice left behind: where it went (scheme and host only) and what it took. */
export interface ChannelReceipt {
  readonly kind: ChannelKind;
  /** The channel's setting suffix: `OPS` for TEAMS_WEBHOOK_OPS. */
  readonly name: string;
  /** `https://prod-12.westus.logic.azure.com`: the target without path or query, which hold its secret. */
  readonly target: string;
  /** HTTP status of the accepting answer (Teams Workflows: 202, Slack: 200). */
  readonly status: number;
  /** HTTP requests this send made, retries included. */
  readonly attempts: number;
}

export interface ChannelSendOptions {
  /** The calling invocation's logger: a sender is shared by concurrent invocations. */
  readonly logger?: Logger;
}

/**
 * Delivers notice payloads to one configured channel (a Teams workflow, a Slack incoming webhook, a
 * signed generic webhook). Implementations retry rate limits, 5xx and network failures within a budget.
 *
 * @throws ChannelSendError when the channel did not take the payload; `retryable` says whether trying
 *   again later may help
 */
export interface ChannelSender {
  readonly kind: ChannelKind;
  readonly name: string;
  send(payload: ChannelPayload, options?: ChannelSendOptions): Promise<ChannelReceipt>;
}
