import type { Logger } from '../logger';
import type { Mailer } from './mailer';
import { OutboxMailer } from './outboxMailer';
import { SendGridMailer, type SendGridMailerOptions } from './sendGridMailer';

export const DEFAULT_OUTBOX_DIR = './outbox';

/** Mail settings as configuration reads them (SENDGRID_API_KEY, OUTBOX_DIR, ...); blank means unset. */
export interface MailerSettings {
  readonly sendGridApiKey?: string | undefined;
  /** Set explicitly, the outbox wins even over an API key. */
  readonly outboxDir?: string | undefined;
  readonly sendGridBaseUrl?: string | undefined;
  readonly requestTimeoutMs?: number | undefined;
  readonly retryBudgetMs?: number | undefined;
}

/**
 * Picks the mailer: the outbox when `outboxDir` is set, else SendGrid when an API key is set, else
 * the outbox in `./outbox`, so a fresh checkout runs without any mail account.
 */
export function createMailer(settings: MailerSettings, logger?: Logger): Mailer {
  const outboxDir = blankToUndefined(settings.outboxDir);
  const apiKey = blankToUndefined(settings.sendGridApiKey);
  if (outboxDir !== undefined || apiKey === undefined) {
    return new OutboxMailer({ dir: outboxDir ?? DEFAULT_OUTBOX_DIR, ...(logger ? { logger } : {}) });
  }
  const baseUrl = blankToUndefined(settings.sendGridBaseUrl);
  const options: SendGridMailerOptions = {
    apiKey,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(settings.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: settings.requestTimeoutMs }),
    ...(settings.retryBudgetMs === undefined ? {} : { retryBudgetMs: settings.retryBudgetMs }),
    ...(logger ? { logger } : {}),
  };
  return new SendGridMailer(options);
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
