import { maintainAlerts } from '../../../shared/core/alerts/maintainAlerts';
import {
  BUDGET_GIVE_UP_MS,
  BUDGET_KEEP_MS,
  type BudgetDigestDeps,
  budgetDigestKey,
  sendBudgetDigests,
} from '../../../shared/core/alerts/sendBudgetDigests';
import { BudgetedMailer } from '../../../shared/core/mail/budgetedMailer';
import { BUDGET_LEDGER } from '../../../shared/core/mail/recipientBudget';
import { HOUR_MS, hourStartOf } from '../../../shared/core/mail/recipientHour';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { MemoryRecipientBudget } from '../../helpers/memoryRecipientBudget';
import { hang, LEASE_MS, logCollector, MIN, ScriptedMailer, T0 } from './alertWorld';

const HOUR = hourStartOf(T0);
const LIMIT = 3;
const OPS = 'ops@example.com';

interface Scene {
  readonly book: MemoryAlertBook;
  readonly budget: MemoryRecipientBudget;
  readonly inner: ScriptedMailer;
  readonly logger: ReturnType<typeof logCollector>;
  clock: number;
  deps(): BudgetDigestDeps;
  /** Alert `n` of rule shop-prod/errors, recorded at T0 + n minutes, sent through the budget. */
  alert(n: number, to?: readonly string[]): Promise<void>;
  /** Digest e-mails each recipient got. */
  digests(recipient?: string): number;
}

function scene(): Scene {
  const book = new MemoryAlertBook();
  const budget = new MemoryRecipientBudget();
  const inner = new ScriptedMailer();
  const mailer = new BudgetedMailer(inner, { budget, limit: LIMIT, provider: 'sendgrid' });
  const logger = logCollector();
  const s: Scene = {
    book,
    budget,
    inner,
    logger,
    clock: T0,
    deps: () => ({
      book,
      mailer,
      budget,
      limit: LIMIT,
      now: () => s.clock,
      logger,
      from: 'alerts@example.com',
      leaseMs: LEASE_MS,
      pause: async () => {},
    }),
    alert: async (n, to = [OPS]) => {
      await mailer.send(
        {
          from: 'alerts@example.com',
          to,
          subject: `[Sev1] errors: alert ${n}`,
          text: 't',
          html: '<p>h</p>',
          customArgs: { rule: 'shop-prod/errors' },
          headers: {},
        },
        { budget: { key: `shop-prod/errors/d~${n}`, at: T0 + n * MIN } },
      );
    },
    digests: (recipient = OPS) =>
      (inner.received.get(recipient) ?? []).filter((e) => e.subject.startsWith('[digest]')).length,
  };
  return s;
}

/** A scene where ops got 3 alerts in the hour of T0 and 2 more were folded. */
async function overBudget(): Promise<Scene> {
  const s = scene();
  for (const n of [1, 2, 3, 4, 5]) await s.alert(n);
  return s;
}

describe('sendBudgetDigests', () => {
  it('sends nothing while the hour is not over', async () => {
    // Arrange
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS - 1;

    // Act
    const summary = await sendBudgetDigests(s.deps());

    // Assert
    expect(summary).toMatchObject({ due: 0, sent: 0 });
    expect(s.digests()).toBe(0);
    expect(s.book.records.size).toBe(0);
  });

  it('sends one digest record and e-mail per recipient-hour once the hour is over, listing the folded alerts', async () => {
    // Arrange: dev got alert 4 within its budget, so only ops has a digest
    const s = scene();
    for (const n of [1, 2, 3]) await s.alert(n);
    await s.alert(4, [OPS, 'dev@example.com']);
    await s.alert(5);
    s.clock = HOUR + HOUR_MS + MIN;

    // Act
    const summary = await sendBudgetDigests(s.deps());

    // Assert
    expect(summary).toMatchObject({ due: 1, sent: 1, failed: 0 });
    const record = s.book.record(BUDGET_LEDGER, budgetDigestKey(OPS, HOUR));
    expect(record).toMatchObject({ status: 'sent', rows: 2 });
    const digest = s.inner.received.get(OPS)?.at(-1);
    expect(digest?.to).toEqual([OPS]);
    expect(digest?.subject).toBe('[digest] 2 alerts held back for you, 2024-03-05 13:00–14:00 UTC');
    expect(digest?.text).toContain('[Sev1] errors: alert 4');
    expect(digest?.text).toContain('[Sev1] errors: alert 5');
    expect(digest?.text).toContain('FIRING · Sev1 Error');
    expect(s.digests('dev@example.com')).toBe(0);
    expect(s.budget.hourOf(OPS, HOUR)?.stage).toBe('digested');
  });

  it('sends the digest once when the step runs twice', async () => {
    // Arrange
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS + MIN;

    // Act
    await sendBudgetDigests(s.deps());
    s.clock += 5 * MIN;
    const second = await sendBudgetDigests(s.deps());

    // Assert
    expect(second.due).toBe(0);
    expect(s.digests()).toBe(1);
  });

  it('sends the digest once when a run dies after recording it and before marking the hour', async () => {
    // Arrange: the first run dies once the digest's record is written
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS + MIN;
    s.book.hook = (op, when) => (op === 'insert' && when === 'after' ? hang() : undefined);
    void sendBudgetDigests(s.deps());
    await new Promise((resolve) => setImmediate(resolve));
    s.book.hook = () => {};

    // Act: the next tick within the dead run's lease, the alert re-drive after it, then another tick
    s.clock += MIN;
    const next = await sendBudgetDigests(s.deps());
    s.clock += LEASE_MS;
    const redrive = await maintain(s);
    s.clock += 5 * MIN;
    const last = await sendBudgetDigests(s.deps());
    const lastRedrive = await maintain(s);

    // Assert
    expect(next).toMatchObject({ due: 1, sent: 0, already: 1 });
    expect(redrive).toMatchObject({ open: 1, sent: 1 });
    expect(last.due).toBe(0);
    expect(lastRedrive.open).toBe(0);
    expect(s.digests()).toBe(1);
  });

  it('sends the digest once when a run dies after sending it and before marking the hour', async () => {
    // Arrange
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS + MIN;
    let left = 1;
    s.budget.hook = (op, when) => {
      if (op === 'markDigested' && when === 'before' && left-- > 0) throw new Error('storage blip');
    };

    // Act
    await expect(sendBudgetDigests(s.deps())).rejects.toThrow('storage blip');
    const again = await sendBudgetDigests(s.deps());

    // Assert
    expect(again).toMatchObject({ due: 1, sent: 0, already: 1 });
    expect(s.digests()).toBe(1);
    expect(s.logger.errors[0]).toMatch(/^digest of recipient \S+ for the hour from 2024-03-05T13:00 UTC: storage blip/);
  });

  it('sends the digest even when the recipient is past the budget of the hour it goes out in', async () => {
    // Arrange: ops is over budget in the next hour too when the digest goes out
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS + MIN;
    const deps = s.deps();
    for (const n of [61, 62, 63, 64]) await s.alert(n);

    // Act
    await sendBudgetDigests(deps);

    // Assert
    expect(s.digests()).toBe(1);
  });

  it('sends an alert of the hour that comes after its digest was made on its own, so none is lost', async () => {
    // Arrange: the digest of the hour went out
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS + MIN;
    await sendBudgetDigests(s.deps());

    // Act: a record of 13:50 retried after the hour (its worker died)
    await s.alert(50);

    // Assert
    expect(s.inner.received.get(OPS)?.at(-1)?.subject).toBe('[Sev1] errors: alert 50');
  });

  it('deletes recipient-hours past their keep time, and gives up a digest never made with an error', async () => {
    // Arrange: the hour of T0 digested; an old hour whose digest could never be made
    const s = await overBudget();
    s.clock = HOUR + HOUR_MS + MIN;
    await sendBudgetDigests(s.deps());
    const old = HOUR - BUDGET_GIVE_UP_MS - HOUR_MS;
    s.budget.hours.set(`${OPS}\u0000${old}`, {
      recipient: OPS,
      hourStart: old,
      counted: [],
      folded: [],
      lines: [],
      foldedTotal: 2,
      stage: 'closed',
    });
    s.budget.hook = (op) => {
      if (op === 'close') throw new Error('never closes');
    };

    // Act
    s.clock = HOUR + BUDGET_KEEP_MS + HOUR_MS;
    const summary = await sendBudgetDigests(s.deps()).catch(() => undefined);
    s.budget.hook = () => {};
    const next = await sendBudgetDigests(s.deps());

    // Assert
    expect(summary).toBeUndefined();
    expect(next).toMatchObject({ expired: 0 });
    expect(s.budget.hours.size).toBe(0);
    expect(s.logger.errors.some((e) => /given up, not made in 7 days/.test(e))).toBe(true);
  });
});

/** The alert maintenance step (its re-drive of open records) on the scene's book, mailer and clock. */
function maintain(s: Scene) {
  return maintainAlerts({ ...s.deps(), recordDays: 7, ruleFor: async () => undefined });
}
