import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import { applyRulePlan } from '../../../shared/core/rules/applyRulePlan';
import { planRules } from '../../../shared/core/rules/rulePlan';
import { MemoryRuleStore } from '../../helpers/memoryRuleStore';

const rule = (scope: string, id: string, extra: Record<string, unknown> = {}): RuleEntity => ({
  partitionKey: scope,
  rowKey: id,
  Query: 'requests | where success == false',
  Recipients: 'ops@example.com',
  ...extra,
});

async function storeWith(...rules: RuleEntity[]): Promise<MemoryRuleStore> {
  const store = new MemoryRuleStore();
  for (const entity of rules) await store.put(entity);
  return store;
}

const thresholds = async (store: MemoryRuleStore) =>
  Object.fromEntries((await store.list()).map((r) => [`${r.partitionKey}/${r.rowKey}`, r.Threshold]));

describe('applyRulePlan', () => {
  it('adds, changes and removes as planned', async () => {
    // Arrange
    const store = await storeWith(rule('shop', 'a', { Threshold: 1 }), rule('shop', 'gone'));
    const plan = planRules(
      [rule('shop', 'a', { Threshold: 2 }), rule('shop', 'b', { Threshold: 3 })],
      await store.list(),
      {
        prune: true,
      },
    );

    // Act
    const applied = await applyRulePlan(plan, store);

    // Assert
    expect(applied.map((a) => [a.step.action, a.step.id, a.outcome])).toEqual([
      ['change', 'a', 'applied'],
      ['add', 'b', 'applied'],
      ['remove', 'gone', 'applied'],
    ]);
    expect(await thresholds(store)).toEqual({ 'shop/a': 2, 'shop/b': 3 });
  });

  it('reports a rule changed after the plan read it and leaves the edit, while the other steps go ahead', async () => {
    // Arrange
    const store = await storeWith(rule('shop', 'a', { Threshold: 1 }), rule('shop', 'c', { Threshold: 1 }));
    const plan = planRules(
      [rule('shop', 'a', { Threshold: 2 }), rule('shop', 'c', { Threshold: 2 })],
      await store.list(),
      {
        prune: false,
      },
    );
    await store.put(rule('shop', 'a', { Threshold: 9 }));

    // Act
    const applied = await applyRulePlan(plan, store);

    // Assert
    expect(applied.map((a) => [a.step.id, a.outcome])).toEqual([
      ['a', 'conflict'],
      ['c', 'applied'],
    ]);
    expect(await thresholds(store)).toEqual({ 'shop/a': 9, 'shop/c': 2 });
  });

  it('reports a rule someone added, or removed, or whose LastError the app rewrote, after the plan read it', async () => {
    // Arrange
    const store = await storeWith(rule('shop', 'removed'), rule('shop', 'checked'), rule('shop', 'pruned'));
    const plan = planRules(
      [
        rule('shop', 'added', { Threshold: 2 }),
        rule('shop', 'removed', { Threshold: 2 }),
        rule('shop', 'checked', { Threshold: 2 }),
      ],
      await store.list(),
      { prune: true },
    );
    await store.put(rule('shop', 'added', { Threshold: 7 }));
    await store.remove('shop', 'removed');
    await store.setLastError('shop', 'checked', '');
    await store.put(rule('shop', 'pruned', { Threshold: 7 }));

    // Act
    const applied = await applyRulePlan(plan, store);

    // Assert
    expect(applied.map((a) => [a.step.action, a.step.id, a.outcome])).toEqual([
      ['add', 'added', 'conflict'],
      ['change', 'checked', 'conflict'],
      ['change', 'removed', 'conflict'],
      ['remove', 'pruned', 'conflict'],
    ]);
    expect(await thresholds(store)).toEqual({ 'shop/added': 7, 'shop/checked': undefined, 'shop/pruned': 7 });
  });
});
