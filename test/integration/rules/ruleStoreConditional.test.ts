import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import type { RuleStore } from '../../../shared/core/rules/ruleStore';
import { testTableClient } from '../../harness/storage';
import { MemoryRuleStore } from '../../helpers/memoryRuleStore';

const rule = (threshold: number): RuleEntity => ({
  partitionKey: 'shop',
  rowKey: 'r',
  Query: 'requests | where success == false',
  Recipients: 'ops@example.com',
  Threshold: threshold,
});

const etagOf = async (store: RuleStore) => (await store.get('shop', 'r'))?.etag ?? '';
const thresholdOf = async (store: RuleStore) => (await store.get('shop', 'r'))?.Threshold;

// The in-memory fake stands in for the table in unit tests, so it must refuse what the table refuses.
describe.each<[string, () => RuleStore]>([
  ['TableRuleStore on Azurite', () => new TableRuleStore(testTableClient('ruleetag'))],
  ['MemoryRuleStore', () => new MemoryRuleStore()],
])('%s, conditional writes', (_name, makeStore) => {
  it('adds a rule only when there is none', async () => {
    const store = makeStore();
    expect(await store.putIfUnchanged(rule(1), undefined)).toBe(true);
    expect(await store.putIfUnchanged(rule(2), undefined)).toBe(false);
    expect(await thresholdOf(store)).toBe(1);
  });

  it('replaces a rule only at the version read, and gives it a new one', async () => {
    // Arrange
    const store = makeStore();
    await store.put(rule(1));
    const read = await etagOf(store);

    // Act
    const first = await store.putIfUnchanged(rule(2), read);
    const again = await store.putIfUnchanged(rule(3), read);

    // Assert
    expect([first, again]).toEqual([true, false]);
    expect(await thresholdOf(store)).toBe(2);
    expect(await etagOf(store)).not.toBe(read);
  });

  it("counts the app's own LastError write as a change, and a removed rule as one that cannot be replaced", async () => {
    // Arrange
    const store = makeStore();
    await store.put(rule(1));
    const read = await etagOf(store);

    // Act
    await store.setLastError('shop', 'r', 'Threshold must be …');
    const afterLastError = await store.putIfUnchanged(rule(2), read);
    const current = await etagOf(store);
    await store.remove('shop', 'r');
    const afterRemoval = await store.putIfUnchanged(rule(2), current);

    // Assert
    expect([afterLastError, afterRemoval]).toEqual([false, false]);
    expect(await store.get('shop', 'r')).toBeUndefined();
  });

  it('removes a rule only at the version read', async () => {
    // Arrange
    const store = makeStore();
    await store.put(rule(1));
    const stale = await etagOf(store);
    await store.put(rule(2));

    // Act
    const refused = await store.removeIfUnchanged('shop', 'r', stale);
    const removed = await store.removeIfUnchanged('shop', 'r', await etagOf(store));
    const gone = await store.removeIfUnchanged('shop', 'r', stale);

    // Assert
    expect([refused, removed, gone]).toEqual([false, true, false]);
    expect(await store.list()).toEqual([]);
  });
});
