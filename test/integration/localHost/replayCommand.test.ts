import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { BlobServiceClient } from '@azure/storage-blob';

import { runCli } from '../../../cli/main';
import { parseDepositDate } from '../../../cli/replayCommand';
import { successorBlobPlace } from '../../../scripts/exportGenerator';
import { createTestContainer, testConnectionString, uniqueName } from '../../harness/storage';

const FIXTURES = join(__dirname, '../../fixtures/export');
const APP_FOLDER = 'shopfront-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const NOW = new Date('2026-11-25T13:47:12Z');

async function replay(container: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { EXPORT_STORAGE: testConnectionString(), EXPORT_CONTAINER: container };
  const code = await runCli(
    ['replay', ...args],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { env, now: () => NOW },
  );
  return { code, out, err };
}

describe('export-alerts replay', () => {
  let plain: string;
  beforeAll(async () => {
    plain = await mkdtemp(join(tmpdir(), 'replay-plain-'));
    await writeFile(join(plain, 'requests.ndjson'), '{"request":[{"name":"GET /"}]}\n');
  });
  afterAll(() => rm(plain, { recursive: true, force: true }));

  it('uploads a folder in the export layout under the same export-relative paths, a line per blob', async () => {
    // Arrange
    const container = await createTestContainer('replay');

    // Act
    const result = await replay(container.containerName, FIXTURES);

    // Assert
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    expect(result.code).toBe(0);
    expect(names).toHaveLength(10);
    expect(names).toContain(`${APP_FOLDER}/Requests/2024-03-05/13/edge_20240305_130102.blob`);
    expect(result.out).toHaveLength(11);
    expect(result.out[0]).toMatch(
      new RegExp(
        `^uploaded ${container.containerName}/${APP_FOLDER}/Availability/2024-03-05/13/edge_20240305_130102\\.blob \\(\\d+ bytes\\)$`,
      ),
    );
    expect(result.out[10]).toBe(`replayed 10 files into container '${container.containerName}'`);
  });

  it('files a plain file under --app and --type, dated this hour, with the demo key', async () => {
    const container = await createTestContainer('replay');
    const result = await replay(
      container.containerName,
      join(plain, 'requests.ndjson'),
      '--app',
      'Shop',
      '--type',
      'Requests',
    );
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(
      `uploaded ${container.containerName}/shop_0f3c8a1e5b7d4c2a9e612d4b8f0a7c33/Requests/2026-11-25/13/requests.ndjson (31 bytes) from ${join(plain, 'requests.ndjson')}`,
    );
  });

  it('rewrites the date and hour folders with --date, and the folder with --app and --ikey', async () => {
    // Arrange
    const container = await createTestContainer('replay');
    const file = join(FIXTURES, APP_FOLDER, 'Requests/2024-03-05/13/edge_20240305_130102.blob');

    // Act
    const aged = await replay(container.containerName, file, '--date', '40d');
    const moved = await replay(
      container.containerName,
      file,
      '--app',
      'other',
      '--ikey',
      '11111111-2222-3333-4444-555555555555',
      '--date',
      '2020-01-01T05',
    );

    // Assert
    expect(aged.out[0]).toMatch(
      new RegExp(
        `^uploaded ${container.containerName}/${APP_FOLDER}/Requests/2026-10-16/13/edge_20240305_130102\\.blob `,
      ),
    );
    expect(moved.out[0]).toMatch(
      new RegExp(
        `^uploaded ${container.containerName}/other_11111111222233334444555555555555/Requests/2020-01-01/05/edge_20240305_130102\\.blob `,
      ),
    );
  });

  it('skips a file outside the layout without --app and --type, says how to place it, and exits 1', async () => {
    const container = await createTestContainer('replay');
    const result = await replay(container.containerName, join(plain, 'requests.ndjson'));
    expect(result).toEqual({
      code: 1,
      out: [`replayed 0 files into container '${container.containerName}', 1 skipped`],
      err: [
        `${join(plain, 'requests.ndjson')}: skipped: not under <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/; pass --app A --type T to place it`,
      ],
    });
  });

  it.each([
    ['now', '2026-11-25T13:00:00.000Z'],
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['2024-03-05T07', '2024-03-05T07:00:00.000Z'],
    ['2024-03-05T07:59Z', '2024-03-05T07:00:00.000Z'],
    ['2024-03-05T07:30+02:00', '2024-03-05T05:00:00.000Z'],
    ['3h', '2026-11-25T10:00:00.000Z'],
    ['40d', '2026-10-16T13:00:00.000Z'],
  ])('reads --date %s as the hour %s', (text, expected) => {
    expect(parseDepositDate(text, NOW).toISOString()).toBe(expected);
  });

  it.each(['2024-02-30', 'yesterday', '2024-03-05T25'])('refuses --date %s with what it takes', (text) => {
    expect(() => parseDepositDate(text, NOW)).toThrow(
      `--date takes now, a UTC date or hour like 2024-03-05T13, or an age like 40d, found '${text}'`,
    );
  });

  describe('--date moves the rows’ event times with the folder (issue 14 §7)', () => {
    const REQUESTS = join(APP_FOLDER, 'Requests/2024-03-05/13/edge_20240305_130102.blob');
    /** The fixture's rows with each eventTime 995 days later, as the folder moves from 2024-03-05T13 to 2026-11-25T13. */
    const movedEventTimes = (text: string) => text.replace(/"eventTime":"2024-03-05T/g, '"eventTime":"2026-11-25T');

    it('moves each Continuous Export row’s eventTime as far as its folder, every other byte unchanged', async () => {
      // Arrange
      const container = await createTestContainer('replay');
      const original = await readFile(join(FIXTURES, REQUESTS), 'utf8');

      // Act
      const result = await replay(container.containerName, join(FIXTURES, REQUESTS), '--date', 'now');

      // Assert
      const blobName = `${APP_FOLDER}/Requests/2026-11-25/13/edge_20240305_130102.blob`;
      const uploaded = await container.getBlockBlobClient(blobName).downloadToBuffer();
      expect(result.code).toBe(0);
      expect(result.out[0]).toBe(
        `uploaded ${container.containerName}/${blobName} (${Buffer.byteLength(original)} bytes, event times +995d) from ${join(FIXTURES, REQUESTS)}`,
      );
      expect(uploaded.toString('utf8')).toBe(movedEventTimes(original));
      expect(uploaded.toString('utf8')).not.toBe(original);
    });

    it('keeps the rows’ times with --keep-times', async () => {
      const container = await createTestContainer('replay');
      const result = await replay(container.containerName, join(FIXTURES, REQUESTS), '--date', 'now', '--keep-times');
      const uploaded = await container
        .getBlockBlobClient(`${APP_FOLDER}/Requests/2026-11-25/13/edge_20240305_130102.blob`)
        .downloadToBuffer();
      expect(result.out[0]).not.toContain('event times');
      expect(uploaded.equals(await readFile(join(FIXTURES, REQUESTS)))).toBe(true);
    });

    it('uploads a row whose time cannot be read unchanged, and counts it', async () => {
      // Arrange: the fixture with a malformed row and a row without a time in the middle
      const folder = await mkdtemp(join(tmpdir(), 'replay-shift-'));
      const file = join(folder, REQUESTS);
      const [first = '', ...rest] = (await readFile(join(FIXTURES, REQUESTS), 'utf8')).split('\n');
      const text = [first, '{"request":[{"name":"GET /"}', '{"request":[],"context":{"data":{}}}', ...rest].join('\n');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      const container = await createTestContainer('replay');

      // Act
      const result = await replay(container.containerName, folder, '--date', 'now');

      // Assert
      const uploaded = await container
        .getBlockBlobClient(`${APP_FOLDER}/Requests/2026-11-25/13/edge_20240305_130102.blob`)
        .downloadToBuffer();
      expect(result.out[0]).toMatch(/, event times \+995d; 2 rows without a readable time left as they were\)/);
      expect(uploaded.toString('utf8')).toBe(movedEventTimes(text));
      await rm(folder, { recursive: true, force: true });
    });

    it('moves a diagnostic-settings row’s time as far as its hour folder, in the append blob', async () => {
      // Arrange: the fixture as an archive holds it, under its 12:00 folder of 2024-03-05
      const folder = await mkdtemp(join(tmpdir(), 'replay-shift-'));
      const component = uniqueName('shift');
      const resource = {
        subscriptionId: '6b1c3f2e-0000-4000-8000-00000000aa01',
        resourceGroup: 'shop-rg',
        component,
        workspace: 'logs',
        workspaceId: '00000000-0000-4000-8000-000000000001',
        instrumentationKey: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        resourceGuid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      };
      const from = successorBlobPlace('diagnosticSettings', 'AppRequests', new Date('2024-03-05T12:00:00Z'), resource);
      const to = successorBlobPlace('diagnosticSettings', 'AppRequests', NOW, resource);
      const original = await readFile(join(__dirname, '../../fixtures/successor/diagnostic/AppRequests.json'), 'utf8');
      await mkdir(dirname(join(folder, from.container, from.blobName)), { recursive: true });
      await writeFile(join(folder, from.container, from.blobName), original);

      // Act
      const result = await replay('unused', folder, '--date', 'now', '--appends', '3');

      // Assert
      const appended = await BlobServiceClient.fromConnectionString(testConnectionString())
        .getContainerClient(to.container)
        .getAppendBlobClient(to.blobName)
        .downloadToBuffer();
      expect(result.out[0]).toContain('in 3 appends, event times +995d 1h)');
      expect(appended.toString('utf8')).toBe(
        original
          .replace('"time":"2024-03-05T12:59:58.1230000Z"', '"time":"2026-11-25T13:59:58.1230000Z"')
          .replace('"time":"2024-03-05T13:00:01.5Z"', '"time":"2026-11-25T14:00:01.5Z"'),
      );
      await rm(folder, { recursive: true, force: true });
    });
  });
});
