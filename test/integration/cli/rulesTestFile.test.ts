import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { BlobServiceClient } from '@azure/storage-blob';

import { runCli } from '../../../cli/main';
import { createTestContainer, testConnectionString, uniqueName } from '../../harness/storage';

const FIXTURES = join(__dirname, '../../fixtures/rulesFile');
const RULES = join(FIXTURES, 'rules.json');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const ruleLines = (lines: readonly string[]) => lines.filter((l) => l.startsWith('rule '));

describe('export-alerts rules test --file --container', () => {
  it('back-tests the rules file against the blobs of a Continuous Export container, per rule and scope', async () => {
    // Arrange: the fixture folders, uploaded under their export paths
    const container = await createTestContainer('rulesfile');
    const root = join(FIXTURES, 'export');
    for (const file of await filesUnder(root)) {
      const text = await readFile(file);
      await container.getBlockBlobClient(relative(root, file).split(sep).join('/')).upload(text, text.length);
    }

    // Act
    const result = await run(
      'rules',
      'test',
      '--file',
      RULES,
      '--container',
      container.containerName,
      '--connection',
      testConnectionString(),
    );
    const json = await run(
      'rules',
      'test',
      '--file',
      RULES,
      '--container',
      container.containerName,
      '--connection',
      testConnectionString(),
      '--json',
    );

    // Assert
    expect(result.code).toBe(0);
    expect(ruleLines(result.out)).toEqual([
      'rule shop/r5xx (requests): 2 matches of 4 records in its scope',
      'rule */2 (requests): 3 matches of 6 records in its scope',
      'rule shop/cart (exceptions): 2 matches of 3 records in its scope',
      'rule other/r5xx (requests): 1 match of 2 records in its scope',
      'rule shop/off (requests): disabled, not run (the functions skip it)',
    ]);
    expect(result.out[result.out.length - 1]).toBe(
      '3 blobs of requests, exceptions, 9 records, 8 rule matches, 0 malformed rows',
    );
    expect(json.code).toBe(0);
    expect(json.out.map((l) => (JSON.parse(l) as { rule: string }).rule).sort()).toEqual([
      '*/2',
      '*/2',
      '*/2',
      'other/r5xx',
      'shop/cart',
      'shop/cart',
      'shop/r5xx',
      'shop/r5xx',
    ]);
    expect(ruleLines(json.err)).toEqual(ruleLines(result.out));
  });

  it('scopes rules by resource on a diagnostic-settings container', async () => {
    // Arrange. NOTE: the real container name, which other tests' sweeps walk: a year after today and a
    // resource group no other test uses keep the blob apart, and it is deleted at the end.
    const local = (await filesUnder(join(FIXTURES, 'successor')))[0] as string;
    const group = uniqueName('RG').toUpperCase();
    const blobName = relative(join(FIXTURES, 'successor', 'insights-logs-apprequests'), local)
      .split(sep)
      .join('/')
      .replace('/RESOURCEGROUPS/SHOP-RG/', `/RESOURCEGROUPS/${group}/`)
      .replace('/y=2024/', '/y=2030/');
    const container =
      BlobServiceClient.fromConnectionString(testConnectionString()).getContainerClient('insights-logs-apprequests');
    await container.createIfNotExists();
    const text = await readFile(local);
    await container.getBlockBlobClient(blobName).upload(text, text.length);
    const prefix = blobName.slice(0, blobName.indexOf('/PROVIDERS/') + 1);

    try {
      // Act
      const result = await run(
        'rules',
        'test',
        '--file',
        RULES,
        '--container',
        'insights-logs-apprequests',
        '--prefix',
        prefix,
        '--connection',
        testConnectionString(),
      );

      // Assert
      expect(result.code).toBe(0);
      expect(ruleLines(result.out)).toEqual([
        'rule shop/r5xx (requests): 2 matches of 3 records in its scope',
        'rule */2 (requests): 2 matches of 3 records in its scope',
        'rule shop/cart (exceptions): 0 matches of 0 records in its scope',
        'rule other/r5xx (requests): 0 matches of 0 records in its scope',
        'rule shop/off (requests): disabled, not run (the functions skip it)',
      ]);
    } finally {
      await container.deleteBlob(blobName);
    }
  });
});
