import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old (or how far ahead) a signed request may be when its receiver checks it: 5 minutes. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const PREFIX = 'sha256=';

/**
 * The `X-Alert-Signature` value of a webhook request: `sha256=` and the hex HMAC-SHA256, keyed with
 * the webhook's secret, of `<timestamp>.<body>` (the timestamp in unix seconds as sent in
 * `X-Alert-Timestamp`, a full stop, then the body's exact UTF-8 bytes). Signing the timestamp with the
 * body stops a captured request from being replayed later with a new timestamp.
 */
export function webhookSignature(body: string, timestamp: number, secret: string): string {
  return `${PREFIX}${createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body, 'utf8').digest('hex')}`;
}

/** Why a signed request was refused, or `ok`. */
export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * What a receiver does with a request (docs/CHANNELS.md shows it standalone): the timestamp within
 * `SIGNATURE_TOLERANCE_SECONDS` of its own clock, then the signature compared in constant time.
 *
 * @param rawBody - the request body exactly as received, before any JSON parsing
 * @param nowSeconds - the receiver's clock, unix seconds
 */
export function checkWebhookSignature(
  rawBody: Buffer | string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  secret: string,
  nowSeconds: number,
): SignatureCheck {
  if (headers.timestamp === undefined || headers.signature === undefined) return 'missing';
  if (!/^\d{1,12}$/.test(headers.timestamp) || !/^sha256=[0-9a-f]{64}$/.test(headers.signature)) return 'malformed';
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest();
  const given = Buffer.from(headers.signature.slice(PREFIX.length), 'hex');
  return timingSafeEqual(expected, given) ? 'ok' : 'mismatch';
}
