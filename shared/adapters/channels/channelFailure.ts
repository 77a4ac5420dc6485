import { describeError } from '../../core/describeError';

/** Why one request to a channel failed, and whether the same request may succeed later. */
export interface ChannelFailure {
  readonly status?: number;
  readonly retryable: boolean;
  /** The service's own words (error codes, messages), cut; redacted by the sender before use. */
  readonly details: string[];
  /** The wait the service asked for (Retry-After), in ms, as asked: may be 0 or huge. */
  readonly waitMs?: number;
  /** `429 Too Many Requests`, `ECONNREFUSED`: for messages and logs. */
  readonly description: string;
}

/** An answer as a judge sees it: the status and at most the first 16 KB of the body. */
export interface ChannelResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: string;
}

/** What a channel's answer means: taken, or a failure. */
export type ChannelVerdict = { readonly ok: true } | { readonly ok: false; readonly failure: ChannelFailure };

/** Reads one kind of channel's answers (the services disagree on what a success looks like). */
export type JudgeResponse = (response: ChannelResponse, nowMs: number) => ChannelVerdict;

/**
 * Network failures worth another try, by the code Node's fetch (undici) puts on the error's cause: the
 * connection refused, reset or timed out, the name not resolved (yet). A TLS certificate problem or
 * an invalid URL fails the same way every time.
 */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** A failure for any answer that is not a success: 429 and 5xx retryable, every other status not. */
export function statusFailure(response: ChannelResponse, nowMs: number, details: string[], hint = ''): ChannelFailure {
  const retryable = response.status === 429 || response.status >= 500;
  const waitMs = retryable ? retryAfterMs(response.headers, nowMs) : undefined;
  const text = response.statusText === '' ? '' : ` ${response.statusText}`;
  return {
    status: response.status,
    retryable,
    details,
    ...(waitMs === undefined ? {} : { waitMs }),
    description: `${response.status}${text}${hint === '' ? '' : ` (${hint})`}`,
  };
}

/** What fetch rejected with, other than the attempt's own deadline. */
export function networkFailure(error: unknown): ChannelFailure {
  // NOTE: read by shape, not instanceof: fetch's errors may come from another realm (a test VM).
  const thrown = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof thrown.cause?.code === 'string' ? thrown.cause.code : thrown.code;
  if (typeof code === 'string') return { retryable: RETRYABLE_NETWORK_CODES.has(code), details: [], description: code };
  return { retryable: false, details: [], description: describeError(error).slice(0, 200) };
}

/**
 * An attempt cut off by its own deadline counts as retryable. NOTE: the service may have taken the
 * payload before the answer was cut off; a retry then posts it twice (receivers of the generic
 * webhook deduplicate on Idempotency-Key).
 */
export function deadlineFailure(deadlineMs: number): ChannelFailure {
  return {
    retryable: true,
    details: [],
    description: `no complete answer within ${Math.round(deadlineMs)} ms (timeout)`,
  };
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined without a readable one. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The error words in a body: `{"error":{"code","message"}}` (Azure, Power Automate), `{"error":"…"}`
 * (Slack's JSON answers), `{"message":"…"}`, or the text's first line, each cut at 300 characters.
 */
export function bodyDetails(body: string): string[] {
  const text = body.trim();
  if (text === '') return [];
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = parsed.error as { code?: unknown; message?: unknown } | string | undefined;
    if (typeof error === 'string') return [error.slice(0, 300)];
    if (error !== undefined && error !== null && typeof error === 'object') {
      const words = [error.code, error.message].filter((w): w is string => typeof w === 'string');
      if (words.length > 0) return [words.join(': ').slice(0, 300)];
    }
    if (typeof parsed.message === 'string') return [parsed.message.slice(0, 300)];
  } catch {
    // Not JSON: the text itself.
  }
  return [(text.split(/\r?\n/)[0] ?? '').slice(0, 300)];
}
