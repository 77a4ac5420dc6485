import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import {
  diffRule,
  normalizeRule,
  normalizeRuleValue,
  planRules,
  type RuleProperty,
} from '../../../shared/core/rules/rulePlan';

const QUERY = 'requests | where toint(resultCode) >= 500';

const rule = (scope: string, id: string, extra: Record<string, unknown> = {}): RuleEntity => ({
  partitionKey: scope,
  rowKey: id,
  Query: QUERY,
  Recipients: 'ops@example.com',
  ...extra,
});

describe('normalizeRuleValue', () => {
  it.each<[RuleProperty, unknown, unknown]>([
    ['Severity', 5, 5],
    ['Severity', { value: '5', type: 'Int32' }, 5],
    ['Threshold', { value: '5', type: 'Int64' }, 5],
    ['Threshold', 5n, 5],
    ['WindowMinutes', { value: '10.0', type: 'Double' }, 10],
    ['WindowMinutes', '10', 10],
    ['MaxEvents', ' 7 ', 7],
    ['Enabled', 'TRUE', true],
    ['Enabled', { value: 'false', type: 'Boolean' }, false],
    ['GroupBy', 'cloud_RoleName', 'cloud_RoleName'],
    ['Subject', { value: 'x {rule}', type: 'String' }, 'x {rule}'],
    ['Query', ' requests | where true ', ' requests | where true '],
  ])('reads %s stored as %p as %p', (property, stored, expected) => {
    expect(normalizeRuleValue(property, stored)).toBe(expected);
  });

  it.each<[RuleProperty, unknown]>([
    ['Threshold', undefined],
    ['Threshold', ''],
    ['Threshold', '  '],
    ['GroupBy', ''],
    ['Subject', { value: '', type: 'String' }],
    ['Enabled', null],
  ])('treats %s of %p as unset', (property, stored) => {
    expect(normalizeRuleValue(property, stored)).toBeUndefined();
  });

  it.each<[RuleProperty, unknown, string]>([
    ['Threshold', 5.5, '5.5 (Edm.Double)'],
    ['MaxEvents', { value: '9007199254740993', type: 'Int64' }, '9007199254740993 (Edm.Int64)'],
    ['GroupBy', 3, '3'],
    ['Enabled', 'yes', "'yes'"],
  ])('keeps %s of %p, which no rule can hold, as unreadable', (property, stored, found) => {
    expect(normalizeRuleValue(property, stored)).toEqual({ unreadable: found });
  });
});

describe('diffRule', () => {
  it('finds no change between a rule stored with Int32, Int64 and text and the same rule written plainly', () => {
    // Arrange
    const stored = rule('shop', 'a', {
      Severity: { value: '1', type: 'Int32' },
      Threshold: { value: '5', type: 'Int64' },
      WindowMinutes: '10',
      Enabled: 'true',
      GroupBy: '',
    });
    const written = rule('shop', 'a', { Severity: 1, Threshold: 5, WindowMinutes: 10, Enabled: true });

    // Act
    const changes = diffRule(normalizeRule(stored), normalizeRule(written));

    // Assert
    expect(changes).toEqual([]);
  });

  it('lists each differing property in file order with its old and new value, and properties set or removed', () => {
    // Arrange
    const stored = rule('shop', 'a', { Threshold: 5.5, GroupBy: 'cloud_RoleName', Enabled: false });
    const written = rule('shop', 'a', { Threshold: 5, Subject: 'x', Enabled: false });

    // Act
    const changes = diffRule(normalizeRule(stored), normalizeRule(written));

    // Assert
    expect(changes).toEqual([
      { property: 'Threshold', from: { unreadable: '5.5 (Edm.Double)' }, to: 5 },
      { property: 'GroupBy', from: 'cloud_RoleName' },
      { property: 'Subject', to: 'x' },
    ]);
  });

  it('finds no change between a default written out and the same property left unset, either way', () => {
    // Arrange: what `rules add` stores, and a hand-written file that leaves the defaults out.
    const stored = normalizeRule(rule('shop', 'a', { Enabled: true, Severity: 2, ThrottleMinutes: 15 }));
    const file = normalizeRule(rule('shop', 'a'));

    // Act and assert
    expect(diffRule(stored, file)).toEqual([]);
    expect(diffRule(file, stored)).toEqual([]);
    expect(diffRule(stored, normalizeRule(rule('shop', 'a', { Severity: 3 })))).toEqual([
      { property: 'Severity', from: 2, to: 3 },
    ]);
  });

  it('lists every property a new rule sets', () => {
    expect(diffRule(undefined, normalizeRule(rule('shop', 'a', { Severity: '1' })))).toEqual([
      { property: 'Query', to: QUERY },
      { property: 'Recipients', to: 'ops@example.com' },
      { property: 'Severity', to: 1 },
    ]);
  });
});

describe('planRules', () => {
  const table = [
    { ...rule('shop', 'same', { Threshold: { value: '5', type: 'Int64' } }), etag: 'e-same' },
    { ...rule('shop', 'edited', { Threshold: 1, Owner: 'team-a', LastError: 'old' }), etag: 'e-edited' },
    { ...rule('shop', 'dropped'), etag: 'e-dropped' },
    { ...rule('other', 'untouched'), etag: 'e-other' },
  ];
  const file = [
    rule('shop', 'same', { Threshold: 5 }),
    rule('shop', 'new'),
    rule('shop', 'edited', { Threshold: '3' }),
    rule('*', 'global', { Severity: 0 }),
  ];

  it('adds what only the file has, changes what differs and leaves the rest, writes in key order', () => {
    // Act
    const plan = planRules(file, table, { prune: false });

    // Assert
    expect(plan.steps.map((s) => [s.action, `${s.scope}/${s.id}`, s.etag])).toEqual([
      ['add', '*/global', undefined],
      ['change', 'shop/edited', 'e-edited'],
      ['add', 'shop/new', undefined],
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.kept).toEqual(['shop/dropped']);
  });

  it('writes a changed rule whole and canonical, keeping properties no file holds and clearing LastError', () => {
    // Act
    const step = planRules(file, table, { prune: false }).steps.find((s) => s.id === 'edited');

    // Assert
    expect(step).toEqual({
      action: 'change',
      scope: 'shop',
      id: 'edited',
      changes: [{ property: 'Threshold', from: 1, to: 3 }],
      etag: 'e-edited',
      entity: {
        partitionKey: 'shop',
        rowKey: 'edited',
        Owner: 'team-a',
        Query: QUERY,
        Recipients: 'ops@example.com',
        Threshold: 3,
        LastError: '',
      },
    });
  });

  it("with prune removes only the table's rules of the file's scopes that the file leaves out", () => {
    // Act
    const plan = planRules(file, table, { prune: true });

    // Assert
    expect(plan.steps.filter((s) => s.action === 'remove')).toEqual([
      { action: 'remove', scope: 'shop', id: 'dropped', changes: [], etag: 'e-dropped' },
    ]);
    expect(plan.steps.at(-1)?.id).toBe('dropped');
    expect(plan.kept).toEqual([]);
  });

  it('plans nothing when the table holds the file as it is, whatever types it stored', () => {
    expect(planRules([rule('shop', 'same', { Threshold: '5' })], table.slice(0, 1), { prune: true })).toEqual({
      steps: [],
      unchanged: 1,
      kept: [],
    });
  });

  it('removes nothing for an empty file, prune or not: it names no scope', () => {
    expect(planRules([], table, { prune: true })).toEqual({ steps: [], unchanged: 0, kept: [] });
  });

  it('orders by code unit, not by locale, so every machine writes the same plan', () => {
    // Act
    const plan = planRules([rule('s', 'b'), rule('s', 'B'), rule('s', 'a'), rule('S', 'z')], [], { prune: false });

    // Assert
    expect(plan.steps.map((s) => `${s.scope}/${s.id}`)).toEqual(['S/z', 's/B', 's/a', 's/b']);
  });
});
