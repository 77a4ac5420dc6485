import { delivery, hang, invocationFails, LEASE_MS, MIN, request, ruleOf, world } from '../../unit/alerts/alertWorld';
import { consecutiveDeliveries, longRunBook, windowedDeliveries } from './longRun';

const book = () => longRunBook('longrun');

// A few hundred Azurite round trips take seconds; the limit only guards against a hang, so it leaves room
// for a loaded machine. test/scale runs the same long runs with 1,000 deliveries.
const LONG_RUN_MS = 120_000;

describe('alerting over many deliveries, on Azurite', () => {
  it(
    'sends 300 e-mails for 300 consecutive matching deliveries of one rule and group, with no failure',
    async () => {
      expect(await consecutiveDeliveries(300)).toEqual({ kinds: { sent: 300 }, sends: 300 });
    },
    LONG_RUN_MS,
  );

  it(
    'fires exactly as the policy says over 300 deliveries with a window and a threshold',
    async () => {
      expect(await windowedDeliveries(300)).toEqual({ fired: 60, failedInvocations: 0 });
    },
    LONG_RUN_MS,
  );

  it('re-drives a claim whose worker died before sending, once the host has stopped retrying', async () => {
    // Arrange
    const w = world(book());
    const rule = ruleOf();
    const died = new Promise<void>((resolve) => {
      w.mailer.onDeath = resolve;
    });
    w.mailer.script = ['dieBefore'];

    // Act
    void w.deliver([rule], [request()], delivery(1));
    await died;
    const retry = await w.deliver([rule], [request()], delivery(1));
    w.clock += LEASE_MS + MIN;
    const maintenance = await w.maintain();

    // Assert
    expect(invocationFails(retry)).toBe(true);
    expect(maintenance).toMatchObject({ sent: 1 });
    expect(w.mailer.sends).toHaveLength(1);
  });

  it('sends twice only when the worker died after SendGrid accepted and before the record said so', async () => {
    // Arrange
    const w = world(book());
    const died = new Promise<void>((resolve) => {
      w.mailer.onDeath = resolve;
    });
    w.mailer.script = ['dieAfter'];

    // Act
    void w.deliver([ruleOf()], [request()], delivery(1));
    await died;
    w.clock += LEASE_MS + MIN;
    await w.maintain();
    await w.maintain();

    // Assert
    expect(w.mailer.sends).toHaveLength(2);
  });

  it(
    'caps a flood of 600 GroupBy values at ALERT_MAX_EMAILS_PER_RULE e-mails, the rest in one summary, and throttles each group',
    async () => {
      // Arrange: a custom dimension a browser sets, with 600 distinct values in one blob.
      const w = world(book(), 10);
      const rule = ruleOf({ GroupBy: 'customDimensions.visitor', ThrottleMinutes: 15 });
      const flood = Array.from({ length: 600 }, (_, i) =>
        request({ customDimensions: { visitor: `v${String(i).padStart(3, '0')}` } }),
      );

      // Act
      const first = await w.deliver([rule], flood, delivery(1));
      w.clock += MIN;
      const second = await w.deliver([rule], flood, delivery(2, w.clock));

      // Assert: 9 on their own + 1 summary; the MatchCollector folds groups past 500 into one.
      expect(w.mailer.sends).toHaveLength(10);
      const summary = w.mailer.sends.find((m) => m.subject.includes('(summary)'));
      const summarized = first.filter((r) => r.kind === 'summarized').length;
      expect(summary?.text).toContain(`fired for ${summarized} more groups`);
      expect(first.filter((r) => r.kind === 'sent')).toHaveLength(10);
      expect(summarized + 10).toBe(first.length);
      expect(second.every((r) => r.kind === 'suppressed')).toBe(true);
    },
    LONG_RUN_MS,
  );

  it('writes and sends the summary that a worker dying after the groups were decided left unwritten', async () => {
    // Arrange
    const b = book();
    const w = world(b, 2);
    const rule = ruleOf({ GroupBy: 'customDimensions.visitor' });
    const records = ['a', 'b', 'c', 'd'].map((v) => request({ customDimensions: { visitor: v } }));
    const real = b.insert.bind(b);
    const died = new Promise<void>((resolve) => {
      b.insert = (record) => (record.groupKey === '#summary' ? hang(resolve) : real(record));
    });

    // Act
    void w.deliver([rule], records, delivery(1));
    await died;
    b.insert = real;
    w.clock += LEASE_MS + MIN;
    const maintenance = await w.maintain([rule]);
    const again = await w.maintain([rule]);

    // Assert: one e-mail on its own (cap 2 - 1), three groups in the summary, nothing twice.
    expect(maintenance).toMatchObject({ summaries: 1, sent: 1 });
    expect(again).toMatchObject({ open: 0 });
    expect(w.mailer.sends.map((m) => m.subject.includes('(summary)'))).toEqual([false, true]);
    expect(w.mailer.sends[1]?.text).toContain('fired for 3 more groups');
  });
});
