import { TableClient } from '@azure/data-tables';

import { episodeRowKey, stateRowKey, TableAlertBook } from '../../../shared/adapters/storage/tableAlertBook';
import { TableAlertLedger } from '../../../shared/adapters/storage/tableAlertLedger';
import { tableKey } from '../../../shared/adapters/storage/tableKeys';
import type { OpenEpisode } from '../../../shared/core/alerts/alertBook';
import { resolvedKeyOf } from '../../../shared/core/alerts/resolvedNotice';
import { resolveEpisodes } from '../../../shared/core/alerts/resolveEpisodes';
import type { AlertRule } from '../../../shared/core/rules/alertRule';
import { testTableClient } from '../../harness/storage';
import { startTableProxy } from '../../harness/tableProxy';
import { delivery, MIN, request, ruleOf, T0, type World, world } from '../../unit/alerts/alertWorld';

// Issue 15 §2 on Table Storage: the episode kept in the versioned state, its index entry written in
// the same transaction, and one RESOLVED notice whatever the timers do.

const RULE = ruleOf({ WindowMinutes: 10 });
const RULE_KEY = 'shop-prod/errors';

async function episodes(book: TableAlertBook, ruleKey = RULE_KEY): Promise<OpenEpisode[]> {
  const found: OpenEpisode[] = [];
  for await (const episode of book.listEpisodes(ruleKey)) found.push(episode);
  return found;
}

async function rowKeys(table: TableClient): Promise<string[]> {
  const keys: string[] = [];
  for await (const entity of table.listEntities()) keys.push(`${String(entity['Kind'])} ${entity.rowKey ?? ''}`);
  return keys.sort();
}

function resolve(w: World, book = w.book, rules: readonly AlertRule[] = [RULE]) {
  return resolveEpisodes({ ...w.deps({ book }), rules: async () => rules });
}

function notices(w: World): number {
  return w.mailer.sends.filter((email) => email.subject.startsWith('[Resolved]')).length;
}

describe('episodes on Table Storage', () => {
  it('keeps the open alert in the versioned state, with an index entry written in the same transaction, and reads both back', async () => {
    // Arrange
    const table = testTableClient('episodes');
    const book = new TableAlertBook(table, async () => {});
    const w = world(book);

    // Act: an alert of a windowed rule, and a group of a per-delivery rule (no episode)
    await w.deliver([RULE], [request()], delivery(1));
    await w.deliver([ruleOf({ rowKey: 'per-blob' })], [request()], delivery(2));
    const stateEntity = await table.getEntity<Record<string, unknown>>(tableKey(RULE_KEY), stateRowKey(''));
    const indexEntity = await table.getEntity<Record<string, unknown>>(tableKey(RULE_KEY), episodeRowKey(''), {
      disableTypeConversion: true,
    });
    const states = [];
    for await (const stored of new TableAlertLedger(table).listStates({ kind: 'all' })) states.push(stored);

    // Assert
    expect(stateEntity['V']).toBe(1);
    expect(JSON.parse(String(stateEntity['State']))).toMatchObject({ v: 3, e: { s: T0, b: T0, r: 1, n: 1 } });
    expect(indexEntity).toMatchObject({
      V: { value: '1', type: 'Int32' },
      Kind: { value: 'episode', type: 'String' },
      Group: { value: '', type: 'String' },
      Since: { value: String(T0), type: 'Int64' },
      LastBreachAt: { value: String(T0), type: 'Int64' },
    });
    expect(await episodes(book)).toEqual([{ ruleKey: RULE_KEY, groupKey: '', since: T0, lastBreachAt: T0 }]);
    expect(states.find((s) => s.ruleKey === RULE_KEY)?.state.episode).toMatchObject({
      since: T0,
      firings: 1,
      source: { appName: 'shop-prod', folder: 'shop-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0' },
    });
  });

  it('writes a state without episode or mute in the shape builds before issue 15 read (state version 2)', async () => {
    // Arrange
    const table = testTableClient('plainstate');
    const w = world(new TableAlertBook(table, async () => {}));

    // Act: a rule with a window that sends no notices
    await w.deliver([ruleOf({ WindowMinutes: 10, NotifyResolved: false })], [request()], delivery(1));

    // Assert
    const entity = await table.getEntity<Record<string, unknown>>(tableKey(RULE_KEY), stateRowKey(''));
    expect(JSON.parse(String(entity['State']))).toMatchObject({ v: 2 });
    expect(await rowKeys(table)).toEqual([expect.stringMatching(/^record d~/), `state ${stateRowKey('')}`]);
  });

  it('closes the alert, writes its notice and removes the index entry in one transaction, then sends it', async () => {
    // Arrange
    const table = testTableClient('resolve');
    const book = new TableAlertBook(table, async () => {});
    const w = world(book);
    await w.deliver([RULE], [request()], delivery(1));

    // Act
    w.clock = T0 + 10 * MIN;
    const summary = await resolve(w);

    // Assert
    expect(summary).toMatchObject({ open: 1, resolved: 1, sent: 1 });
    expect(await episodes(book)).toEqual([]);
    expect(await book.get(RULE_KEY, resolvedKeyOf('', T0))).toMatchObject({ status: 'sent', attempts: 1 });
    expect(notices(w)).toBe(1);
  });

  it('sends one notice when a second timer resolves the alert between this one’s read and its write', async () => {
    // Arrange: the other timer runs to its end just before this one's first write
    const table = testTableClient('twotimers');
    const direct = new TableAlertBook(table, async () => {});
    const w = world(direct);
    await w.deliver([RULE], [request()], delivery(1));
    w.clock = T0 + 10 * MIN;
    let other = 0;
    const proxy = await startTableProxy(async () => {
      other = (await resolve(w, direct)).resolved;
    });
    const viaProxy = new TableAlertBook(
      TableClient.fromConnectionString(proxy.connectionString, table.tableName, { allowInsecureConnection: true }),
      async () => {},
    );

    // Act
    const mine = await resolve(w, viaProxy).finally(() => proxy.close());

    // Assert
    expect([other, mine.resolved]).toEqual([1, 0]);
    expect(notices(w)).toBe(1);
    expect(await episodes(direct)).toEqual([]);
  });

  it('sends one notice when two timers run side by side', async () => {
    // Arrange
    const table = testTableClient('sidebyside');
    const w = world(new TableAlertBook(table, async () => {}));
    await w.deliver([RULE], [request()], delivery(1));
    w.clock = T0 + 10 * MIN;

    // Act
    const [a, b] = await Promise.all([resolve(w, new TableAlertBook(table)), resolve(w, new TableAlertBook(table))]);

    // Assert
    expect(a.resolved + b.resolved).toBe(1);
    expect(notices(w)).toBe(1);
  });

  it('lists a rule’s open alerts from its key range only: other rules, states and records are not read', async () => {
    // Arrange: two rules, three groups each, one delivery per group; one group of each stays open
    const table = testTableClient('keyrange');
    const book = new TableAlertBook(table, async () => {});
    const w = world(book);
    const grouped = (id: string, notify: boolean) =>
      ruleOf({ rowKey: id, WindowMinutes: 10, GroupBy: 'customDimensions.visitor', NotifyResolved: notify });
    await w.deliver(
      [grouped('errors', true), grouped('other', true)],
      ['a', 'b', 'c'].map((visitor) => request({ customDimensions: { visitor } })),
      delivery(1),
    );
    w.clock = T0 + 10 * MIN;
    await resolveEpisodes({ ...w.deps(), rules: async () => [grouped('errors', false)] });

    // Act
    const errors = await episodes(book, 'shop-prod/errors');
    const other = await episodes(book, 'shop-prod/other');

    // Assert: 'errors' stopped sending notices (its alerts were closed); 'other' keeps three
    expect(errors).toEqual([]);
    expect(other.map((e) => e.groupKey).sort()).toEqual([
      '[["customDimensions.visitor","a"]]',
      '[["customDimensions.visitor","b"]]',
      '[["customDimensions.visitor","c"]]',
    ]);
    expect((await rowKeys(table)).filter((k) => k.startsWith('episode')).length).toBe(3);
  });

  it('removes an index entry whose state holds no alert, and decides on a group whose entry was deleted by hand', async () => {
    // Arrange: an alert; its entry deleted by hand; a stale entry for a group without one
    const table = testTableClient('stale');
    const book = new TableAlertBook(table, async () => {});
    const w = world(book);
    await w.deliver([RULE], [request()], delivery(1));
    await table.deleteEntity(tableKey(RULE_KEY), episodeRowKey(''));
    await book.changeState(RULE_KEY, 'g', () => ({ state: { minutes: {}, suppressed: { rows: 0, weighted: 0 } } }), T0);
    await table.createEntity({
      partitionKey: tableKey(RULE_KEY),
      rowKey: episodeRowKey('g'),
      V: 1,
      Kind: 'episode',
      Rule: RULE_KEY,
      Group: 'g',
      Since: { value: String(T0 - 60 * MIN), type: 'Int64' },
      LastBreachAt: { value: String(T0 - 60 * MIN), type: 'Int64' },
      UpdatedAt: new Date(T0 - 60 * MIN),
    });

    // Act: the timer; then the rule stops sending notices and a delivery closes the hand-cleaned alert
    const summary = await resolve(w);
    const decided = await w.deliver([ruleOf({ WindowMinutes: 10, NotifyResolved: false })], [request()], delivery(2));

    // Assert
    expect(summary).toMatchObject({ open: 1, resolved: 0 });
    expect(await episodes(book)).toEqual([]);
    expect(decided).toEqual([{ kind: 'sent' }]);
    expect((await book.get(RULE_KEY, resolvedKeyOf('', T0))) ?? 'none').toBe('none');
  });

  it('expires index entries with their idle states', async () => {
    // Arrange
    const table = testTableClient('expire');
    const book = new TableAlertBook(table, async () => {});
    const w = world(book);
    await w.deliver([RULE], [request()], delivery(1));

    // Act
    const expired = await book.expire(T0 + 1, T0 + 1);

    // Assert: the record and the state counted; the entry gone with them
    expect(expired).toEqual({ records: 1, states: 1 });
    expect(await rowKeys(table)).toEqual([]);
  });
});
