import { describeError } from '../../core/describeError';

/**
 * NOTE: no wait between attempts is shorter, whatever Retry-After or X-RateLimit-Reset say: `0`, a
 * negative value or a time in the past would otherwise retry at once, thousands of times a minute.
 */
export const MIN_RETRY_WAIT_MS = 1000;
/** No single wait is longer, so one send leaves time to retry inside its budget. */
export const MAX_RETRY_WAIT_MS = 30_000;

/** Why one SendGrid request failed, and whether the same request may succeed later. */
export interface SendGridFailure {
  readonly status?: number;
  readonly retryable: boolean;
  /** SendGrid's `errors[].message` texts. */
  readonly details: string[];
  /** The wait SendGrid asked for (Retry-After or X-RateLimit-Reset), in ms, as asked: may be 0 or huge. */
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
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  // axios: no response at all, or the response stream broke off.
  'ERR_NETWORK',
  'ERR_BAD_RESPONSE',
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
    // NOTE: every other 4xx (400 body, 401/403 key, 413 size) fails the same way on every try.
    const retryable = code === 429 || code >= 500;
    const waitMs = retryable ? requestedWait(response?.headers, nowMs) : undefined;
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
  return { retryable: false, details: [], description: describeError(error) };
}

/**
 * An attempt cut off by its own deadline counts as retryable. NOTE: SendGrid may have taken the
 * message before the answer was cut off; like a 202 lost on the way back, a retry then sends it twice.
 */
export function deadlineFailure(deadlineMs: number): SendGridFailure {
  return {
    retryable: true,
    details: [],
    description: `no complete answer within ${Math.round(deadlineMs)} ms (timeout)`,
  };
}

export interface Backoff {
  /** Ceiling of the first backoff, doubled per attempt up to `maxMs`. */
  readonly baseMs: number;
  readonly maxMs: number;
  /** In [0, 1), for full jitter. */
  readonly random: () => number;
}

/**
 * How long to wait after failed attempt `attempt` (1-based), or undefined to give up now: the failure
 * is permanent, or the wait does not fit in `budgetLeftMs`. SendGrid's requested wait is honoured but
 * held within [MIN_RETRY_WAIT_MS, MAX_RETRY_WAIT_MS]; without one, full-jitter exponential backoff,
 * also never below the floor.
 */
export function retryWaitMs(
  failure: SendGridFailure,
  attempt: number,
  budgetLeftMs: number,
  backoff: Backoff,
): number | undefined {
  if (!failure.retryable) return undefined;
  const requested = failure.waitMs;
  // Retrying before SendGrid's own reset when even that is past the budget only earns another 429;
  // the host's later retry is the next useful try.
  if (requested !== undefined && !(requested < budgetLeftMs)) return undefined;
  const wait =
    requested === undefined
      ? jitteredBackoff(attempt, backoff)
      : clamp(requested, MIN_RETRY_WAIT_MS, MAX_RETRY_WAIT_MS);
  // A wait that uses up the budget would leave the next attempt no time to answer.
  return wait < budgetLeftMs ? wait : undefined;
}

function jitteredBackoff(attempt: number, { baseMs, maxMs, random }: Backoff): number {
  const ceiling = clamp(maxMs, MIN_RETRY_WAIT_MS, MAX_RETRY_WAIT_MS);
  const cap = clamp(baseMs * 2 ** (attempt - 1), MIN_RETRY_WAIT_MS, ceiling);
  return MIN_RETRY_WAIT_MS + clamp(random(), 0, 1) * (cap - MIN_RETRY_WAIT_MS);
}

function clamp(value: number, min: number, max: number): number {
  return Number.isNaN(value) ? min : Math.min(max, Math.max(min, value));
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
