import { MAX_TABLE_KEY_CHARS, tableKey } from '../../../shared/adapters/storage/tableKeys';
import { ensureTable } from '../../../shared/adapters/storage/tableReady';
import { MAX_LAST_ERROR_CHARS, TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { compileRule } from '../../../shared/core/rules/alertRule';
import { testTableClient } from '../../harness/storage';

const BASE = { Query: 'requests | where success == false', Recipients: 'ops@example.com' };

// Issue 10 row 6: rules written by Storage Explorer and scripts, with the real SDK on Azurite.
describe('TableRuleStore with numbers as other tools store them', () => {
  it('compiles a rule whose numbers are Int64, integral Double and text, and whose flag is text', async () => {
    // Arrange: written with the raw TableClient, the way a script would.
    const table = testTableClient('ruletypes');
    await ensureTable(table);
    await table.createEntity({
      partitionKey: 'shop',
      rowKey: 'typed',
      ...BASE,
      Severity: 1n,
      Threshold: { value: '5', type: 'Int64' },
      WindowMinutes: { value: '10', type: 'Double' },
      ThrottleMinutes: 30,
      MaxEvents: ' 7 ',
      Enabled: 'TRUE',
    });

    // Act
    const [entity] = await new TableRuleStore(table).list();
    const result = compileRule(entity!);

    // Assert
    expect(entity).toMatchObject({
      Severity: { value: '1', type: 'Int64' },
      Threshold: { value: '5', type: 'Int64' },
      ThrottleMinutes: 30,
    });
    expect(result).toMatchObject({
      ok: true,
      value: { severity: 1, threshold: 5, windowMinutes: 10, throttleMinutes: 30, maxEvents: 7, enabled: true },
    });
  });

  it('names the stored type of a number that is not whole, and of a number where text belongs', async () => {
    // Arrange
    const table = testTableClient('ruletypes');
    await ensureTable(table);
    await table.createEntity({
      partitionKey: 'shop',
      rowKey: 'bad',
      ...BASE,
      Threshold: 5.5,
      MaxEvents: 9007199254740993n,
      GroupBy: 3,
    });

    // Act
    const entity = await new TableRuleStore(table).get('shop', 'bad');
    const result = compileRule(entity!);

    // Assert
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((p) => p.message)).toEqual([
      'Threshold must be a whole number ≥ 1, found 5.5 (Edm.Double)',
      'MaxEvents must be a whole number 1–500, found 9007199254740993 (Edm.Int64)',
      'GroupBy must be text (columns separated by , or ;), found 3',
    ]);
  });

  it('writes an Int64 rule back unchanged when only Enabled is edited, and large whole numbers as Int64', async () => {
    // Arrange
    const table = testTableClient('ruletypes');
    const store = new TableRuleStore(table);
    await ensureTable(table);
    await table.createEntity({ partitionKey: 'shop', rowKey: 'r', ...BASE, Threshold: 5n });

    // Act: what `export-alerts rules disable` does.
    await store.put({ ...(await store.get('shop', 'r'))!, Enabled: false });
    await store.put({ partitionKey: 'shop', rowKey: 'big', ...BASE, Threshold: 3_000_000_000 });

    // Assert
    expect(await table.getEntity('shop', 'r')).toMatchObject({ Threshold: 5n, Enabled: false });
    expect(await table.getEntity('shop', 'big')).toMatchObject({ Threshold: 3_000_000_000n });
  });

  it('records a LastError longer than a property may hold, clipped', async () => {
    const table = testTableClient('ruletypes');
    const store = new TableRuleStore(table);
    await store.put({ partitionKey: 'shop', rowKey: 'r', ...BASE });
    await store.setLastError('shop', 'r', 'x'.repeat(40_000));
    const stored = (await store.get('shop', 'r'))?.LastError;
    expect(typeof stored === 'string' ? stored.length : 0).toBe(MAX_LAST_ERROR_CHARS);
  });
});

// Issue 10 row 9: a rule key within Table Storage's limits must never derive a key past them.
describe('tableKey on Azurite', () => {
  it('gives a PartitionKey that the Table service accepts for a 1,000-character non-ASCII rule key', async () => {
    // Arrange: 'é' percent-encodes to 6 characters, so the plain encoding would be 6,000.
    const table = testTableClient('longkeys');
    await ensureTable(table);
    const ruleKey = `shop/${'é'.repeat(995)}`;
    const partitionKey = tableKey(ruleKey);

    // Act
    await table.createEntity({ partitionKey, rowKey: 'state', Rule: ruleKey });
    const read = await table.getEntity<{ Rule: string }>(partitionKey, 'state');

    // Assert
    expect(partitionKey.length).toBeLessThanOrEqual(MAX_TABLE_KEY_CHARS);
    expect(read.Rule).toBe(ruleKey);
  });

  it('keeps two long rule keys that differ only at the end apart', async () => {
    const table = testTableClient('longkeys');
    await ensureTable(table);
    const [a, b] = [`${'日'.repeat(999)}a`, `${'日'.repeat(999)}b`];
    await table.createEntity({ partitionKey: tableKey(a), rowKey: 'state', Rule: a });
    await table.createEntity({ partitionKey: tableKey(b), rowKey: 'state', Rule: b });
    expect((await table.getEntity<{ Rule: string }>(tableKey(b), 'state')).Rule).toBe(b);
  });
});
