/** Why one SendGrid request failed, and whether the same request may succeed later. */
export interface SendGridFailure {
  readonly status?: number;
  readonly retryable: boolean;
  /** SendGrid's `errors[].message` texts. */
  readonly details: string[];
  /** The wait SendGrid asked for (Retry-After or X-RateLimit-Reset), in ms. */
  readonly waitMs?: number;
  /** `429 Too Many Requests`, `ECONNREFUSED`: for messages and logs. */
  readonly description: string;
}

/**
 * Network failures worth another try: the connection was refused, reset ("socket hang up") or timed
 * out (axios reports its own request timeout as ECONNABORTED).
 */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/**
 * Classifies what `@sendgrid/mail` rejected with: a `ResponseError` (`code` is the HTTP status,
 * `response` holds headers and body) or the underlying network error (`code` like `ECONNRESET`).
 *
 * @param nowMs - the current time, to turn `X-RateLimit-Reset` (unix seconds) into a wait
 */
export function classifySendGridFailure(error: unknown, nowMs: number): SendGridFailure {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'number') {
    const response = (error as { response?: { headers?: unknown; body?: unknown } }).response;
    const statusText = error instanceof Error && error.message !== '' ? ` ${error.message}` : '';
    const retryable = code === 429 || code >= 500;
    const waitMs = code === 429 ? requestedWait(response?.headers, nowMs) : undefined;
    return {
      status: code,
      retryable,
      details: errorMessages(response?.body),
      ...(waitMs === undefined ? {} : { waitMs }),
      description: `${code}${statusText}`,
    };
  }
  if (typeof code === 'string') {
    return { retryable: RETRYABLE_NETWORK_CODES.has(code), details: [], description: code };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { retryable: false, details: [], description: message };
}

/** Retry-After (seconds or an HTTP date) wins over X-RateLimit-Reset (unix seconds). */
function requestedWait(headers: unknown, nowMs: number): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = Number(header(headers, 'x-ratelimit-reset') ?? NaN);
  return Number.isFinite(reset) ? Math.max(0, reset * 1000 - nowMs) : undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

function errorMessages(body: unknown): string[] {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return body.trim() === '' ? [] : [body.slice(0, 500)];
    }
  }
  const errors = parsed !== null && typeof parsed === 'object' ? (parsed as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e: unknown) => (e !== null && typeof e === 'object' ? (e as { message?: unknown }).message : undefined))
    .filter((m): m is string => typeof m === 'string');
}
