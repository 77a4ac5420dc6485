import { WEBHOOK_HEADERS } from '../../core/channels/webhookPayload';
import { webhookSignature } from '../../core/channels/webhookSignature';
import { bodyDetails, type ChannelResponse, type ChannelVerdict, statusFailure } from './channelFailure';
import { HttpChannelSender, type HttpChannelSenderOptions } from './httpChannelSender';

type SenderOptions = Omit<HttpChannelSenderOptions, 'kind' | 'judge' | 'attemptHeaders' | 'secrets'> & {
  /** WEBHOOK_SECRET_<NAME>: the HMAC key, never sent, never logged. */
  readonly secret: string;
};

/**
 * A sender to a generic webhook (WEBHOOK_URL_<NAME>): every attempt carries `X-Alert-Timestamp` (its
 * own unix seconds, so a retry after a wait is not refused as stale) and `X-Alert-Signature` over that
 * timestamp and the exact body bytes (docs/CHANNELS.md shows how a receiver checks them).
 */
export function signedWebhookSender(options: SenderOptions): HttpChannelSender {
  const { secret, ...rest } = options;
  return new HttpChannelSender({
    ...rest,
    kind: 'webhook',
    secrets: [secret],
    judge: judgeWebhookAnswer,
    attemptHeaders: (body, nowMs) => {
      const timestamp = Math.floor(nowMs / 1000);
      return {
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: webhookSignature(body, timestamp, secret),
      };
    },
  });
}

/** Any 2xx is taken; 429 and 5xx are retried; anything else (a 3xx too: redirects are not followed) is not. */
export function judgeWebhookAnswer(response: ChannelResponse, nowMs: number): ChannelVerdict {
  if (response.status >= 200 && response.status < 300) return { ok: true };
  const hint =
    response.status === 401 || response.status === 403
      ? 'the receiver refused the signature: check that WEBHOOK_SECRET_ matches its secret and both clocks'
      : response.status >= 300 && response.status < 400
        ? 'redirects are not followed: set the final URL'
        : '';
  return { ok: false, failure: statusFailure(response, nowMs, bodyDetails(response.body), hint) };
}
