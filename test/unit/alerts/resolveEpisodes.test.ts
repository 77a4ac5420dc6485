import type { AlertBook } from '../../../shared/core/alerts/alertBook';
import { resolvedKeyOf } from '../../../shared/core/alerts/resolvedNotice';
import { resolveEpisodes } from '../../../shared/core/alerts/resolveEpisodes';
import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { AlertRule } from '../../../shared/core/rules/alertRule';
import { MemoryAlertBook } from '../../helpers/memoryAlertBook';
import { delivery, LEASE_MS, MIN, request, ruleOf, T0, type World, world } from './alertWorld';

// Issue 15 §2: the maintenance timer's RESOLVED step, over the in-memory book.

/** Threshold 1 within 10 minutes, no throttle: every match fires; NotifyResolved is on by default. */
const RULE = ruleOf({ WindowMinutes: 10 });
const RULE_KEY = 'shop-prod/errors';

function resolve(w: World, rules: readonly AlertRule[] = [RULE]) {
  return resolveEpisodes({ ...w.deps(), rules: async () => rules });
}

function notices(w: World): AlertEmail[] {
  return w.mailer.sends.filter((email) => email.subject.startsWith('[Resolved]'));
}

/** The alert fires at 13:10 on one match of 13:08. */
async function fired(book: AlertBook = new MemoryAlertBook(), rule = RULE): Promise<World> {
  const w = world(book);
  await w.deliver([rule], [request()], delivery(1));
  return w;
}

describe('resolveEpisodes', () => {
  it('sends one RESOLVED notice through the ledger a whole window after the last breach', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = await fired(book);
    let stateReads = 0;
    book.hook = (op, when) => void (op === 'changeState' && when === 'before' && stateReads++);

    // Act
    w.clock = T0 + 9 * MIN;
    const early = await resolve(w);
    w.clock = T0 + 10 * MIN;
    const due = await resolve(w);
    w.clock = T0 + 11 * MIN;
    const after = await resolve(w);

    // Assert
    expect(early).toMatchObject({ rules: 1, open: 1, resolved: 0 });
    expect(due).toMatchObject({ open: 1, resolved: 1, sent: 1, failed: 0 });
    expect(after).toMatchObject({ open: 0, resolved: 0 });
    expect(stateReads).toBe(1);
    const key = resolvedKeyOf('', T0);
    expect(book.record(RULE_KEY, key)).toMatchObject({ status: 'sent', rows: 1, attempts: 1 });
    expect(notices(w).map((e) => [e.subject, e.headers['X-Alert-Ledger-Key']])).toEqual([
      ['[Resolved] [Sev2] errors in shop-prod: lasted 10 min', key],
    ]);
  });

  it('sends it once when the worker dies between writing its record and sending: the alert maintenance does, after the lease', async () => {
    // Arrange: the notice's send never returns
    const w = await fired();
    w.mailer.script = ['dieBefore'];
    const died = new Promise<void>((resolve) => (w.mailer.onDeath = resolve));
    w.clock = T0 + 10 * MIN;

    // Act
    void resolve(w);
    await died;
    w.clock += LEASE_MS - 1;
    const withinLease = await w.maintain([RULE]);
    w.clock += 1;
    const afterLease = await w.maintain([RULE]);
    const again = await resolve(w);

    // Assert
    expect(withinLease).toMatchObject({ open: 1, busy: 1, sent: 0 });
    expect(afterLease).toMatchObject({ open: 1, sent: 1 });
    expect(again).toMatchObject({ open: 0, resolved: 0 });
    expect(notices(w)).toHaveLength(1);
    expect(w.mailer.received.get('ops@example.com')?.filter((e) => e.subject.startsWith('[Resolved]'))).toHaveLength(1);
  });

  it('sends one notice when two timers run at once', async () => {
    // Arrange
    const w = await fired();
    w.clock = T0 + 10 * MIN;

    // Act
    const [a, b] = await Promise.all([resolve(w), resolve(w)]);

    // Assert
    expect(a.resolved + b.resolved).toBe(1);
    expect(notices(w)).toHaveLength(1);
  });

  it('leaves a failed send to the alert maintenance, which sends it; nothing is written twice', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = await fired(book);
    w.mailer.script = [{ fail: 'retryable' }];
    w.clock = T0 + 10 * MIN;

    // Act
    const first = await resolve(w);
    const failedRecord = book.record(RULE_KEY, resolvedKeyOf('', T0));
    w.clock += MIN;
    const maintained = await w.maintain([RULE]);
    const again = await resolve(w);

    // Assert
    expect(first).toMatchObject({ resolved: 1, sent: 0, failed: 1 });
    expect(failedRecord).toMatchObject({ status: 'failed' });
    expect(maintained).toMatchObject({ sent: 1 });
    expect(again).toMatchObject({ open: 0, resolved: 0 });
    expect(notices(w)).toHaveLength(1);
  });

  it('holds the notice while the rule is muted, and sends it when the mute ends, saying it waited', async () => {
    // Arrange: the rule was muted until 13:40 after it fired
    const w = await fired();
    const muted = ruleOf({ WindowMinutes: 10, MuteUntil: new Date(T0 + 30 * MIN).toISOString() });

    // Act
    w.clock = T0 + 10 * MIN;
    const during = await resolve(w, [muted]);
    w.clock = T0 + 30 * MIN;
    const after = await resolve(w, [muted]);

    // Assert
    expect(during).toMatchObject({ open: 1, held: 1, resolved: 0 });
    expect(after).toMatchObject({ open: 1, resolved: 1, sent: 1 });
    expect(notices(w).map((e) => e.subject)).toEqual(['[Resolved] [Sev2] errors in shop-prod: lasted 10 min']);
    expect(notices(w)[0]?.text).toContain('This notice waited for a mute to end');
  });

  it('closes the alert of a rule disabled since, without a notice', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = await fired(book);
    w.clock = T0 + 2 * MIN;

    // Act
    const summary = await resolve(w, [ruleOf({ WindowMinutes: 10, Enabled: false })]);

    // Assert
    expect(summary).toMatchObject({ open: 1, closed: 1, resolved: 0 });
    expect(book.episodes.size).toBe(0);
    expect(book.state(RULE_KEY, '')?.episode).toBeUndefined();
    expect(notices(w)).toHaveLength(0);
  });

  it('leaves the alert of a removed rule alone: its state and index entry expire with the idle group', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = await fired(book);
    w.clock = T0 + 60 * MIN;

    // Act
    const summary = await resolve(w, []);

    // Assert
    expect(summary).toMatchObject({ rules: 0, open: 0 });
    expect(book.episodes.size).toBe(1);
  });

  it('restamps an alert whose last breach is hours ahead of the clock, and resolves it a window later', async () => {
    // Arrange: fired with the clock two hours ahead; the clock is back at 13:10
    const book = new MemoryAlertBook();
    const w = world(book);
    w.clock = T0 + 120 * MIN;
    await w.deliver([RULE], [request()], delivery(1, T0));
    w.clock = T0;

    // Act
    const back = await resolve(w);
    w.clock = T0 + 10 * MIN;
    const later = await resolve(w);

    // Assert
    expect(back).toMatchObject({ restamped: 1, resolved: 0 });
    expect(later).toMatchObject({ resolved: 1, sent: 1 });
  });

  it('opens no alert for a group that fired only as a line of the summary e-mail', async () => {
    // Arrange: at most 2 e-mails per rule and blob: one of its own, then the summary
    const book = new MemoryAlertBook();
    const w = world(book, 2);
    const rule = ruleOf({ WindowMinutes: 10, GroupBy: 'customDimensions.visitor' });

    // Act
    await w.deliver(
      [rule],
      [
        request({ customDimensions: { visitor: 'a' } }),
        request({ customDimensions: { visitor: 'a' } }),
        request({ customDimensions: { visitor: 'b' } }),
      ],
      delivery(1),
    );

    // Assert
    expect([...book.episodes.values()].map((e) => e.groupKey)).toEqual(['[["customDimensions.visitor","a"]]']);
  });

  it('writes the notice with the decision of a blob that comes after the quiet window; the next maintenance run sends it', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = await fired(book);

    // Act: at 13:24 the group fires again, nobody having resolved the first alert
    w.clock = T0 + 14 * MIN;
    await w.deliver([RULE], [request({ timestamp: new Date(T0 + 13 * MIN) })], delivery(2, T0 + 14 * MIN));
    const written = book.record(RULE_KEY, resolvedKeyOf('', T0));
    const maintained = await w.maintain([RULE]);

    // Assert
    expect(written).toMatchObject({ status: 'sending', attempts: 0, leaseUntil: T0 + 14 * MIN, rows: 1 });
    expect(maintained).toMatchObject({ sent: 1 });
    expect(notices(w).map((e) => e.subject)).toEqual(['[Resolved] [Sev2] errors in shop-prod: lasted 10 min']);
    expect([...book.episodes.values()]).toEqual([
      { ruleKey: RULE_KEY, groupKey: '', since: T0 + 14 * MIN, lastBreachAt: T0 + 14 * MIN, updatedAt: T0 + 14 * MIN },
    ]);
  });

  it('expires an index entry with its idle state', async () => {
    // Arrange
    const book = new MemoryAlertBook();
    const w = await fired(book, ruleOf({ WindowMinutes: 10 }));

    // Act
    w.clock = T0 + 16 * 24 * 60 * MIN;
    await w.maintain([]);

    // Assert
    expect(book.episodes.size + book.states.size).toBe(0);
  });
});
