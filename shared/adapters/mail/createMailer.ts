import { ConfigError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Mailer } from '../../core/mail/mailer';
import type { MailTransport } from '../settings/config';
import { OutboxMailer } from './outboxMailer';
import { SendGridMailer, type SendGridMailerOptions } from './sendGridMailer';

export const DEFAULT_OUTBOX_DIR = './outbox';

/** Mail settings as configuration reads them (`config.mail` fits); blank strings mean unset. */
export interface MailerSettings {
  /** Chosen by MAIL_TRANSPORT (see checkConfig): never inferred here. */
  readonly transport: MailTransport;
  readonly sendGridApiKey?: string | undefined;
  /** Folder of the outbox transport; default `./outbox`. */
  readonly outboxDir?: string | undefined;
  readonly sendGridBaseUrl?: string | undefined;
  readonly requestTimeoutMs?: number | undefined;
  readonly retryBudgetMs?: number | undefined;
}

/**
 * The mailer `transport` names: `.eml` files in `outboxDir`, or SendGrid.
 * @throws ConfigError when SendGrid is chosen without an API key (checkConfig reports this first),
 *   rather than writing files nobody reads while the ledger records the alerts as sent
 */
export function createMailer(settings: MailerSettings, logger?: Logger): Mailer {
  if (settings.transport === 'outbox') {
    return new OutboxMailer({
      dir: blankToUndefined(settings.outboxDir) ?? DEFAULT_OUTBOX_DIR,
      ...(logger ? { logger } : {}),
    });
  }
  const apiKey = blankToUndefined(settings.sendGridApiKey);
  if (apiKey === undefined) {
    throw new ConfigError([
      'SENDGRID_API_KEY must be set when MAIL_TRANSPORT is sendgrid, found nothing; set it, or set MAIL_TRANSPORT=outbox to write .eml files instead',
    ]);
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
