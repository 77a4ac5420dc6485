import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { sendAlertRecord } from '../../../shared/core/alerts/sendAlertRecord';
import { MailSendError } from '../../../shared/core/errors';
import type { Mailer } from '../../../shared/core/mail/mailer';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { silent, T0 } from '../alerts/alertWorld';

const RECORD: AlertRecord = {
  ruleKey: 'shop/errors',
  recordKey: 'd~1',
  groupKey: '',
  blobName: 'shop_1/Requests/2024-03-05/13/1.blob',
  deliveryId: 'dlv',
  status: 'sending',
  recordedAt: T0,
  leaseUntil: T0 + 60_000,
  attempts: 1,
  acceptedBatches: [],
  email: { from: 'a@x.example', to: ['b@x.example'], subject: 's', text: 't', html: 'h', customArgs: {}, headers: {} },
};

function throwing(error: unknown): Mailer {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what a mailer may throw is the subject
  return { send: () => Promise.reject(error) };
}

describe('what makes a failed send permanent', () => {
  it.each<[string, unknown, 'rejected' | 'failed', number[]]>([
    [
      "the mailer's verdict: not retryable",
      new MailSendError('400 Bad Request', { retryable: false, attempts: 1, acceptedBatches: [0] }),
      'rejected',
      [0],
    ],
    ["the mailer's verdict: retryable", new MailSendError('503', { retryable: true, attempts: 3 }), 'failed', []],
    [
      'anything else, even saying retryable: false',
      { message: 'odd', retryable: false, acceptedBatches: [1] },
      'failed',
      [],
    ],
  ])('%s', async (_, error, kind, accepted) => {
    // Arrange
    const book = new MemoryAlertBook();
    await book.insert(RECORD);

    // Act
    const outcome = await sendAlertRecord(RECORD, {
      book,
      mailer: throwing(error),
      now: () => T0,
      logger: silent,
      pause: () => Promise.resolve(),
    });

    // Assert
    expect(outcome.kind).toBe(kind);
    expect((await book.get(RECORD.ruleKey, RECORD.recordKey))?.acceptedBatches).toEqual(accepted);
  });
});
