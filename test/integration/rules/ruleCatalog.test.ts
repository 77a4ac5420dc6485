import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { type ExportBlobRef, parseExportPath } from '../../../shared/core/export/parseExportPath';
import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import { RuleCatalog } from '../../../shared/core/rules/ruleCatalog';
import { testTableClient } from '../../harness/storage';

const IKEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

function blob(name: string): ExportBlobRef {
  const parsed = parseExportPath(name);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.value;
}

function rule(scope: string, id: string, query: string, extra: Partial<RuleEntity> = {}): RuleEntity {
  return { partitionKey: scope, rowKey: id, Query: query, Recipients: 'ops@example.com', ...extra };
}

function setup() {
  const store = new TableRuleStore(testTableClient('rules'));
  let now = 1_000_000;
  const warnings: string[] = [];
  const catalog = new RuleCatalog(store, {
    ttlMs: 60_000,
    now: () => now,
    logger: { info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
  });
  return { store, catalog, warnings, advance: (ms: number) => (now += ms) };
}

describe('TableRuleStore', () => {
  it('treats a table that does not exist yet as no rules', async () => {
    const { store, catalog } = setup();
    expect(await store.list()).toEqual([]);
    expect(await catalog.rulesFor(blob(`shop_${IKEY}/Requests/2024-03-05/13/a.blob`))).toEqual([]);
  });

  it('adds, reads, lists and removes rules, keeping integers as Int32', async () => {
    // Arrange
    const { store } = setup();
    await store.put(rule('shop', 'r1', 'requests | where success == false', { Severity: 1, Threshold: 3 }));
    await store.put(rule('*', 'r2', 'exceptions | where type has "Timeout"'));

    // Act
    const got = await store.get('shop', 'r1');
    const listed = await store.list();
    const removed = await store.remove('shop', 'r1');
    const removedAgain = await store.remove('shop', 'r1');

    // Assert
    expect(got).toMatchObject({
      partitionKey: 'shop',
      rowKey: 'r1',
      Severity: 1,
      Threshold: 3,
      Recipients: 'ops@example.com',
    });
    expect(listed.map((r) => `${r.partitionKey}/${r.rowKey}`).sort()).toEqual(['*/r2', 'shop/r1']);
    expect([removed, removedAgain]).toEqual([true, false]);
    expect(await store.get('shop', 'r1')).toBeUndefined();
  });
});

describe('RuleCatalog', () => {
  it('serves the rules of the blob’s folder, app and * scopes for its table only', async () => {
    // Arrange
    const { store, catalog } = setup();
    await store.put(rule(`shop_${IKEY}`, 'by-folder', 'requests | where success == false'));
    await store.put(rule('shop', 'by-app', 'requests | where duration > 1s'));
    await store.put(rule('*', 'everywhere', 'requests | where resultCode == "500"'));
    await store.put(rule('other-app', 'elsewhere', 'requests | where success == false'));
    await store.put(rule('shop', 'exceptions-only', 'exceptions | where type has "Timeout"'));
    await store.put(rule('shop', 'disabled', 'requests | where success == false', { Enabled: false }));

    // Act
    const rules = await catalog.rulesFor(blob(`shop_${IKEY}/Requests/2024-03-05/13/a.blob`));

    // Assert
    expect(rules.map((r) => r.id).sort()).toEqual(['by-app', 'by-folder', 'everywhere']);
  });

  it('skips an invalid rule, logs it once per load, records LastError and still runs the others', async () => {
    // Arrange
    const { store, catalog, warnings, advance } = setup();
    await store.put(rule('shop', 'good', 'requests | where success == false'));
    await store.put(rule('shop', 'bad', 'requests | where resultcode == "500"'));

    // Act
    const first = await catalog.load();
    await catalog.load();
    advance(60_001);
    const second = await catalog.load();

    // Assert
    expect(first.valid.map((r) => r.id)).toEqual(['good']);
    expect(first.invalid).toEqual([expect.objectContaining({ scope: 'shop', id: 'bad' })]);
    expect(second.invalid).toHaveLength(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^skipped invalid rule shop\/bad: Query line 1, col 18: .*did you mean 'resultCode'/);
    expect((await store.get('shop', 'bad'))?.LastError).toMatch(/^rule shop\/bad: Query line 1, col 18/);
    expect((await store.get('shop', 'good'))?.LastError).toBeUndefined();
  });

  it('clears LastError once the user fixes the rule', async () => {
    const { store, catalog, advance } = setup();
    await store.put(rule('shop', 'r', 'requests | where nope == 1'));
    await catalog.load();
    await store.put({ ...(await store.get('shop', 'r'))!, Query: 'requests | where success == false' });
    advance(60_001);
    const loaded = await catalog.load();
    expect(loaded.valid.map((r) => r.id)).toEqual(['r']);
    expect((await store.get('shop', 'r'))?.LastError).toBe('');
  });

  it('reads the table again only after the TTL, so edits take effect without a restart', async () => {
    // Arrange
    const { store, catalog, advance } = setup();
    const ref = blob(`shop_${IKEY}/Requests/2024-03-05/13/a.blob`);
    await store.put(rule('shop', 'r1', 'requests | where success == false'));
    expect((await catalog.rulesFor(ref)).map((r) => r.id)).toEqual(['r1']);

    // Act
    await store.put(rule('shop', 'r2', 'requests | where success == true'));
    const beforeTtl = await catalog.rulesFor(ref);
    advance(60_001);
    const afterTtl = await catalog.rulesFor(ref);

    // Assert
    expect(beforeTtl.map((r) => r.id)).toEqual(['r1']);
    expect(afterTtl.map((r) => r.id).sort()).toEqual(['r1', 'r2']);
  });

  it('shares one table read between concurrent callers', async () => {
    const { store, catalog } = setup();
    await store.put(rule('shop', 'r1', 'requests | where success == false'));
    const list = jest.spyOn(store, 'list');
    await Promise.all(Array.from({ length: 10 }, () => catalog.load()));
    expect(list).toHaveBeenCalledTimes(1);
  });
});
