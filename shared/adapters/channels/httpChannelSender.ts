import type { ChannelKind, ChannelPayload } from '../../core/channels/channelPayload';
import type { ChannelReceipt, ChannelSender, ChannelSendOptions } from '../../core/channels/channelSender';
import { ChannelSendError } from '../../core/channels/channelSendError';
import { silentLogger } from '../../core/logger';
import { retryWaitMs } from '../mail/sendGridFailure';
import type { RetryTuning } from '../retryTuning';
import { type ChannelFailure, deadlineFailure, type JudgeResponse, networkFailure } from './channelFailure';
import { redactor, targetOf } from './redactTarget';

/** Deadline of one HTTP attempt: connect, upload, headers and the whole answer. */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;
/** Time one `send` may spend on attempts and waits; below the alert lease (ALERT_LEASE_SECONDS, 300). */
export const DEFAULT_CHANNEL_BUDGET_MS = 60_000;
/** Most of an answer's body read: error words are short; a long body is not read to the end. */
const MAX_ANSWER_BYTES = 16 * 1024;

export interface HttpChannelSenderOptions extends RetryTuning {
  readonly kind: ChannelKind;
  readonly name: string;
  /** The webhook URL: a secret, never logged (only `targetOf(url)` is). */
  readonly url: string;
  /** Reads the service's answers. */
  readonly judge: JudgeResponse;
  /** Headers computed per attempt (the generic webhook's timestamp and signature). */
  readonly attemptHeaders?: (body: string, nowMs: number) => Readonly<Record<string, string>>;
  /** Other secrets to keep out of messages (the webhook's signing secret). */
  readonly secrets?: readonly string[];
}

type Attempt =
  { readonly ok: true; readonly status: number } | { readonly ok: false; readonly failure: ChannelFailure };

/**
 * POSTs notice payloads to one channel with Node's fetch: a hard deadline per attempt (an
 * AbortSignal), 429, 5xx, network failures and timeouts retried with full-jitter backoff or the
 * service's Retry-After, every wait held between 1 s and 30 s (`retryWaitMs`, shared with SendGrid),
 * all inside one total budget; other answers fail at once. Redirects are not followed. Messages and
 * logs name the target by scheme and host only.
 */
export class HttpChannelSender implements ChannelSender {
  readonly kind: ChannelKind;
  readonly name: string;
  private readonly options: HttpChannelSenderOptions;
  private readonly target: string;
  private readonly redact: (text: string) => string;
  private readonly timeoutMs: number;
  private readonly budgetMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: HttpChannelSenderOptions) {
    this.kind = options.kind;
    this.name = options.name;
    this.options = options;
    this.target = targetOf(options.url);
    this.redact = redactor(options.url, options.secrets);
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS;
    this.budgetMs = options.retryBudgetMs ?? DEFAULT_CHANNEL_BUDGET_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async send(payload: ChannelPayload, options: ChannelSendOptions = {}): Promise<ChannelReceipt> {
    const logger = options.logger ?? this.options.logger ?? silentLogger;
    const channel = `${this.kind}:${this.name} (${this.target})`;
    if (payload.kind !== this.kind) {
      throw this.error(
        `${channel}: a ${payload.kind} payload cannot go to a ${this.kind} channel`,
        {
          retryable: false,
          details: [],
          description: 'wrong payload kind',
        },
        0,
      );
    }
    const started = this.now();
    const backoff = {
      baseMs: this.options.backoffBaseMs ?? 1000,
      maxMs: this.options.backoffMaxMs ?? 10_000,
      random: this.options.random ?? Math.random,
    };
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(payload, Math.min(this.timeoutMs, this.budgetMs - (this.now() - started)));
      if (result.ok) {
        return { kind: this.kind, name: this.name, target: this.target, status: result.status, attempts: attempt };
      }
      const { failure } = result;
      if (!failure.retryable)
        throw this.error(`${channel} refused the notice: ${this.explain(failure)}; not retried`, failure, attempt);
      const wait = retryWaitMs(failure, attempt, this.budgetMs - (this.now() - started), backoff);
      if (wait === undefined) {
        throw this.error(
          `${channel} failed ${attempt} time${attempt === 1 ? '' : 's'} within the ${this.budgetMs} ms retry budget; ` +
            `last: ${this.explain(failure)}; try again later`,
          failure,
          attempt,
        );
      }
      logger.warn(
        this.redact(
          `${channel}: ${this.explain(failure)}; retrying in ${Math.round(wait)} ms (attempt ${attempt + 1})`,
        ),
      );
      await this.sleep(wait);
    }
  }

  /** One POST under a hard deadline that covers the answer's body too. */
  private async attempt(payload: ChannelPayload, deadlineMs: number): Promise<Attempt> {
    if (deadlineMs <= 0) return { ok: false, failure: deadlineFailure(0) };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          ...payload.headers,
          ...this.options.attemptHeaders?.(payload.body, this.now()),
        },
        body: payload.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      const body = await readAnswer(response);
      const verdict = this.options.judge(
        { status: response.status, statusText: response.statusText, headers: response.headers, body },
        this.now(),
      );
      return verdict.ok ? { ok: true, status: response.status } : verdict;
    } catch (error: unknown) {
      return { ok: false, failure: controller.signal.aborted ? deadlineFailure(deadlineMs) : networkFailure(error) };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private explain(failure: ChannelFailure): string {
    return this.redact(`${failure.description}${failure.details.length > 0 ? `: ${failure.details.join('; ')}` : ''}`);
  }

  /**
   * The error for a failed send. NOTE: its cause is a redacted summary, not what fetch threw: a
   * logger that prints causes in depth must not find the URL there either.
   */
  private error(message: string, failure: ChannelFailure, attempts: number): ChannelSendError {
    return new ChannelSendError(this.redact(message), {
      kind: this.kind,
      name: this.name,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      retryable: failure.retryable,
      details: failure.details.map(this.redact),
      attempts,
      cause: new Error(this.redact(failure.description)),
    });
  }
}

/** The answer's body as text, at most MAX_ANSWER_BYTES of it; the rest is not read. */
async function readAnswer(response: Response): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  // Leaving the loop early cancels the stream: the rest of a long answer is never downloaded.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    bytes += chunk.byteLength;
    if (bytes >= MAX_ANSWER_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES);
}
