import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import MailComposer from 'nodemailer/lib/mail-composer';

import { describeError } from '../../core/describeError';
import { MailSendError } from '../../core/errors';
import { type Logger, silentLogger } from '../../core/logger';
import type { AlertEmail } from '../../core/mail/alertEmail';
import type { Mailer, SendOptions, SendReceipt } from '../../core/mail/mailer';

export interface OutboxMailerOptions {
  /** Folder the `.eml` files go to; created when missing. */
  readonly dir: string;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/**
 * Writes each e-mail as an RFC 5322 `.eml` file (multipart/alternative, text and HTML) instead of
 * sending it: for local runs and for setups without SendGrid. Any mail client opens the files.
 * Names sort by time: `20240305T130501.123Z_checkout-5xx_1a2b3c4d.eml`. A file appears whole or not
 * at all (written under a dot-name, then renamed), so a watcher never reads half a message. A file
 * holds every recipient, so the outbox has one batch, index 0.
 */
export class OutboxMailer implements Mailer {
  private readonly dir: string;
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(options: OutboxMailerOptions) {
    this.dir = resolve(options.dir);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  async send(email: AlertEmail, options: SendOptions = {}): Promise<SendReceipt> {
    if (options.skipBatches?.has(0) === true)
      return { provider: 'outbox', requests: 0, messageIds: [], acceptedBatches: [] };
    const date = this.now();
    const messageId = `<${randomUUID()}@${domainOf(email.from)}>`;
    const raw = await new MailComposer({
      from: email.from,
      // NOTE: unlike SendGrid's one personalization each, a file has one To line naming everyone.
      to: [...email.to],
      subject: email.subject,
      text: email.text,
      html: email.html,
      date,
      messageId,
      headers: { ...email.headers },
    })
      .compile()
      .build();

    const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
    const name = `${fileStamp(date)}_${fileSafe(email.customArgs.rule ?? 'alert')}_${hash}.eml`;
    const location = join(this.dir, name);
    const temp = join(this.dir, `.${name}.${process.pid}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(raw);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, location);
    } catch (error: unknown) {
      await unlink(temp).catch(() => {
        // The temp file may never have been created; nothing else to clean.
      });
      throw new MailSendError(`could not write ${location} to the outbox: ${describeError(error)}`, {
        retryable: true,
        attempts: 1,
        cause: error,
      });
    }
    (options.logger ?? this.logger).info(
      `outbox: wrote ${location} (${email.to.length} recipient${email.to.length === 1 ? '' : 's'})`,
    );
    return { provider: 'outbox', requests: 1, messageIds: [messageId], location, acceptedBatches: [0] };
  }
}

/** `2024-03-05T13:05:01.123Z` → `20240305T130501.123Z`: sorts by time, no `:` (invalid on Windows). */
function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

/** Letters, digits, `.`, `_` and `-` only, at most 60 of them: `shop/checkout 5xx` → `shop-checkout-5xx`. */
function fileSafe(text: string): string {
  const safe = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, 60);
  return safe === '' ? 'alert' : safe;
}

function domainOf(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1).replace(/[^A-Za-z0-9.-]/g, '');
  return domain.includes('.') ? domain : 'insights-export-alerts.invalid';
}
