import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { delivery, LEASE_MS, logCollector, MIN, request, ruleOf, world } from './alertWorld';

const DAY = 24 * 60 * MIN;

describe('maintainAlerts', () => {
  it('leaves a live claim to its holder', async () => {
    // Arrange
    const w = world(new MemoryAlertBook());
    w.mailer.script = [{ fail: 'retryable' }];
    await w.deliver([ruleOf()], [request()], delivery(1));
    await w.book.claim(
      'shop-prod/errors',
      [...(w.book as MemoryAlertBook).records.values()][0]!.recordKey,
      w.clock,
      LEASE_MS,
    );

    // Act
    const summary = await w.maintain();

    // Assert
    expect(summary).toMatchObject({ open: 1, busy: 1, sent: 0 });
  });

  it('gives up, with an error, an alert still unsent after ALERT_RECORD_DAYS, and expires old records and idle state', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    w.mailer.script = [{ fail: 'retryable' }];
    await w.deliver([ruleOf()], [request()], delivery(1));
    const logger = logCollector();

    // Act
    w.clock += 8 * DAY;
    const late = await w.maintain([], logger);
    w.clock += 8 * DAY;
    const later = await w.maintain([], logger);

    // Assert
    expect(late).toMatchObject({ givenUp: 1, sent: 0, expiredRecords: 1 });
    expect(logger.errors.join('\n')).toMatch(/given up, unsent after 7 days/);
    expect(later).toMatchObject({ open: 0, expiredStates: 1 });
    expect(book.records.size + book.states.size).toBe(0);
  });

  it('leaves what the time budget does not reach for the next run', async () => {
    // Arrange
    const w = world(new MemoryAlertBook());
    w.mailer.script = [{ fail: 'retryable' }, { fail: 'retryable' }, { fail: 'retryable' }];
    for (let i = 0; i < 3; i++) await w.deliver([ruleOf()], [request()], delivery(i));
    let calls = 0;
    const slowClock = () => w.clock + 10 * MIN * calls++;

    // Act
    const { maintainAlerts } = await import('../../../shared/core/alerts/maintainAlerts');
    const summary = await maintainAlerts({
      ...w.deps({ now: slowClock }),
      recordDays: 7,
      ruleFor: async () => undefined,
      budgetMs: 15 * MIN,
    });

    // Assert
    expect(summary.deferred).toBeGreaterThan(0);
    expect(summary.sent + summary.deferred).toBe(3);
  });

  it('gives up covered groups whose rule was removed before their summary was written', async () => {
    // Arrange: two groups fire with a cap of 1, so both are covered by the summary.
    const book = new MemoryAlertBook();
    const w = world(book, 1);
    const rule = ruleOf({ GroupBy: 'customDimensions.visitor' });
    const insert = book.insert.bind(book);
    book.insert = () => Promise.reject(new Error('storage is down'));
    await w.deliver(
      [rule],
      [request({ customDimensions: { visitor: 'a' } }), request({ customDimensions: { visitor: 'b' } })],
      delivery(1),
    );
    book.insert = insert;
    w.clock += LEASE_MS + MIN;
    const logger = logCollector();

    // Act
    const summary = await w.maintain([], logger);

    // Assert
    expect(summary).toMatchObject({ givenUp: 2, summaries: 0 });
    expect(logger.errors.join('\n')).toMatch(/rule was removed/);
  });
});
