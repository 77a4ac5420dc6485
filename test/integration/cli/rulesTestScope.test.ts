import { join } from 'node:path';

import { runCli } from '../../../cli/main';
import { testConnectionString, uniqueName } from '../../harness/storage';

// Issue 14 §3: `rules test --id` runs the stored rule where the deployed rule runs: on its scope.
const EXPORT = join(__dirname, '../../fixtures/rulesFile/export');

function cli(table: string) {
  const env = { AzureWebJobsStorage: testConnectionString(), ALERT_RULES_TABLE: table };
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env });
    return { code, out, err };
  };
}

/** Blob lines and the summary, with the paths below the fixture folder. */
const summary = (lines: readonly string[]) =>
  lines.filter((l) => !l.includes('\t')).map((l) => l.replace(/^.*\/export\//, 'export/'));

describe('export-alerts rules test --id', () => {
  const run = cli(uniqueName('scopetest').replace(/[^a-z0-9]/g, ''));

  beforeAll(async () => {
    const add = await run(
      'rules',
      'add',
      '--scope',
      'shop',
      '--id',
      'r5xx',
      '--query',
      'requests | where toint(resultCode) >= 500',
      '--to',
      'ops@example.com',
    );
    expect(add.code).toBe(0);
  });

  it("runs the rule on its scope's blobs only and says how many of other scopes it skipped", async () => {
    // Act
    const { code, out, err } = await run('rules', 'test', '--id', 'r5xx', EXPORT);

    // Assert
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(summary(out)).toEqual([
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 2 matches of 4 records',
      '1 blob of requests, 4 records, 2 matches, 0 malformed rows, 1 blob of other tables skipped, ' +
        '1 blob of other scopes skipped (--any-scope tests them too)',
    ]);
  });

  it('runs the rule on the blobs of every scope with --any-scope', async () => {
    // Act
    const { code, out } = await run('rules', 'test', '--id', 'r5xx', '--any-scope', EXPORT);

    // Assert
    expect(code).toBe(0);
    expect(summary(out)).toEqual([
      'export/other_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 1 match of 2 records',
      'export/shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 2 matches of 4 records',
      '2 blobs of requests, 6 records, 3 matches, 0 malformed rows, 1 blob of other tables skipped',
    ]);
  });
});
