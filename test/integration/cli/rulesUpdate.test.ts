import type { TableClient } from '@azure/data-tables';

import { startTableProxy } from '../../harness/tableProxy';
import { rulesTable, storedRules } from './rulesCliHelpers';

const Q5XX = 'requests | where toint(resultCode) >= 500';

/** A rule as a script wrote it: an Int64 threshold, a property no CLI option names. */
async function seed(client: TableClient): Promise<void> {
  await client.createTable();
  await client.createEntity({
    partitionKey: 'shop',
    rowKey: 'checkout-5xx',
    Query: Q5XX,
    Recipients: 'ops@example.com',
    Threshold: { value: '5', type: 'Int64' },
    GroupBy: 'cloud_RoleName',
    Subject: '{rule}: {count}',
    Owner: 'team-a',
    LastError: '',
  });
}

describe('export-alerts rules update', () => {
  it('changes only the properties it names and prints each old → new value', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);

    // Act
    const result = await run(
      'rules',
      'update',
      'checkout-5xx',
      '--severity',
      '1',
      '--window',
      '2h',
      '--group-by',
      '',
      '--unset',
      'subject',
      '--disable',
    );

    // Assert
    expect(result).toEqual({
      code: 0,
      out: [
        '~ change shop/checkout-5xx',
        '    Severity: (unset) → 1',
        '    WindowMinutes: (unset) → 120',
        '    GroupBy: "cloud_RoleName" → (unset)',
        '    Subject: "{rule}: {count}" → (unset)',
        '    Enabled: (unset) → false',
        'updated rule shop/checkout-5xx (5 properties changed)',
      ],
      err: [],
    });
    const entity = await client.getEntity('shop', 'checkout-5xx', { disableTypeConversion: true });
    expect(entity).toMatchObject({
      Query: { value: Q5XX, type: 'String' },
      Threshold: { value: '5', type: 'Int64' },
      Severity: { value: '1', type: 'Int32' },
      WindowMinutes: { value: '120', type: 'Int32' },
      Enabled: { value: 'false', type: 'Boolean' },
      Owner: { value: 'team-a', type: 'String' },
    });
    expect(Object.keys(await storedRules(client).then((r) => r['shop/checkout-5xx'] ?? {})).sort()).toEqual([
      'Enabled',
      'LastError',
      'Owner',
      'Query',
      'Recipients',
      'Severity',
      'Threshold',
      'WindowMinutes',
    ]);
  });

  it('writes nothing when a value is the one stored, in whatever type', async () => {
    const { client, run } = rulesTable();
    await seed(client);
    expect(await run('rules', 'update', 'checkout-5xx', '--threshold', '5')).toEqual({
      code: 0,
      out: ['rule shop/checkout-5xx already has these values: nothing was written'],
      err: [],
    });
  });

  it('writes nothing when the result is invalid, and says why', async () => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);
    const before = await storedRules(client);

    // Act
    const result = await run(
      'rules',
      'update',
      'checkout-5xx',
      '--scope',
      'shop',
      '--max-events',
      '0',
      '--to',
      'nobody',
    );

    // Assert
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [
        "rule shop/checkout-5xx: invalid recipient address: 'nobody'; MaxEvents must be a whole number 1–500, found 0",
        'nothing was written',
      ],
    });
    expect(await storedRules(client)).toEqual(before);
  });

  it('reports a change someone made between its read and its write, and leaves it', async () => {
    // Arrange
    const { client, runWith } = rulesTable();
    await seed(client);
    const proxy = await startTableProxy(async () => {
      const { etag } = await client.getEntity('shop', 'checkout-5xx');
      await client.updateEntity({ partitionKey: 'shop', rowKey: 'checkout-5xx', Threshold: 9 }, 'Merge', { etag });
    });

    // Act
    const result = await runWith(proxy.connectionString, 'rules', 'update', 'checkout-5xx', '--severity', '0').finally(
      () => proxy.close(),
    );

    // Assert
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [
        'rule shop/checkout-5xx was changed or removed in the table after it was read: nothing was written; run the update again',
      ],
    });
    expect((await storedRules(client))['shop/checkout-5xx']).toMatchObject({ Threshold: 9 });
    expect((await storedRules(client))['shop/checkout-5xx']?.['Severity']).toBeUndefined();
  });

  it.each([
    [
      ['checkout-5xx'],
      'nothing to update: name a property to change, e.g. --threshold 5, --disable or --unset GroupBy',
    ],
    [['checkout-5xx', '--enable', '--disable'], "option '--disable' cannot be used with option '--enable'"],
    [
      ['checkout-5xx', '--unset', 'Query'],
      "option '--unset <property>' argument 'Query' is invalid. expected one of Severity, Threshold, WindowMinutes, GroupBy, ThrottleMinutes, MaxEvents, Columns, Subject, Enabled, NotifyResolved, MuteUntil, MuteSchedule, MuteMinutes, TimeZone, Notify, ResourceId.",
    ],
    [
      ['checkout-5xx', '--threshold', '3', '--unset', 'Threshold'],
      '--unset Threshold and a new value for it: give one or the other',
    ],
    [['checkout-5xx', '--window', 'soon'], "--window takes a duration such as 10m, 2h or 1d, found 'soon'"],
    [['nope', '--threshold', '3'], "no rule 'nope'"],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    // Arrange
    const { client, run } = rulesTable();
    await seed(client);

    // Act
    const result = await run('rules', 'update', ...argv);

    // Assert
    expect(result).toEqual({
      code: 2,
      out: [],
      err: [`export-alerts rules update: ${message}`, "(run 'export-alerts rules update --help' for usage)"],
    });
  });
});
