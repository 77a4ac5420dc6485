import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ruleFile, rulesTable, storedRules } from './rulesCliHelpers';

const Q5XX = 'requests | where toint(resultCode) >= 500';

describe('export-alerts rules export', () => {
  it('writes the table as YAML that apply reads back to no changes, whatever types the table stored', async () => {
    // Arrange: rules as `rules add` and as other tools write them (Int64, Double, flags as text, a
    // multi-line query, a property no rules file holds).
    const { client, run } = rulesTable();
    await run('rules', 'add', '--scope', 'shop', '--id', 'checkout-5xx', '--query', Q5XX, '--to', 'ops@example.com');
    await client.createEntity({
      partitionKey: '*',
      rowKey: 'typed',
      Query: 'exceptions\n| where type has "Timeout"\n',
      Recipients: 'ops@example.com; oncall@example.com',
      Severity: { value: '1', type: 'Int64' },
      WindowMinutes: { value: '10', type: 'Double' },
      Enabled: 'FALSE',
      GroupBy: 'cloud_RoleName',
      Subject: '[Sev{severity}] {rule}: {count}',
      Owner: 'team-a',
      LastError: 'stale',
    });
    const before = await storedRules(client);

    // Act
    const exported = await run('rules', 'export');
    const file = await ruleFile('rules.yaml', exported.out);
    const applied = await run('rules', 'apply', '-f', file, '--prune');

    // Assert
    expect({ ...exported, out: exported.out.join('\n').split('\n') }).toEqual({
      code: 0,
      out: [
        '- PartitionKey: "*"',
        '  RowKey: typed',
        '  Query: |',
        '    exceptions',
        '    | where type has "Timeout"',
        '  Recipients: ops@example.com; oncall@example.com',
        '  Severity: 1',
        '  WindowMinutes: 10',
        '  GroupBy: cloud_RoleName',
        '  Subject: "[Sev{severity}] {rule}: {count}"',
        '  Enabled: false',
        '- PartitionKey: shop',
        '  RowKey: checkout-5xx',
        `  Query: ${Q5XX}`,
        '  Recipients: ops@example.com',
        '  Enabled: true',
      ],
      err: [],
    });
    expect(applied).toEqual({
      code: 0,
      out: ['no changes: 2 rules of the file already in the table as written'],
      err: [],
    });
    expect(await storedRules(client)).toEqual(before);
  });

  it('writes JSON to a file, one scope only, and apply reads it back to no changes', async () => {
    // Arrange
    const { run } = rulesTable();
    for (const [scope, id] of [
      ['shop', 'b'],
      ['shop', 'a'],
      ['other', 'c'],
    ] as const)
      await run(
        'rules',
        'add',
        '--scope',
        scope,
        '--id',
        id,
        '--query',
        Q5XX,
        '--to',
        'ops@example.com',
        '--threshold',
        '5',
      );
    const output = join(await ruleFile('unused', []), '..', 'shop.json');

    // Act
    const exported = await run('rules', 'export', '--scope', 'shop', '-o', output);
    const applied = await run('rules', 'apply', '-f', output, '--prune');

    // Assert
    expect(exported).toEqual({ code: 0, out: [`wrote 2 rules to ${output}`], err: [] });
    const entry = (id: string) => ({
      PartitionKey: 'shop',
      RowKey: id,
      Query: Q5XX,
      Recipients: 'ops@example.com',
      Threshold: 5,
      Enabled: true,
    });
    expect(JSON.parse(await readFile(output, 'utf8'))).toEqual([entry('a'), entry('b')]);
    expect(applied).toEqual({
      code: 0,
      out: ['no changes: 2 rules of the file already in the table as written'],
      err: [],
    });
  });

  it('exports an invalid rule too, as near as the file can say it, and exits 1', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await client.createTable();
    await client.createEntity({
      partitionKey: 'shop',
      rowKey: 'odd',
      Query: Q5XX,
      Recipients: 'ops@example.com',
      Threshold: 5.5,
    });

    // Act
    const result = await run('rules', 'export', '--format', 'json');

    // Assert
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out.join('\n'))).toEqual([
      { PartitionKey: 'shop', RowKey: 'odd', Query: Q5XX, Recipients: 'ops@example.com', Threshold: 5.5 },
    ]);
    expect(result.err).toEqual([
      'rule shop/odd: Threshold must be a whole number ≥ 1, found 5.5 (Edm.Double) (exported as stored; fix it before applying the file)',
    ]);
  });

  it('writes an empty list for a table without rules', async () => {
    const { run } = rulesTable();
    expect(await run('rules', 'export')).toEqual({ code: 0, out: ['[]'], err: [] });
  });
});
