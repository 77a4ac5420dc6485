import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { BlobServiceClient } from '@azure/storage-blob';

import { runCli } from '../../../cli/main';
import {
  DEMO_RESOURCE,
  generateSuccessorBlobText,
  successorBlobPlace,
  successorFolderWindow,
  type SuccessorFormat,
} from '../../../scripts/exportGenerator';
import type { WorkspaceTableName } from '../../../shared/core/export/workspaceTables';
import { testConnectionString, uniqueName } from '../../harness/storage';

// NOTE: the blobs land in the real successor containers, which other tests' retention sweeps walk;
// dates after today keep them out of every sweep, and afterAll deletes them.
const NOW = new Date('2030-11-25T13:47:12Z');
const HOUR = new Date('2030-11-25T09:00:00Z');

async function replay(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const waits: number[] = [];
  const env = { EXPORT_STORAGE: testConnectionString(), EXPORT_CONTAINER: 'export' };
  const sleep = async (ms: number) => void waits.push(ms);
  const code = await runCli(
    ['replay', ...args],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { env, now: () => NOW, sleep },
  );
  return { code, out, err, waits };
}

const service = () => BlobServiceClient.fromConnectionString(testConnectionString());

describe('export-alerts replay of successor-format files', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'replay-append-'));
  });
  const written: { container: string; marker: string }[] = [];
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    for (const { container, marker } of written) {
      const client = service().getContainerClient(container);
      for await (const blob of client.listBlobsFlat())
        if (blob.name.toLowerCase().includes(marker)) await client.deleteBlob(blob.name);
    }
  });

  /** A generated file at its layout path below a folder named like its container; a resource no other test uses. */
  async function successorFile(format: SuccessorFormat, table: WorkspaceTableName, rows: number, folder = 'export') {
    const resource = { ...DEMO_RESOURCE, component: uniqueName('shop'), workspace: uniqueName('logs') };
    const window = successorFolderWindow(format, format === 'dataExport' ? new Date('2030-11-25T09:07:00Z') : HOUR);
    const place = successorBlobPlace(format, table, window.start, resource);
    written.push({
      container: place.container,
      marker: format === 'dataExport' ? resource.workspace : resource.component,
    });
    const text = generateSuccessorBlobText(table, rows, `${place.blobName}`, { format, resource, window });
    const file = join(
      root,
      folder,
      format === 'dataExport' ? `am-${table}` : place.container,
      ...place.blobName.split('/'),
    );
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    return { file, place, resource, bytes: await readFile(file) };
  }

  it('writes a diagnostic-settings file as an append blob in N appends whose content equals the file', async () => {
    // Arrange
    const { file, place, bytes } = await successorFile('diagnosticSettings', 'AppRequests', 40);

    // Act
    const result = await replay(file, '--appends', '5');

    // Assert
    const blob = service().getContainerClient(place.container).getBlobClient(place.blobName);
    const properties = await blob.getProperties();
    expect(result.code).toBe(0);
    expect(properties.blobType).toBe('AppendBlob');
    expect(properties.blobCommittedBlockCount).toBe(5);
    expect(Buffer.compare(await blob.downloadToBuffer(), bytes)).toBe(0);
    expect(result.out).toEqual([
      `appended ${place.container}/${place.blobName} (${bytes.length} bytes in 5 appends)`,
      `replayed 1 file into '${place.container}' as append blobs`,
    ]);
  });

  it('files a data-export file in its lower-cased am- container, moved to the five minutes of --date now', async () => {
    // Arrange
    const { file, place, bytes } = await successorFile('dataExport', 'AppTraces', 25);
    const moved = place.blobName.replace('/y=2030/m=11/d=25/h=09/m=05/', '/y=2030/m=11/d=25/h=13/m=45/');

    // Act: its rows keep their times, so the blob equals the file
    const result = await replay(file, '--date', 'now', '--keep-times');

    // Assert
    const blob = service().getContainerClient('am-apptraces').getBlobClient(moved);
    const properties = await blob.getProperties();
    expect(result.code).toBe(0);
    expect(place.container).toBe('am-apptraces');
    expect(properties.blobType).toBe('AppendBlob');
    expect(properties.blobCommittedBlockCount).toBe(4);
    expect(Buffer.compare(await blob.downloadToBuffer(), bytes)).toBe(0);
    expect(result.out[0]).toBe(`appended am-apptraces/${moved} (${bytes.length} bytes in 4 appends) from ${file}`);
  });

  it('moves a diagnostic-settings file to the hour of --date', async () => {
    const { file, place } = await successorFile('diagnosticSettings', 'AppExceptions', 5);
    const result = await replay(file, '--date', '3h', '--appends', '2');
    const moved = place.blobName.replace('/y=2030/m=11/d=25/h=09/m=00/', '/y=2030/m=11/d=25/h=10/m=00/');
    expect(result.out[0]).toMatch(
      new RegExp(
        `^appended ${place.container}/${moved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes in 2 appends, event times \\+1h\\) from `,
      ),
    );
    expect((await service().getContainerClient(place.container).getBlobClient(moved).getProperties()).blobType).toBe(
      'AppendBlob',
    );
  });

  it('waits --pause between appends, and the blob has grown by each piece when it does', async () => {
    // Arrange
    const { file, place, bytes } = await successorFile('diagnosticSettings', 'AppEvents', 30);
    const blob = service().getContainerClient(place.container).getBlobClient(place.blobName);
    const lengths: number[] = [];
    const out: string[] = [];
    const env = { EXPORT_STORAGE: testConnectionString() };
    const sleep = async (ms: number) => {
      expect(ms).toBe(1500);
      lengths.push((await blob.getProperties()).contentLength ?? -1);
    };

    // Act
    const code = await runCli(
      ['replay', file, '--appends', '3', '--pause', '1500ms'],
      { out: (l) => out.push(l), err: () => undefined },
      { env, now: () => NOW, sleep },
    );

    // Assert
    expect(code).toBe(0);
    expect(lengths).toHaveLength(2);
    expect(lengths[0]).toBeGreaterThan(0);
    expect(lengths[1]).toBeGreaterThan(lengths[0] as number);
    expect(lengths[1]).toBeLessThan(bytes.length);
  });

  it('re-creates a blob replayed twice, so the content is the file once, and says so', async () => {
    const { file, place, bytes } = await successorFile('diagnosticSettings', 'AppDependencies', 10);
    await replay(file);
    const again = await replay(file, '--appends', '3');
    const blob = service().getContainerClient(place.container).getBlobClient(place.blobName);
    expect(again.out[0]).toBe(
      `appended ${place.container}/${place.blobName} (${bytes.length} bytes in 3 appends, replacing the blob there)`,
    );
    expect(Buffer.compare(await blob.downloadToBuffer(), bytes)).toBe(0);
  });

  it('places a file outside the layouts with --format and --table under the demo resource, this hour', async () => {
    // Arrange
    const file = join(root, 'loose-requests.json');
    await writeFile(file, generateSuccessorBlobText('AppRequests', 3, 'loose', { format: 'diagnosticSettings' }));
    const app = uniqueName('loose');
    written.push({ container: 'insights-logs-apprequests', marker: app });

    // Act
    const result = await replay(file, '--format', 'diagnosticSettings', '--table', 'AppRequests', '--app', app);

    // Assert
    const expected = successorBlobPlace('diagnosticSettings', 'AppRequests', NOW, { ...DEMO_RESOURCE, component: app });
    expect(result.code).toBe(0);
    expect(expected.blobName).toMatch(/\/y=2030\/m=11\/d=25\/h=13\/m=00\/PT1H\.json$/);
    expect(result.out[0]).toMatch(
      new RegExp(
        `^appended insights-logs-apprequests/.*/COMPONENTS/${app.toUpperCase()}/y=2030/m=11/d=25/h=13/m=00/PT1H\\.json \\(\\d+ bytes in 4 appends\\) from `,
      ),
    );
  });

  it('skips a file below a container folder but outside its layout, saying how to place it, and exits 1', async () => {
    const file = join(root, 'insights-logs-apptraces', 'stray.json');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '{}\n');
    const result = await replay(file);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `${file}: skipped: expected 15 path segments resourceId=/SUBSCRIPTIONS/<sub>/RESOURCEGROUPS/<rg>/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/<name>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json, found 1; pass --format diagnosticSettings|dataExport --table T to place it`,
    ]);
  });

  it.each([
    [
      ['x', '--appends', '0'],
      "--appends must be a whole number from 1 to 50000 (an append blob's block limit), found '0'",
    ],
    [['x', '--pause', 'soon'], "--pause takes a wait like 500ms or 2s, found 'soon'"],
    [
      ['x', '--format', 'dataExport'],
      '--format and --table go together: both place successor files outside the layouts',
    ],
    [
      ['x', '--table', 'AppNope', '--format', 'dataExport'],
      "--table must be a workspace table (AppRequests, AppTraces, ...) or a classic one (requests, traces, ...), found 'AppNope'",
    ],
  ])('refuses %j with exit 2, one line and a pointer to its help', async (args, message) => {
    const { code, err } = await replay(...args);
    expect({ code, err }).toEqual({
      code: 2,
      err: [`export-alerts replay: ${message}`, "(run 'export-alerts replay --help' for usage)"],
    });
  });
});
