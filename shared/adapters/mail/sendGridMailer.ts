import { Client } from '@sendgrid/client';
import { type MailDataRequired, MailService } from '@sendgrid/mail';

import { MailSendError } from '../../core/errors';
import { type Logger, silentLogger } from '../../core/logger';
import type { AlertEmail } from '../../core/mail/alertEmail';
import type { Mailer, SendOptions, SendReceipt } from '../../core/mail/mailer';
import type { RetryTuning } from '../retryTuning';
import { classifySendGridFailure, deadlineFailure, retryWaitMs, type SendGridFailure } from './sendGridFailure';

export { MAX_RETRY_WAIT_MS, MIN_RETRY_WAIT_MS } from './sendGridFailure';

/** NOTE: SendGrid allows at most 1,000 recipients (to + cc + bcc) in one mail/send request. */
export const MAX_RECIPIENTS_PER_REQUEST = 1000;
/** Deadline of one HTTP attempt: connect, upload, headers and the whole body. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Time one `send` may spend on attempts and waits, all batches together. */
export const DEFAULT_RETRY_BUDGET_MS = 60_000;

/** Deadlines default to DEFAULT_REQUEST_TIMEOUT_MS and DEFAULT_RETRY_BUDGET_MS. */
export interface SendGridMailerOptions extends RetryTuning {
  readonly apiKey: string;
  /** Another endpoint than api.sendgrid.com: a fake server in tests, a local relay. */
  readonly baseUrl?: string;
}

/** `to` cut into the slices one request each carries, in order; batch indices are positions here. */
export function recipientBatches(to: readonly string[]): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < to.length; start += MAX_RECIPIENTS_PER_REQUEST) {
    batches.push(to.slice(start, start + MAX_RECIPIENTS_PER_REQUEST));
  }
  return batches;
}

type AttemptResult =
  | { readonly ok: true; readonly messageId: string | undefined }
  | { readonly ok: false; readonly failure: SendGridFailure; readonly error: unknown };

/**
 * Sends alert e-mails through SendGrid's v3 mail/send with the official client. Each recipient gets
 * a personalization of their own, so no one sees the other addresses; beyond 1,000 recipients the
 * same content goes out in batches, and batches an earlier try got accepted can be skipped. 429, 5xx,
 * network errors and timeouts are retried with exponential backoff and full jitter, honouring
 * Retry-After or X-RateLimit-Reset within a floor and a ceiling, inside one total budget; other 4xx
 * fail at once. Every attempt has a hard deadline, so a send never outlives its budget.
 */
export class SendGridMailer implements Mailer {
  private readonly apiKey: string;
  private readonly baseUrl: string | undefined;
  private readonly timeoutMs: number;
  private readonly budgetMs: number;
  private readonly backoff: { readonly baseMs: number; readonly maxMs: number; readonly random: () => number };
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: SendGridMailerOptions) {
    this.apiKey = options.apiKey;
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.budgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
    this.backoff = {
      baseMs: options.backoffBaseMs ?? 1000,
      maxMs: options.backoffMaxMs ?? 10_000,
      random: options.random ?? Math.random,
    };
    this.logger = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async send(email: AlertEmail, options: SendOptions = {}): Promise<SendReceipt> {
    if (email.to.length === 0) {
      throw new MailSendError(`e-mail '${email.subject}' has no recipients`, { retryable: false, attempts: 0 });
    }
    const started = this.now();
    const batches = recipientBatches(email.to);
    const messageIds: string[] = [];
    const acceptedBatches: number[] = [];
    let requests = 0;
    for (const [index, batch] of batches.entries()) {
      if (options.skipBatches?.has(index) === true) continue;
      const what =
        `SendGrid mail/send for ${batches.length === 1 ? '' : `batch ${index + 1} of ${batches.length}, `}` +
        `${batch.length} recipient${batch.length === 1 ? '' : 's'}`;
      const sent = await this.sendBatch(mailData(email, batch), what, started, acceptedBatches, options.logger);
      requests += sent.attempts;
      if (sent.messageId !== undefined) messageIds.push(sent.messageId);
      acceptedBatches.push(index);
    }
    return { provider: 'sendgrid', requests, messageIds, acceptedBatches };
  }

  private async sendBatch(
    data: MailDataRequired,
    what: string,
    started: number,
    acceptedBatches: readonly number[],
    logger: Logger = this.logger,
  ): Promise<{ attempts: number; messageId: string | undefined }> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(data, Math.min(this.timeoutMs, this.budgetMs - (this.now() - started)));
      if (result.ok) return { attempts: attempt, messageId: result.messageId };

      const { failure } = result;
      const fail = (message: string): MailSendError =>
        new MailSendError(message, {
          ...(failure.status === undefined ? {} : { status: failure.status }),
          retryable: failure.retryable,
          details: failure.details,
          attempts: attempt,
          acceptedBatches: [...acceptedBatches],
          cause: result.error,
        });
      if (!failure.retryable) throw fail(`${what} failed: ${explain(failure)}`);
      const wait = retryWaitMs(failure, attempt, this.budgetMs - (this.now() - started), this.backoff);
      if (wait === undefined) {
        throw fail(
          `${what} failed ${attempt} time${attempt === 1 ? '' : 's'} within the ${this.budgetMs} ms retry budget; ` +
            `last: ${explain(failure)}; try again later`,
        );
      }
      logger.warn(`${what}: ${explain(failure)}; retrying in ${Math.round(wait)} ms (attempt ${attempt + 1})`);
      await this.sleep(wait);
    }
  }

  /**
   * One HTTP request under a hard deadline. axios takes the AbortSignal and destroys the socket on
   * abort; the race below settles the attempt even if a client version ignored the signal.
   */
  private async attempt(data: MailDataRequired, deadlineMs: number): Promise<AttemptResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(0, deadlineMs));
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(new Error('attempt deadline passed')), { once: true });
    });
    // Whichever loses the race rejects later with no one listening.
    aborted.catch(() => undefined);
    const request = this.serviceFor(controller.signal).send({ ...data });
    request.catch(() => undefined);
    try {
      const [response] = await Promise.race([request, aborted]);
      const id: unknown = (response.headers as Record<string, unknown> | undefined)?.['x-message-id'];
      return { ok: true, messageId: typeof id === 'string' ? id : undefined };
    } catch (error: unknown) {
      const failure = controller.signal.aborted
        ? deadlineFailure(deadlineMs)
        : classifySendGridFailure(error, this.now());
      return { ok: false, failure, error };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  /**
   * A client per attempt: @sendgrid/client passes its default request options on to axios but takes
   * none per request, so the attempt's signal has to be a default of a client of its own.
   */
  private serviceFor(signal: AbortSignal): MailService {
    const client = new Client();
    client.setApiKey(this.apiKey);
    // NOTE: setApiKey resets baseUrl to the region host, so the override must come after it.
    if (this.baseUrl !== undefined) client.setDefaultRequest('baseUrl', this.baseUrl);
    client.setDefaultRequest({ signal } as unknown as Parameters<Client['setDefaultRequest']>[0]);
    const service = new MailService();
    service.setClient(client);
    return service;
  }
}

function mailData(email: AlertEmail, batch: readonly string[]): MailDataRequired {
  return {
    from: email.from,
    subject: email.subject,
    personalizations: batch.map((address) => ({ to: [{ email: address }] })),
    text: email.text,
    html: email.html,
    customArgs: { ...email.customArgs },
    // NOTE: SendGrid refuses to override To, From, Subject, Content-Type and other standard headers;
    // only X- headers are passed on.
    headers: Object.fromEntries(Object.entries(email.headers).filter(([name]) => /^X-/i.test(name))),
    // NOTE: click tracking would turn URLs in the text part (telemetry: attacker-controlled) into links.
    trackingSettings: { clickTracking: { enable: false, enableText: false } },
  };
}

function explain(failure: SendGridFailure): string {
  const auth =
    failure.status === 401 || failure.status === 403 ? ' (check the API key and its Mail Send permission)' : '';
  return `${failure.description}${auth}${failure.details.length > 0 ? `: ${failure.details.join('; ')}` : ''}`;
}
