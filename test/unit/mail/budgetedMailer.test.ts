import type { AlertRecord } from '../../../shared/core/alerts/alertRecord';
import { sendAlertRecord } from '../../../shared/core/alerts/sendAlertRecord';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import { BudgetedMailer } from '../../../shared/core/mail/budgetedMailer';
import { HOUR_MS, hourStartOf, recipientId } from '../../../shared/core/mail/recipientHour';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { MemoryRecipientBudget } from '../../helpers/memoryRecipientBudget';
import { MIN, T0 } from '../alerts/alertWorld';
import { RecordingMailer } from '../alerts/recordingMailer';

const HOUR = hourStartOf(T0);
const LIMIT = 3;

function email(
  to: readonly string[] = ['ops@example.com'],
  subject = '[Sev1] errors: 1 request in shop-prod',
): AlertEmail {
  return {
    from: 'alerts@example.com',
    to,
    subject,
    text: 'text',
    html: '<p>html</p>',
    customArgs: { ledgerKey: 'd~1', rule: 'shop-prod/errors' },
    headers: {},
  };
}

function logCollector() {
  const lines: string[] = [];
  return {
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
    lines,
  };
}

function setup(limit = LIMIT) {
  const budget = new MemoryRecipientBudget();
  const inner = new RecordingMailer();
  const mailer = new BudgetedMailer(inner, { budget, limit, provider: 'sendgrid' });
  const logger = logCollector();
  /** Sends alert `n` (key `shop-prod/errors/d~n`) recorded at `at`. */
  const send = (n: number, to?: readonly string[], at = T0 + n * MIN) =>
    mailer.send(email(to), { budget: { key: `shop-prod/errors/d~${n}`, at }, logger });
  return { budget, inner, mailer, logger, send };
}

describe('BudgetedMailer', () => {
  it('sends the first 3 alerts of an hour to a recipient and folds the 4th, with a budget of 3', async () => {
    // Arrange
    const s = setup();

    // Act
    const receipts = [await s.send(1), await s.send(2), await s.send(3), await s.send(4)];

    // Assert
    expect(s.inner.calls).toHaveLength(3);
    expect(receipts[3]).toEqual({
      provider: 'sendgrid',
      requests: 0,
      messageIds: [],
      acceptedBatches: [],
      heldBack: 1,
    });
    const hour = s.budget.hourOf('ops@example.com', HOUR);
    expect(hour).toMatchObject({ foldedTotal: 1, stage: 'open' });
    expect(hour?.counted).toHaveLength(3);
    expect(hour?.lines).toEqual([
      { subject: '[Sev1] errors: 1 request in shop-prod', rule: 'shop-prod/errors', at: T0 + 4 * MIN },
    ]);
  });

  it('admits a retry of a counted alert again, without counting it twice', async () => {
    // Arrange
    const s = setup();
    await s.send(1);
    await s.send(2);

    // Act: alert 2 again (a retry of its record), then a third alert
    await s.send(2);
    await s.send(3);

    // Assert
    expect(s.inner.calls).toHaveLength(4);
    expect(s.budget.hourOf('ops@example.com', HOUR)).toMatchObject({ foldedTotal: 0 });
  });

  it('folds a retry of a folded alert again without adding it to the digest twice', async () => {
    // Arrange
    const s = setup();
    for (const n of [1, 2, 3, 4]) await s.send(n);

    // Act
    const retry = await s.send(4);

    // Assert
    expect(retry.heldBack).toBe(1);
    expect(s.inner.calls).toHaveLength(3);
    const hour = s.budget.hourOf('ops@example.com', HOUR);
    expect(hour?.foldedTotal).toBe(1);
    expect(hour?.lines).toHaveLength(1);
  });

  it('counts each UTC hour on its own, by when the record was written', async () => {
    // Arrange: the budget of the hour is spent
    const s = setup();
    for (const n of [1, 2, 3]) await s.send(n);

    // Act: an alert recorded in the next hour, and a late retry of one recorded in this one
    const next = await s.send(10, undefined, HOUR + HOUR_MS + MIN);
    const late = await s.send(11, undefined, HOUR + 59 * MIN);

    // Assert
    expect(next.heldBack).toBeUndefined();
    expect(late.heldBack).toBe(1);
    expect(s.budget.hourOf('ops@example.com', HOUR + HOUR_MS)?.counted).toHaveLength(1);
  });

  it('sends to the recipients within their budget when another is past it, and logs the other by id only', async () => {
    // Arrange: ops has had 3 alerts this hour, dev none
    const s = setup();
    for (const n of [1, 2, 3]) await s.send(n, ['ops@example.com']);

    // Act
    const receipt = await s.send(4, ['Ops@Example.com', 'dev@example.com']);

    // Assert
    expect(s.inner.calls.at(-1)?.email.to).toEqual(['dev@example.com']);
    expect(receipt).toMatchObject({ requests: 1, acceptedBatches: [0], heldBack: 1 });
    expect(s.logger.lines).toEqual([
      `alert shop-prod/errors/d~4: not e-mailed to recipient ${recipientId('ops@example.com')}, past ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR=3 in the hour from 2024-03-05T13:00 UTC; listed in their digest when the hour is over`,
    ]);
    expect(s.logger.lines.join('\n')).not.toMatch(/ops@/i);
  });

  it('keeps the recipient batches of a retry the same: the filtered list does not change between attempts', async () => {
    // Arrange: ops is past the budget; alert 4 goes to ops and dev
    const s = setup();
    for (const n of [1, 2, 3]) await s.send(n, ['ops@example.com']);
    await s.send(4, ['ops@example.com', 'dev@example.com']);

    // Act: the same record tried again an hour later, as the maintenance timer would
    await s.mailer.send(email(['ops@example.com', 'dev@example.com']), {
      budget: { key: 'shop-prod/errors/d~4', at: T0 + 4 * MIN },
      skipBatches: new Set([1]),
    });

    // Assert
    expect(s.inner.calls.map((c) => c.email.to).slice(-2)).toEqual([['dev@example.com'], ['dev@example.com']]);
  });

  it('records an alert held back from every recipient as sent, with nothing sent', async () => {
    // Arrange
    const s = setup(1);
    await s.send(1);
    const book = new MemoryAlertBook();
    const record: AlertRecord = {
      ruleKey: 'shop-prod/errors',
      recordKey: 'd~2',
      groupKey: '',
      blobName: 'b.blob',
      deliveryId: 'dlv',
      status: 'sending',
      recordedAt: T0 + 2 * MIN,
      leaseUntil: T0 + 7 * MIN,
      attempts: 1,
      acceptedBatches: [],
      email: email(),
    };
    await book.insert(record);

    // Act
    const outcome = await sendAlertRecord(record, {
      book,
      mailer: s.mailer,
      now: () => T0 + 3 * MIN,
      logger: s.logger,
      pause: async () => {},
    });

    // Assert
    expect(outcome).toEqual({ kind: 'sent' });
    expect(book.record('shop-prod/errors', 'd~2')).toMatchObject({ status: 'sent', messageIds: [], heldBack: 1 });
    expect(s.inner.calls).toHaveLength(1);
    expect(s.budget.hourOf('ops@example.com', HOUR)?.foldedTotal).toBe(1);
  });

  it.each([
    ['without a budget', undefined],
    ['of a health ledger', { key: '#health/digest/h~1', at: T0 }],
    ['of a budget digest', { key: '#budget/b~1', at: T0 }],
  ])('passes an e-mail %s through untouched, whatever the budget', async (_, budget) => {
    // Arrange: the budget of 1 is spent
    const s = setup(1);
    await s.send(1);

    // Act
    const receipt = await s.mailer.send(email(), budget ? { budget } : {});

    // Assert
    expect(receipt.heldBack).toBeUndefined();
    expect(s.inner.calls).toHaveLength(2);
    expect(s.budget.hourOf('ops@example.com', HOUR)?.foldedTotal).toBe(0);
  });

  it('sends an alert of an hour whose digest was made already: it would miss the digest otherwise', async () => {
    // Arrange: the budget is spent and the hour frozen for its digest
    const s = setup(1);
    await s.send(1);
    await s.budget.close({ recipient: 'ops@example.com', hourStart: HOUR });

    // Act
    const receipt = await s.send(2);

    // Assert
    expect(receipt.heldBack).toBeUndefined();
    expect(s.inner.calls).toHaveLength(2);
    expect(s.logger.lines).toEqual([
      'alert shop-prod/errors/d~2: e-mailed to 1 recipient past the budget of the hour from 2024-03-05T13:00 UTC, whose digest was already made',
    ]);
  });

  it('fails the send, to be retried, when the budget cannot be read', async () => {
    // Arrange
    const s = setup();
    s.budget.hook = (op) => {
      if (op === 'admit') throw new Error('table unreachable');
    };

    // Act / Assert
    await expect(s.send(1)).rejects.toThrow('table unreachable');
    expect(s.inner.calls).toHaveLength(0);
  });
});
