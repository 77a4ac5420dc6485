import { Client } from '@sendgrid/client';
import { type MailDataRequired, MailService } from '@sendgrid/mail';

import { type Logger, silentLogger } from '../logger';
import type { AlertEmail } from './alertEmail';
import type { Mailer, SendReceipt } from './mailer';
import { MailSendError } from './mailSendError';
import { classifySendGridFailure, type SendGridFailure } from './sendGridFailure';

/** NOTE: SendGrid allows at most 1,000 recipients (to + cc + bcc) in one mail/send request. */
export const MAX_RECIPIENTS_PER_REQUEST = 1000;

export interface SendGridMailerOptions {
  readonly apiKey: string;
  /** Another endpoint than api.sendgrid.com: a fake server in tests, a local relay. */
  readonly baseUrl?: string;
  /** Timeout of one HTTP request, ms (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Time one `send` may spend on attempts and waits, ms (default 60 s, inside a function timeout). */
  readonly retryBudgetMs?: number;
  /** First backoff ceiling, doubled per attempt up to `backoffMaxMs` (defaults 500 ms and 10 s). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly logger?: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1), for the backoff's full jitter. */
  readonly random?: () => number;
  /** Epoch ms. */
  readonly now?: () => number;
}

/**
 * Sends alert e-mails through SendGrid's v3 mail/send with the official client. Each recipient gets
 * a personalization of their own, so no one sees the other addresses; beyond 1,000 recipients the
 * same content goes out in several requests. 429, 5xx and network errors are retried with
 * exponential backoff and full jitter, honouring Retry-After or X-RateLimit-Reset, within one total
 * budget; other 4xx fail at once.
 */
export class SendGridMailer implements Mailer {
  private readonly service = new MailService();
  private readonly budgetMs: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(options: SendGridMailerOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    // NOTE: setApiKey resets baseUrl to the region host, so the override must come after it.
    if (options.baseUrl !== undefined) client.setDefaultRequest('baseUrl', options.baseUrl);
    this.service.setClient(client);
    this.service.setTimeout(options.requestTimeoutMs ?? 10_000);
    this.budgetMs = options.retryBudgetMs ?? 60_000;
    this.baseMs = options.backoffBaseMs ?? 500;
    this.maxMs = options.backoffMaxMs ?? 10_000;
    this.logger = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  async send(email: AlertEmail): Promise<SendReceipt> {
    if (email.to.length === 0) {
      throw new MailSendError(`e-mail '${email.subject}' has no recipients`, { retryable: false, attempts: 0 });
    }
    const started = this.now();
    const messageIds: string[] = [];
    const accepted: string[] = [];
    let requests = 0;
    for (let start = 0; start < email.to.length; start += MAX_RECIPIENTS_PER_REQUEST) {
      const batch = email.to.slice(start, start + MAX_RECIPIENTS_PER_REQUEST);
      const sent = await this.sendBatch(email, batch, started, accepted);
      requests += sent.attempts;
      if (sent.messageId !== undefined) messageIds.push(sent.messageId);
      accepted.push(...batch);
    }
    return { provider: 'sendgrid', requests, messageIds };
  }

  private async sendBatch(
    email: AlertEmail,
    batch: readonly string[],
    started: number,
    accepted: readonly string[],
  ): Promise<{ attempts: number; messageId: string | undefined }> {
    const data = mailData(email, batch);
    for (let attempt = 1; ; attempt++) {
      let failure: SendGridFailure;
      try {
        const [response] = await this.service.send({ ...data });
        const id: unknown = (response.headers as Record<string, unknown> | undefined)?.['x-message-id'];
        return { attempts: attempt, messageId: typeof id === 'string' ? id : undefined };
      } catch (error: unknown) {
        failure = classifySendGridFailure(error, this.now());
        const fail = (message: string, retryable: boolean): MailSendError =>
          new MailSendError(message, {
            ...(failure.status === undefined ? {} : { status: failure.status }),
            retryable,
            details: failure.details,
            attempts: attempt,
            acceptedRecipients: accepted,
            cause: error,
          });
        const what = `SendGrid mail/send for ${batch.length} recipient${batch.length === 1 ? '' : 's'}`;
        if (!failure.retryable) throw fail(`${what} failed: ${explain(failure)}`, false);

        const delay = failure.waitMs ?? this.random() * Math.min(this.maxMs, this.baseMs * 2 ** (attempt - 1));
        const left = this.budgetMs - (this.now() - started);
        if (delay > left) {
          throw fail(
            `${what} failed ${attempt} time${attempt === 1 ? '' : 's'} within the ${this.budgetMs} ms retry budget; ` +
              `last: ${explain(failure)}; try again later`,
            true,
          );
        }
        this.logger.warn(`${what}: ${explain(failure)}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 1})`);
        await this.sleep(delay);
      }
    }
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
  const auth = failure.status === 401 || failure.status === 403 ? ' (check the API key and its Mail Send permission)' : '';
  return `${failure.description}${auth}${failure.details.length > 0 ? `: ${failure.details.join('; ')}` : ''}`;
}
