import { join } from 'node:path';

import { runCli } from '../../../cli/main';

// Issue 14 §3: a back-test runs a rule where the deployed rule runs, and says what it skipped.
const FIXTURES = join(__dirname, '../../fixtures/rulesFile');
const EXPORT = join(FIXTURES, 'export');
const SUCCESSOR = join(FIXTURES, 'successor');
const FIVE_XX = 'requests | where toint(resultCode) >= 500';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env: {} });
  return { code, out, err };
}

/** Paths below the fixture folders, as they read in a line. */
const short = (lines: readonly string[]) => lines.map((l) => l.replace(/^.*\/(export|successor)\//, '$1/'));
const summary = (lines: readonly string[]) => short(lines.filter((l) => !l.includes('\t')));

describe('rules test and rule scopes', () => {
  it('runs a query with --scope on the blobs of that app only, and counts the blobs of other apps it skipped', async () => {
    // Act
    const { code, out, err } = await run('rules', 'test', '--query', FIVE_XX, '--scope', 'shop', EXPORT);

    // Assert
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(short(out)).toEqual([
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob:2\t2024-03-05T13:02:00.000Z\tresultCode=500',
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob:3\t2024-03-05T13:03:00.000Z\tresultCode=503',
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 2 matches of 4 records',
      '1 blob of requests, 4 records, 2 matches, 0 malformed rows, 1 blob of other tables skipped, ' +
        '1 blob of other scopes skipped (without --scope the query reads them too)',
    ]);
  });

  it('runs a query without --scope on every app, as before', async () => {
    const { code, out } = await run('rules', 'test', '--query', FIVE_XX, EXPORT);
    expect(code).toBe(0);
    expect(summary(out)).toEqual([
      'export/other_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 1 match of 2 records',
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 2 matches of 4 records',
      '2 blobs of requests, 6 records, 3 matches, 0 malformed rows, 1 blob of other tables skipped',
    ]);
  });

  it.each([
    [
      'other',
      '0 matches of 3 records, 3 records of other scopes skipped',
      '0 matches',
      ', 3 records of other scopes skipped (without --scope the query reads them too)',
    ],
    ['shop', '3 matches of 3 records', '3 matches', ''],
  ])(
    'scopes successor records one by one by their resource, counting the records of other scopes (--scope %s)',
    async (scope, blobLine, matches, skipped) => {
      // Act
      const { code, out } = await run('rules', 'test', '--query', 'requests | where true', '--scope', scope, SUCCESSOR);

      // Assert
      expect(code).toBe(0);
      expect(summary(out).map((l) => l.replace(/^successor\/.*PT1H\.json:/, 'PT1H.json:'))).toEqual([
        `PT1H.json: ${blobLine}`,
        `1 blob of requests, 3 records, ${matches}, 0 malformed rows${skipped}`,
      ]);
    },
  );

  it('runs the rules of a file on every scope with --any-scope, saying so per rule', async () => {
    // Act
    const { code, out } = await run('rules', 'test', '--file', join(FIXTURES, 'rules.json'), '--any-scope', EXPORT);

    // Assert
    expect(code).toBe(0);
    expect(summary(out)).toEqual([
      'export/other_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 2 records, 3 rule matches (shop/r5xx 1, */2 1, other/r5xx 1)',
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Exceptions/2024-03-05/13/a.blob: 3 records, 2 rule matches (shop/cart 2)',
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 4 records, 6 rule matches (shop/r5xx 2, */2 2, other/r5xx 2)',
      'rule shop/r5xx (requests): 3 matches of 6 records of any scope',
      'rule */2 (requests): 3 matches of 6 records of any scope',
      'rule shop/cart (exceptions): 2 matches of 3 records of any scope',
      'rule other/r5xx (requests): 3 matches of 6 records of any scope',
      'rule shop/off (requests): disabled, not run (the functions skip it)',
      '3 blobs of requests, exceptions, 9 records, 11 rule matches, 0 malformed rows',
    ]);
  });

  it.each([
    [
      '--any-scope with --query',
      ['--query', FIVE_XX, '--any-scope', EXPORT],
      'export-alerts rules test: --any-scope goes with --id or --file; a --query runs on every scope unless --scope is given',
    ],
    [
      '--scope with --file',
      ['--file', join(FIXTURES, 'rules.json'), '--scope', 'shop', EXPORT],
      'export-alerts rules test: --scope goes with --id or --query; a rules file gives each rule its PartitionKey',
    ],
  ])('refuses %s with exit 2', async (_case, argv, message) => {
    const { code, out, err } = await run('rules', 'test', ...argv);
    expect({ code, out, err }).toEqual({
      code: 2,
      out: [],
      err: [message, "(run 'export-alerts rules test --help' for usage)"],
    });
  });
});
