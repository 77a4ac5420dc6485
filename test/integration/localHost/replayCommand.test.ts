import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from '../../../cli/main';
import { parseDepositDate } from '../../../cli/replayCommand';
import { createTestContainer, testConnectionString } from '../../harness/storage';

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
});
