import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { OutboxMailer } from '../../../shared/adapters/mail/outboxMailer';
import { composeAlertEmail } from '../../../shared/core/mail/composeAlertEmail';
import { MailSendError } from '../../../shared/core/mail/mailSendError';
import { alertDigest, alertEmail, failedRequest, parseEml } from './mailHelpers';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (iso: string) => () => new Date(iso);

describe('OutboxMailer', () => {
  it('writes a parseable .eml with both parts, the addresses and the ledger header', async () => {
    // Arrange
    const lines: string[] = [];
    const mailer = new OutboxMailer({
      dir,
      now: at('2024-03-05T13:05:01.123Z'),
      logger: { info: (m) => lines.push(m), warn: () => {}, error: () => {} },
    });
    const email = composeAlertEmail(
      alertDigest({ events: [failedRequest(0, { name: '<script>€ POST /checkout' })] }),
      'alerts@example.com',
    );

    // Act
    const receipt = await mailer.send(email);

    // Assert
    expect(receipt).toEqual({
      provider: 'outbox',
      requests: 1,
      messageIds: [expect.stringMatching(/^<[0-9a-f-]{36}@example\.com>$/)],
      location: expect.any(String),
      acceptedBatches: [0],
    });
    const message = parseEml(await readFile(receipt.location as string, 'utf8'));
    expect(message.headers.get('from')).toBe('alerts@example.com');
    expect(message.headers.get('to')).toBe('oncall@example.com');
    expect(message.headers.get('subject')).toBe(email.subject);
    expect(message.headers.get('date')).toBe('Tue, 05 Mar 2024 13:05:01 +0000');
    expect(message.headers.get('message-id')).toBe(receipt.messageIds[0]);
    expect(message.headers.get('x-alert-ledger-key')).toBe('ledger-1');
    expect(message.headers.get('mime-version')).toBe('1.0');
    expect(message.headers.get('content-type')).toMatch(/^multipart\/alternative; boundary=/);
    expect(message.parts.map((p) => p.contentType.split(';')[0])).toEqual(['text/plain', 'text/html']);
    expect(message.parts[0]?.body).toBe(email.text);
    expect(message.parts[1]?.body).toBe(email.html);
    expect(lines).toEqual([`outbox: wrote ${receipt.location} (1 recipient)`]);
  });

  it('names files by time, rule and a short hash so they sort by time', async () => {
    const times = ['2024-03-05T13:05:01.123Z', '2024-03-05T09:00:00.000Z', '2024-03-06T00:00:00.000Z'];
    const paths: string[] = [];
    for (const time of times) {
      const receipt = await new OutboxMailer({ dir, now: at(time) }).send(alertEmail());
      paths.push(receipt.location as string);
    }

    const names = await readdir(dir);

    expect(paths[0]).toBe(join(dir, names.find((n) => n.startsWith('20240305T130501.123Z')) as string));
    expect(names.sort()).toEqual([
      expect.stringMatching(/^20240305T090000\.000Z_shop-prod-checkout-5xx_[0-9a-f]{8}\.eml$/),
      expect.stringMatching(/^20240305T130501\.123Z_shop-prod-checkout-5xx_[0-9a-f]{8}\.eml$/),
      expect.stringMatching(/^20240306T000000\.000Z_shop-prod-checkout-5xx_[0-9a-f]{8}\.eml$/),
    ]);
  });

  it('makes a file-safe name from any rule id', async () => {
    const email = alertEmail({ customArgs: { ledgerKey: 'k', rule: '../../etc/pass wd:*?', app: 'a' } });

    const receipt = await new OutboxMailer({ dir, now: at('2024-03-05T13:05:01.123Z') }).send(email);

    expect(receipt.location).toMatch(/[/\\]20240305T130501\.123Z_etc-pass-wd_[0-9a-f]{8}\.eml$/);
  });

  it('creates the folder and leaves no partial or temporary files', async () => {
    const nested = join(dir, 'a', 'b');

    await new OutboxMailer({ dir: nested }).send(alertEmail());
    await new OutboxMailer({ dir: nested }).send(alertEmail());

    const names = await readdir(nested);
    expect(names).toHaveLength(2);
    expect(names.every((n) => n.endsWith('.eml') && !n.startsWith('.'))).toBe(true);
  });

  it('writes nothing when its one batch was already accepted', async () => {
    const receipt = await new OutboxMailer({ dir }).send(alertEmail(), { skipBatches: new Set([0]) });

    expect(receipt).toEqual({ provider: 'outbox', requests: 0, messageIds: [], acceptedBatches: [] });
    expect(await readdir(dir)).toEqual([]);
  });

  it('raises a retryable MailSendError when the folder cannot be written', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');

    const error = await new OutboxMailer({ dir: file }).send(alertEmail()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MailSendError);
    expect(error).toMatchObject({ retryable: true, code: 'MAIL_SEND_FAILED' });
    expect(await readdir(dir)).toEqual(['not-a-folder']);
  });
});
