import type { BookHook } from '../../helpers/memoryAlertBook';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { delivery, hang, invocationFails, LEASE_MS, MIN, request, ruleOf, type World, world } from './alertWorld';
import { failing } from './recordingMailer';

type KillPoint =
  | 'before the claim'
  | 'after the claim, before the send'
  | 'during the send, before SendGrid answered'
  | "after SendGrid's 202, before marking sent"
  | 'during the mark, before it was written'
  | 'during the mark, after it was written';

type Recovery = 'the host retries at once' | 'the host has stopped retrying';

/** Where a duplicate is allowed: SendGrid has no idempotency key, so a death between its 202 and the write of "sent" resends. */
const DUPLICATE_WINDOW: readonly KillPoint[] = [
  "after SendGrid's 202, before marking sent",
  'during the mark, before it was written',
];

function once(hook: BookHook): BookHook {
  let fired = false;
  return (op, when) => {
    if (fired) return undefined;
    const result = hook(op, when);
    if (result !== undefined) fired = true;
    return result;
  };
}

/** Makes the next invocation die at `point`; resolves when it has. */
function arm(w: World, book: MemoryAlertBook, point: KillPoint): Promise<void> {
  return new Promise<void>((died) => {
    const at = (op: string, moment: 'before' | 'after'): BookHook =>
      once((o, m) => (o === op && m === moment ? hang(died) : undefined));
    w.mailer.onDeath = died;
    if (point === 'before the claim') book.hook = at('decide', 'before');
    if (point === 'after the claim, before the send') book.hook = at('decide', 'after');
    if (point === 'during the send, before SendGrid answered') w.mailer.script = ['dieBefore'];
    if (point === "after SendGrid's 202, before marking sent") w.mailer.script = ['dieAfter'];
    if (point === 'during the mark, before it was written') book.hook = at('markSent', 'before');
    if (point === 'during the mark, after it was written') book.hook = at('markSent', 'after');
  });
}

const POINTS: KillPoint[] = [
  'before the claim',
  'after the claim, before the send',
  'during the send, before SendGrid answered',
  "after SendGrid's 202, before marking sent",
  'during the mark, before it was written',
  'during the mark, after it was written',
];
const RECOVERIES: Recovery[] = ['the host retries at once', 'the host has stopped retrying'];

describe('an alert survives a worker that dies', () => {
  // NOTE: a worker that dies before the claim wrote nothing, so only the host's retry of the blob (which
  // it makes after any failed or lost invocation, up to poisonBlobThreshold) can send; every later point
  // left a record the maintenance timer finds even when the host has stopped retrying.
  const cases = POINTS.flatMap((point) => RECOVERIES.map((recovery) => [point, recovery] as const)).filter(
    ([point, recovery]) => !(point === 'before the claim' && recovery === 'the host has stopped retrying'),
  );

  it.each(cases)(
    'dies %s, and %s: sent at least once, twice only in the documented window',
    async (point, recovery) => {
      // Arrange
      const book = new MemoryAlertBook();
      const w = world(book);
      const rule = ruleOf();
      const d = delivery(1);
      const died = arm(w, book, point);

      // Act
      void w.deliver([rule], [request()], d);
      await died;
      book.hook = () => {};
      const retries: boolean[] = [];
      if (recovery === 'the host retries at once') {
        // The host tries a failed blob up to five times (poisonBlobThreshold), at once.
        for (let attempt = 2; attempt <= 5; attempt++) {
          const failed = invocationFails(await w.deliver([rule], [request()], d));
          retries.push(failed);
          if (!failed) break;
        }
      }
      w.clock += LEASE_MS + MIN;
      await w.maintain();
      await w.maintain();

      // Assert
      const copies = w.mailer.copies(['ops@example.com']);
      expect(copies.min).toBeGreaterThanOrEqual(1);
      expect(copies.max).toBe(DUPLICATE_WINDOW.includes(point) ? 2 : 1);
      if (point === 'after the claim, before the send' && recovery === 'the host retries at once') {
        // A retry that finds the dead worker's live claim fails rather than succeeding quietly.
        expect(retries.every((failed) => failed)).toBe(true);
      }
    },
  );

  it('a retry within the lease fails the invocation instead of counting the alert as in flight and succeeding', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    const rule = ruleOf();
    const died = arm(w, book, 'after the claim, before the send');
    void w.deliver([rule], [request()], delivery(1));
    await died;
    book.hook = () => {};

    // Act
    const results = await w.deliver([rule], [request()], delivery(1));

    // Assert
    expect(results).toEqual([expect.objectContaining({ kind: 'inFlight' })]);
    expect(invocationFails(results)).toBe(true);
  });

  it('dies between two recipient batches: the accepted batch may be sent again, the other exactly once', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    const recipients = Array.from({ length: 1_500 }, (_, i) => `user${i}@example.com`);
    const rule = ruleOf({ Recipients: recipients.join(';') });
    const died = new Promise<void>((resolve) => (w.mailer.onDeath = resolve));
    w.mailer.script = ['dieBetweenBatches'];

    // Act
    void w.deliver([rule], [request()], delivery(1));
    await died;
    w.clock += LEASE_MS + MIN;
    await w.maintain();

    // Assert
    expect(w.mailer.copies(recipients.slice(0, 1_000))).toEqual({ min: 2, max: 2 });
    expect(w.mailer.copies(recipients.slice(1_000))).toEqual({ min: 1, max: 1 });
  });
});

describe('sending, recording and retrying', () => {
  it('a failure of batch 2 makes the retry send only batch 2', async () => {
    // Arrange
    const w = world(new MemoryAlertBook());
    const recipients = Array.from({ length: 1_500 }, (_, i) => `user${i}@example.com`);
    const rule = ruleOf({ Recipients: recipients.join(';') });
    w.mailer.script = [{ fail: 'retryable', afterBatches: 1 }];

    // Act
    const first = await w.deliver([rule], [request()], delivery(1));
    const retry = await w.deliver([rule], [request()], delivery(1));

    // Assert
    expect(first).toEqual([expect.objectContaining({ kind: 'failed' })]);
    expect(retry).toEqual([{ kind: 'sent' }]);
    expect(w.mailer.copies(recipients)).toEqual({ min: 1, max: 1 });
  });

  it('marking sent is retried on its own: its failures never send again', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    let failures = 2;
    book.hook = (op, when) => {
      if (op === 'markSent' && when === 'before' && failures-- > 0) throw new Error('503 Server Busy');
    };

    // Act
    const results = await w.deliver([ruleOf()], [request()], delivery(1));
    const again = await w.deliver([ruleOf()], [request()], delivery(1));

    // Assert
    expect(results).toEqual([{ kind: 'sent' }]);
    expect(again).toEqual([{ kind: 'alreadySent' }]);
    expect(w.mailer.sends).toHaveLength(1);
  });

  it('a mark that keeps failing is logged, does not fail the invocation, and sends nothing again within the lease', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    const logger = {
      info: () => {},
      warn: () => {},
      errors: [] as string[],
      error(m: string) {
        this.errors.push(m);
      },
    };
    book.hook = (op) => {
      if (op === 'markSent') throw new Error('storage is down');
    };

    // Act
    const results = await w.deliver([ruleOf()], [request()], delivery(1), { logger });
    book.hook = () => {};
    const retry = await w.deliver([ruleOf()], [request()], delivery(1));

    // Assert
    expect(results).toEqual([{ kind: 'sent' }]);
    expect(logger.errors.join('\n')).toMatch(/sent, but recording that failed 5 times/);
    expect(invocationFails(retry)).toBe(true);
    expect(w.mailer.sends).toHaveLength(1);
  });

  it("a permanent 400 is recorded as refused with SendGrid's message, logged, and retried by no one", async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    w.mailer.script = [{ fail: 'permanent' }];
    const errors: string[] = [];
    const logger = { info: () => {}, warn: () => {}, error: (m: string) => errors.push(m) };

    // Act
    const results = await w.deliver([ruleOf()], [request()], delivery(1), { logger });
    const retry = await w.deliver([ruleOf()], [request()], delivery(1));
    w.clock += LEASE_MS + MIN;
    const maintenance = await w.maintain();

    // Assert
    expect(results).toEqual([expect.objectContaining({ kind: 'rejected' })]);
    expect(invocationFails(results)).toBe(false);
    expect(retry).toEqual([expect.objectContaining({ kind: 'rejected' })]);
    expect(maintenance.open).toBe(0);
    expect(w.mailer.sends).toHaveLength(0);
    expect(errors.join('\n')).toMatch(/refused, not retried/);
    const [record] = book.records.values();
    expect(record).toMatchObject({ status: 'rejected', lastError: expect.stringMatching(/said no/) });
  });

  it('a 503 is recorded as failed and sent by the maintenance timer when the host has given up', async () => {
    // Arrange
    const w = world(new MemoryAlertBook());
    w.mailer.script = [{ fail: 'retryable' }];

    // Act
    const results = await w.deliver([ruleOf()], [request()], delivery(1));
    const maintenance = await w.maintain();

    // Assert
    expect(invocationFails(results)).toBe(true);
    expect(maintenance).toMatchObject({ sent: 1 });
    expect(w.mailer.sends).toHaveLength(1);
  });

  it("tries every bucket of a delivery when one bucket's decision cannot be written", async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = world(book);
    const rules = [ruleOf({ rowKey: 'a' }), ruleOf({ rowKey: 'b' }), ruleOf({ rowKey: 'c' })];
    let decisions = 0;
    book.hook = (op, when) => {
      if (op === 'decide' && when === 'before' && ++decisions === 1) throw new Error('409 TableBeingDeleted');
    };

    // Act
    const results = await w.deliver(rules, [request()], delivery(1));

    // Assert
    expect(results.map((r) => r.kind).sort()).toEqual(['failed', 'sent', 'sent']);
    expect(invocationFails(results)).toBe(true);
  });

  it('five concurrent deliveries of the same blob send one e-mail', async () => {
    // Arrange
    const w = world(new MemoryAlertBook());

    // Act
    const all = await Promise.all(Array.from({ length: 5 }, () => w.deliver([ruleOf()], [request()], delivery(1))));

    // Assert
    expect(w.mailer.sends).toHaveLength(1);
    expect(all.flat().filter((r) => r.kind === 'sent')).toHaveLength(1);
  });
});

describe('a partial send whose failure could not be recorded at once', () => {
  it('mails the batch SendGrid accepted once, because recording the failure is retried', async () => {
    // Arrange: 1,001 recipients (two batches); batch 0 accepted, then a 503; the first markFailed throws.
    const book = new MemoryAlertBook();
    const w = world(book);
    const rule = ruleOf({ Recipients: Array.from({ length: 1_001 }, (_, i) => `user${i}@example.com`).join(';') });
    w.mailer.script = [{ fail: 'retryable', afterBatches: 1 }];
    book.hook = failing('markFailed', 1, 'table storage is down');

    // Act
    await w.deliver([rule], [request()], delivery(1));
    w.clock += LEASE_MS + MIN;
    await w.maintain();

    // Assert
    expect(w.mailer.copies(['user0@example.com'])).toEqual({ min: 1, max: 1 });
    expect(w.mailer.copies(['user1000@example.com'])).toEqual({ min: 1, max: 1 });
  });
});
