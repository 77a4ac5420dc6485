import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { BlobServiceClient } from '@azure/storage-blob';

import { runCli } from '../../../cli/main';
import {
  DEMO_RESOURCE,
  generateSuccessorBlobText,
  successorBlobPlace,
  successorFolderWindow,
} from '../../../scripts/exportGenerator';
import { testConnectionString, uniqueName } from '../../harness/storage';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('export-alerts rules test --container insights-logs-apprequests', () => {
  // NOTE: the real container name, which other tests' sweeps walk: a date after today and a component
  // no other test uses keep the blobs apart, and afterAll deletes them.
  const resource = { ...DEMO_RESOURCE, component: uniqueName('backtest') };
  const window = successorFolderWindow('diagnosticSettings', new Date('2030-06-01T08:00:00Z'));
  const place = successorBlobPlace('diagnosticSettings', 'AppRequests', window.start, resource);
  const prefix = place.blobName.split('/').slice(0, 9).join('/') + '/';
  const container = () =>
    BlobServiceClient.fromConnectionString(testConnectionString()).getContainerClient(place.container);
  let root: string;
  let matches = 0;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'backtest-'));
    const inject = {
      rate: 0.25,
      apply: ({ row }: { row: Record<string, unknown> }) =>
        void (row.Properties = { ...(row.Properties as object), tenant: 'acme' }),
    };
    const text = generateSuccessorBlobText('AppRequests', 80, 'backtest', {
      format: 'diagnosticSettings',
      resource,
      window,
      inject,
    });
    matches = text.split('\n').filter((l) => l.includes('"tenant":"acme"')).length;
    const file = join(root, place.container, ...place.blobName.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    expect((await run('replay', file, '--appends', '6', '--connection', testConnectionString())).code).toBe(0);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await container().deleteBlob(place.blobName);
  });

  it.each([
    ['workspace', 'AppRequests | where Properties.tenant == "acme"'],
    ['classic', 'requests | where customDimensions.tenant == "acme"'],
  ])('reads the append blob from storage and matches a %s-schema rule on it', async (_schema, query) => {
    // Act
    const result = await run(
      'rules',
      'test',
      '--query',
      query,
      '--container',
      place.container,
      '--prefix',
      prefix,
      '--connection',
      testConnectionString(),
    );

    // Assert
    expect(matches).toBeGreaterThan(0);
    expect(result.code).toBe(0);
    // Rows the rule could not match are skipped unread, so the count is of rows seen.
    expect(
      result.out.some((l) => l.startsWith(`${place.container}/${place.blobName}: ${matches} matches of 80 rows (`)),
    ).toBe(true);
    expect(result.out[result.out.length - 1]).toMatch(
      new RegExp(
        `^1 blob of requests, 80 rows \\(\\d+ parsed, the others no rule could match; --validate reads every row\\), ${matches} matches, 0 malformed rows$`,
      ),
    );
  });

  it('renders the e-mail a rule would send for the blob', async () => {
    const result = await run(
      'rules',
      'test',
      '--query',
      'AppRequests | where Properties.tenant == "acme"',
      '--container',
      place.container,
      '--prefix',
      prefix,
      '--connection',
      testConnectionString(),
      '--render',
    );
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(new RegExp(`^== ${place.container}/.*PT1H\\.json \\[.*\\]: fired: `));
    expect(result.out).toContainEqual(expect.stringMatching(/^Subject: /));
  });
});
