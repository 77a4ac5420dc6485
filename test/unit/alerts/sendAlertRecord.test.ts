import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { sendAlertRecord, type SendDeps } from '../../../shared/core/alerts/sendAlertRecord';
import { MailSendError } from '../../../shared/core/errors';
import type { Logger } from '../../../shared/core/logger';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { logCollector, MIN, T0 } from './alertWorld';
import { failing, RecordingMailer } from './recordingMailer';

const NAME = 'alert shop-prod/errors (d~1) for shop-prod_1/Requests/2024-03-05/13/1.blob';

/** A record this invocation holds the claim of: its second try, after SendGrid took batch 0 of 1,001 recipients. */
function claimed(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    ruleKey: 'shop-prod/errors',
    recordKey: 'd~1',
    groupKey: '',
    blobName: 'shop-prod_1/Requests/2024-03-05/13/1.blob',
    deliveryId: 'dlv',
    status: 'sending',
    recordedAt: T0,
    leaseUntil: T0 + 5 * MIN,
    attempts: 2,
    acceptedBatches: [0],
    email: {
      from: 'alerts@example.com',
      to: Array.from({ length: 1_001 }, (_, i) => `user${i}@example.com`),
      subject: '[Sev2] errors: 1 requests in shop-prod (13:08–13:08 UTC)',
      text: 'text',
      html: '<p>html</p>',
      customArgs: { ledgerKey: 'd~1' },
      headers: { 'X-Alert-Ledger-Key': 'd~1' },
    },
    ...overrides,
  };
}

interface Setup {
  readonly book: MemoryAlertBook;
  readonly mailer: RecordingMailer;
  readonly logger: Logger & { readonly errors: string[] };
  readonly pauses: number[];
  readonly deps: SendDeps;
}

async function setup(record: AlertRecord): Promise<Setup> {
  const book = new MemoryAlertBook();
  await book.insert(record);
  const mailer = new RecordingMailer();
  const logger = logCollector();
  const pauses: number[] = [];
  const deps: SendDeps = {
    book,
    mailer,
    now: () => T0 + MIN,
    logger,
    pause: async (ms) => {
      pauses.push(ms);
    },
  };
  return { book, mailer, logger, pauses, deps };
}

describe('sendAlertRecord', () => {
  it("sends the e-mail, then records it sent with the time and the provider's message ids", async () => {
    // Arrange
    const record = claimed();
    const { book, deps } = await setup(record);

    // Act
    const outcome = await sendAlertRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ kind: 'sent' });
    expect(book.record('shop-prod/errors', 'd~1')).toMatchObject({
      status: 'sent',
      sentAt: T0 + MIN,
      messageIds: ['msg-1'],
      acceptedBatches: [0, 1],
    });
  });

  it('skips the batches SendGrid took on an earlier try, and hands the mailer the invocation logger', async () => {
    // Arrange
    const record = claimed();
    const { mailer, logger, deps } = await setup(record);

    // Act
    await sendAlertRecord(record, deps);

    // Assert
    expect(mailer.calls).toHaveLength(1);
    expect(mailer.calls[0]?.options.skipBatches).toEqual(new Set([0]));
    expect(mailer.calls[0]?.options.logger).toBe(logger);
    expect(mailer.copies(['user0@example.com', 'user999@example.com'])).toEqual({ min: 0, max: 0 });
    expect(mailer.copies(['user1000@example.com'])).toEqual({ min: 1, max: 1 });
  });

  it('returns where the outbox wrote the message', async () => {
    // Arrange
    const record = claimed();
    const { mailer, deps } = await setup(record);
    mailer.location = 'outbox/2024-03-05/131000-errors.eml';

    // Act
    const outcome = await sendAlertRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ kind: 'sent', location: 'outbox/2024-03-05/131000-errors.eml' });
  });

  it.each<[string, Error, 'failed' | 'rejected', number[], string]>([
    [
      "SendGrid's 503, after it took batch 1: failed, for a later try, with both batches kept",
      new MailSendError('503 Service Unavailable', { status: 503, retryable: true, attempts: 3, acceptedBatches: [1] }),
      'failed',
      [0, 1],
      `${NAME}: send failed (attempt 2): 503 Service Unavailable`,
    ],
    [
      "SendGrid's 400: rejected, never to be tried again",
      new MailSendError('400 Bad Request: The from address does not match a verified Sender Identity', {
        status: 400,
        retryable: false,
        attempts: 1,
      }),
      'rejected',
      [0],
      `${NAME}: send refused, not retried (attempt 2): 400 Bad Request: The from address does not match a verified Sender Identity`,
    ],
    [
      "an error that is not the mailer's verdict: failed, for a later try",
      new TypeError('fetch failed'),
      'failed',
      [0],
      `${NAME}: send failed (attempt 2): fetch failed`,
    ],
  ])('records a send that threw %s', async (_, error, kind, acceptedBatches, logged) => {
    // Arrange
    const record = claimed();
    const { book, mailer, logger, deps } = await setup(record);
    mailer.throws.push(error);

    // Act
    const outcome = await sendAlertRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ kind, error: error.message });
    expect(book.record('shop-prod/errors', 'd~1')).toMatchObject({
      status: kind,
      lastError: error.message,
      acceptedBatches,
    });
    expect(logger.errors).toEqual([logged]);
  });

  it('refuses for good a record that holds no e-mail, without calling the mailer', async () => {
    // Arrange
    const record = claimed({ email: undefined });
    const { book, mailer, logger, deps } = await setup(record);

    // Act
    const outcome = await sendAlertRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ kind: 'rejected', error: 'its record holds no e-mail' });
    expect(mailer.calls).toHaveLength(0);
    expect(book.record('shop-prod/errors', 'd~1')).toMatchObject({
      status: 'rejected',
      lastError: 'its record holds no e-mail',
      acceptedBatches: [0],
    });
    expect(logger.errors).toEqual([`${NAME}: send refused, not retried (attempt 2): its record holds no e-mail`]);
  });

  it('retries marking sent with doubling pauses, and never sends the e-mail again', async () => {
    // Arrange
    const record = claimed();
    const { book, mailer, logger, pauses, deps } = await setup(record);
    book.hook = failing('markSent', 4, '503 Server Busy');

    // Act
    const outcome = await sendAlertRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ kind: 'sent' });
    expect(pauses).toEqual([200, 400, 800, 1600]);
    expect(mailer.calls).toHaveLength(1);
    expect(book.record('shop-prod/errors', 'd~1')?.status).toBe('sent');
    expect(logger.errors).toEqual([]);
  });

  it('gives up marking sent after five tries: logs that it may go out again, and still reports it sent', async () => {
    // Arrange
    const record = claimed();
    const { book, mailer, logger, pauses, deps } = await setup(record);
    book.hook = failing('markSent', Infinity, '503 Server Busy');

    // Act
    const outcome = await sendAlertRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ kind: 'sent' });
    expect(pauses).toEqual([200, 400, 800, 1600]);
    expect(mailer.calls).toHaveLength(1);
    expect(book.record('shop-prod/errors', 'd~1')).toMatchObject({ status: 'sending', leaseUntil: T0 + 5 * MIN });
    expect(logger.errors).toEqual([
      `${NAME}: sent, but recording that failed 5 times (503 Server Busy); it may be sent again once its lease has passed`,
    ]);
  });

  it('throws to its caller a send failure it cannot record', async () => {
    // Arrange
    const record = claimed();
    const { book, mailer, deps } = await setup(record);
    mailer.script = [{ fail: 'retryable' }];
    book.hook = failing('markFailed', Infinity, 'table storage is down');

    // Act
    const sending = sendAlertRecord(record, deps);

    // Assert
    await expect(sending).rejects.toThrow('table storage is down');
    expect(book.record('shop-prod/errors', 'd~1')).toMatchObject({ status: 'sending', acceptedBatches: [0] });
  });
});
