import type { TableClient } from '@azure/data-tables';

import { startTableProxy } from '../../harness/tableProxy';
import { ruleFile, rulesTable, storedRules } from './rulesCliHelpers';

const Q5XX = 'requests | where toint(resultCode) >= 500';
const QSLOW = 'requests | where duration > 5s';

/** What a script or Storage Explorer may have written: Int64 and Int32 numbers, a flag as text. */
async function seed(client: TableClient): Promise<void> {
  await client.createTable();
  const base = { Recipients: 'ops@example.com', LastError: '' };
  await client.createEntity({ partitionKey: 'shop', rowKey: 'checkout-5xx', ...base, Query: Q5XX, Threshold: 1 });
  await client.createEntity({
    partitionKey: 'shop',
    rowKey: 'same',
    ...base,
    Query: Q5XX,
    Threshold: { value: '5', type: 'Int64' },
    Enabled: 'true',
  });
  await client.createEntity({ partitionKey: 'shop', rowKey: 'old', ...base, Query: Q5XX });
  await client.createEntity({ partitionKey: 'other', rowKey: 'keep', ...base, Query: Q5XX });
}

const RULES_YAML = [
  '# the rules of the shop',
  '- PartitionKey: shop',
  '  RowKey: checkout-5xx',
  `  Query: ${Q5XX}`,
  '  Recipients: ops@example.com',
  '  Threshold: 5',
  '  WindowMinutes: 10',
  '- PartitionKey: shop',
  '  RowKey: same',
  `  Query: ${Q5XX}`,
  '  Recipients: ops@example.com',
  '  Threshold: 5',
  '  Enabled: true',
  '- PartitionKey: shop',
  '  RowKey: slow',
  `  Query: ${QSLOW}`,
  '  Recipients: ops@example.com',
  '  Severity: 3',
];

const PLAN = [
  '~ change shop/checkout-5xx',
  '    Threshold: 1 → 5',
  '    WindowMinutes: (unset) → 10',
  '+ add shop/slow',
  `    Query: "${QSLOW}"`,
  '    Recipients: "ops@example.com"',
  '    Severity: 3',
  'plan: 1 to add, 1 to change, 0 to remove; 1 rule unchanged',
];

describe('export-alerts rules apply', () => {
  it('prints the plan, writes it, and then has nothing to do', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const file = await ruleFile('rules.yaml', RULES_YAML);

    // Act
    const first = await run('rules', 'apply', '-f', file);
    const second = await run('rules', 'apply', '-f', file);

    // Assert
    expect(first).toEqual({
      code: 0,
      out: [
        ...PLAN,
        'kept, not in the file (--prune removes such rules): shop/old',
        'applied: 1 added, 1 changed, 0 removed',
      ],
      err: [],
    });
    expect(second).toEqual({
      code: 0,
      out: [
        'no changes: 3 rules of the file already in the table as written',
        'kept, not in the file (--prune removes such rules): shop/old',
      ],
      err: [],
    });
    const rules = await storedRules(client);
    expect(rules['shop/checkout-5xx']).toEqual({
      Query: Q5XX,
      Recipients: 'ops@example.com',
      Threshold: 5,
      WindowMinutes: 10,
      LastError: '',
    });
    expect(rules['shop/slow']).toEqual({ Query: QSLOW, Recipients: 'ops@example.com', Severity: 3, LastError: '' });
  });

  it('with --dry-run prints the plan and writes nothing', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const before = await storedRules(client);
    const file = await ruleFile('rules.yaml', RULES_YAML);

    // Act
    const result = await run('rules', 'apply', '-f', file, '--dry-run', '--prune');

    // Assert
    expect(result).toEqual({
      code: 0,
      out: [
        ...PLAN.slice(0, -1),
        '- remove shop/old',
        'plan: 1 to add, 1 to change, 1 to remove; 1 rule unchanged',
        'dry run: nothing was written',
      ],
      err: [],
    });
    expect(await storedRules(client)).toEqual(before);
  });

  it('writes nothing when one rule is invalid, and reports every problem with its line', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const before = await storedRules(client);
    const file = await ruleFile('rules.yaml', [
      ...RULES_YAML,
      '- PartitionKey: shop',
      '  RowKey: typo',
      `  Query: ${Q5XX}`,
      '  Recipients: nobody',
      '  Treshold: 5',
      '- RowKey: no-scope',
      `  Query: ${Q5XX}`,
      '  Recipients: ops@example.com',
    ]);

    // Act
    const result = await run('rules', 'apply', '-f', file, '--prune');

    // Assert
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [
        `${file}:19: rule #4 (shop/typo): unknown property 'Treshold' (did you mean 'Threshold'?); invalid recipient address: 'nobody'`,
        `${file}:24: rule #5 (*/no-scope): PartitionKey (the scope: '<app>_<ikey>', the app name or '*') is required to apply a file`,
        `2 problems in ${file}: nothing was written`,
      ],
    });
    expect(await storedRules(client)).toEqual(before);
  });

  it('with --json reports the problems of an invalid file as JSON, and writes nothing', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const file = await ruleFile('rules.json', [
      '[',
      '  { "PartitionKey": "shop", "RowKey": "x", "Query": "requests" "Recipients": 1 }',
      ']',
    ]);

    // Act
    const result = await run('rules', 'apply', '-f', file, '--json');

    // Assert
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out.join('\n'))).toEqual({
      file,
      problems: [{ line: 2, column: 64, message: "invalid JSON: Expected ',' or '}' after property value" }],
      written: false,
    });
    expect(Object.keys(await storedRules(client))).toEqual([
      'other/keep',
      'shop/checkout-5xx',
      'shop/old',
      'shop/same',
    ]);
  });

  it('removes nothing with an empty file, prune or not: it names no scope', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const file = await ruleFile('rules.yaml', ['[]']);

    // Act
    const result = await run('rules', 'apply', '-f', file, '--prune');

    // Assert
    expect(result).toEqual({ code: 0, out: ['no changes: the file lists no rules'], err: [] });
    expect(Object.keys(await storedRules(client))).toHaveLength(4);
  });

  it("prunes only the file's scopes, and reads a JSON file and prints the plan as JSON", async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const file = await ruleFile('rules.json', [
      JSON.stringify([
        {
          PartitionKey: 'shop',
          RowKey: 'same',
          Query: Q5XX,
          Recipients: 'ops@example.com',
          Threshold: '5',
          Enabled: 'TRUE',
        },
      ]),
    ]);

    // Act
    const result = await run('rules', 'apply', '--file', file, '--prune', '--json');

    // Assert
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toEqual({
      file,
      dryRun: false,
      steps: [
        {
          action: 'remove',
          rule: 'shop/checkout-5xx',
          scope: 'shop',
          id: 'checkout-5xx',
          changes: [],
          outcome: 'applied',
        },
        { action: 'remove', rule: 'shop/old', scope: 'shop', id: 'old', changes: [], outcome: 'applied' },
      ],
      unchanged: 1,
      kept: [],
      conflicts: 0,
    });
    expect(Object.keys(await storedRules(client))).toEqual(['other/keep', 'shop/same']);
  });

  it('reports a rule someone changed between the plan and the write and leaves their edit', async () => {
    // Arrange: the proxy lets "someone else" raise checkout-5xx's threshold to 9 right before the first write.
    const { client, runWith } = rulesTable();
    await seed(client);
    const file = await ruleFile('rules.yaml', RULES_YAML);
    const proxy = await startTableProxy(async () => {
      const { etag } = await client.getEntity('shop', 'checkout-5xx');
      await client.updateEntity({ partitionKey: 'shop', rowKey: 'checkout-5xx', Threshold: 9 }, 'Merge', { etag });
    });

    // Act
    const result = await runWith(proxy.connectionString, 'rules', 'apply', '-f', file).finally(() => proxy.close());

    // Assert
    expect(result).toEqual({
      code: 1,
      out: [
        ...PLAN,
        'kept, not in the file (--prune removes such rules): shop/old',
        'applied: 1 added, 0 changed, 0 removed',
      ],
      err: [
        '! shop/checkout-5xx: not written: it was changed or removed in the table after the plan read it',
        '1 rule not written, changed meanwhile: run apply again to see the new plan',
      ],
    });
    const rules = await storedRules(client);
    expect(rules['shop/checkout-5xx']?.['Threshold']).toBe(9);
    expect(rules['shop/slow']).toBeDefined();
  });

  it.each([
    [['rules', 'apply'], "export-alerts rules apply: required option '-f, --file <file>' not specified"],
    [
      ['rules', 'apply', '-f', '/nonexistent/rules.yaml'],
      'export-alerts rules apply: --file /nonexistent/rules.yaml: cannot read it (ENOENT)',
    ],
    [
      ['rules', 'apply', '-f', 'x.yaml', '--format', 'toml'],
      "export-alerts rules apply: option '--format <format>' argument 'toml' is invalid. Allowed choices are yaml, json.",
    ],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    const { run } = rulesTable();
    expect(await run(...argv)).toEqual({
      code: 2,
      out: [],
      err: [message, "(run 'export-alerts rules apply --help' for usage)"],
    });
  });
});
