import { TableRecipientBudget } from '../../../shared/adapters/storage/tableRecipientBudget';
import type { HourRef, RecipientBudget } from '../../../shared/core/mail/recipientBudget';
import { HOUR_MS, MAX_FOLD_LINES } from '../../../shared/core/mail/recipientHour';
import { testTableClient } from '../../harness/storage';
import { MemoryRecipientBudget } from '../../helpers/memoryRecipientBudget';

const HOUR = Date.UTC(2024, 2, 5, 13);
const DAY = 24 * HOUR_MS;
const OPS = 'ops@example.com';
const DEV = 'dev@example.com';

function request(n: number, recipients: readonly string[] = [OPS], limit = 3, hourStart = HOUR) {
  return {
    recipients,
    key: `shop-prod/errors/d~${n}`,
    hourStart,
    line: { subject: `[Sev1] errors: alert ${n} <b>`, rule: 'shop-prod/errors', at: hourStart + n * 1000 },
    limit,
  };
}

async function due(budget: RecipientBudget, now: number): Promise<HourRef[]> {
  const found: HourRef[] = [];
  for await (const ref of budget.listDue(now)) found.push(ref);
  return found;
}

// The same contract for the Table adapter (on Azurite) and the in-memory fake the unit tests trust.
describe.each([
  ['Table Storage', () => new TableRecipientBudget(testTableClient('budget'), async () => {})],
  ['memory', () => new MemoryRecipientBudget()],
] as const)('recipient budget on %s', (_name, makeBudget) => {
  let budget: RecipientBudget;
  beforeEach(() => {
    budget = makeBudget();
  });

  it('counts up to the budget, folds past it, and answers a repeated alert the same', async () => {
    // Act
    const answers = [];
    for (const n of [1, 2, 3, 4, 2, 4]) answers.push((await budget.admit(request(n))).get(OPS));

    // Assert
    expect(answers).toEqual(['counted', 'counted', 'counted', 'folded', 'counted', 'folded']);
    const hour = await budget.close({ recipient: OPS, hourStart: HOUR });
    expect(hour).toMatchObject({ recipient: OPS, hourStart: HOUR, foldedTotal: 1, stage: 'closed' });
    expect(hour?.counted).toHaveLength(3);
    expect(hour?.lines).toEqual([request(4).line]);
  });

  it('keeps each recipient and each hour apart', async () => {
    // Arrange
    for (const n of [1, 2, 3]) await budget.admit(request(n, [OPS]));

    // Act
    const both = await budget.admit(request(4, [OPS, DEV]));
    const nextHour = await budget.admit(request(5, [OPS], 3, HOUR + HOUR_MS));

    // Assert
    expect(Object.fromEntries(both)).toEqual({ [OPS]: 'folded', [DEV]: 'counted' });
    expect(nextHour.get(OPS)).toBe('counted');
  });

  it('lists an hour for its digest once it is over, and no more once digested; a closed hour admits late alerts', async () => {
    // Arrange
    for (const n of [1, 2]) await budget.admit(request(n, [OPS, DEV], 1));

    // Act
    const during = await due(budget, HOUR + HOUR_MS - 1);
    const after = await due(budget, HOUR + HOUR_MS);
    await budget.close({ recipient: OPS, hourStart: HOUR });
    const late = await budget.admit(request(3, [OPS], 1));
    const retried = await budget.admit(request(2, [OPS], 1));
    await budget.markDigested({ recipient: OPS, hourStart: HOUR });
    const digested = await due(budget, HOUR + HOUR_MS);

    // Assert
    expect(during).toEqual([]);
    expect(after.sort((a, b) => a.recipient.localeCompare(b.recipient))).toEqual([
      { recipient: DEV, hourStart: HOUR },
      { recipient: OPS, hourStart: HOUR },
    ]);
    expect(late.get(OPS)).toBe('late');
    expect(retried.get(OPS)).toBe('folded');
    expect(digested).toEqual([{ recipient: DEV, hourStart: HOUR }]);
    expect(await budget.close({ recipient: 'nobody@example.com', hourStart: HOUR })).toBeUndefined();
  });

  it('keeps the fold list bounded while the total counts every alert', async () => {
    // Act
    for (let n = 1; n <= MAX_FOLD_LINES + 10; n++) await budget.admit(request(n, [OPS], 1));

    // Assert
    const hour = await budget.close({ recipient: OPS, hourStart: HOUR });
    expect(hour?.lines).toHaveLength(MAX_FOLD_LINES);
    expect(hour?.foldedTotal).toBe(MAX_FOLD_LINES + 9);
  }, 30_000);

  it('expires hours that owe no digest, and gives up one owed past the give-up time', async () => {
    // Arrange: an old hour digested, an old hour owed, a recent hour owed
    const old = HOUR - 3 * DAY;
    const ancient = HOUR - 8 * DAY;
    for (const n of [1, 2]) {
      await budget.admit(request(n, [OPS], 1, old));
      await budget.admit(request(n, [DEV], 1, old));
      await budget.admit(request(n, [OPS], 1, ancient));
      await budget.admit(request(n, [OPS], 1, HOUR));
    }
    await budget.markDigested({ recipient: OPS, hourStart: old });

    // Act
    const result = await budget.expire(HOUR - 2 * DAY, HOUR - 7 * DAY);

    // Assert: the old owed hour of dev stays, its digest still to make
    expect(result).toEqual({ expired: 2, abandoned: [{ recipient: OPS, hourStart: ancient }] });
    expect((await due(budget, HOUR + HOUR_MS)).length).toBe(2);
  });
});

describe('recipient budget on Table Storage, concurrently', () => {
  it('counts 20 concurrent alerts to one recipient-hour exactly once each, never past the budget', async () => {
    // Arrange: real jittered back-off, as in production
    const budget = new TableRecipientBudget(testTableClient('budget'), (ms) => new Promise((r) => setTimeout(r, ms)));

    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => budget.admit(request(n, [OPS], 5))));
    const again = await Promise.all(Array.from({ length: 20 }, (_, n) => budget.admit(request(n, [OPS], 5))));

    // Assert
    const kinds = answers.map((a) => a.get(OPS));
    expect(kinds.filter((k) => k === 'counted')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'folded')).toHaveLength(15);
    expect(again.map((a) => a.get(OPS))).toEqual(kinds);
    const hour = await budget.close({ recipient: OPS, hourStart: HOUR });
    expect(hour?.counted).toHaveLength(5);
    expect(hour?.foldedTotal).toBe(15);
    expect(hour?.lines).toHaveLength(15);
  }, 60_000);

  it('loses no fold to a concurrent close: each alert is either in the frozen digest or sent late', async () => {
    // Arrange
    const budget = new TableRecipientBudget(testTableClient('budget'), (ms) => new Promise((r) => setTimeout(r, ms)));
    await budget.admit(request(0, [OPS], 1));

    // Act
    const [answers, frozen] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, n) => budget.admit(request(n + 1, [OPS], 1)))),
      budget.close({ recipient: OPS, hourStart: HOUR }),
    ]);

    // Assert
    const folded = answers.filter((a) => a.get(OPS) === 'folded').length;
    const late = answers.filter((a) => a.get(OPS) === 'late').length;
    expect(folded + late).toBe(10);
    const final = await budget.close({ recipient: OPS, hourStart: HOUR });
    expect(final?.foldedTotal).toBe(folded);
    expect(frozen?.foldedTotal).toBe(folded);
  }, 60_000);
});
