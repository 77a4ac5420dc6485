import {
  BlobServiceClient,
  newPipeline,
  type RequestPolicyFactory,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';

import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, type RunningAzurite, startAzurite } from '../../../local/azurite';
import { loadRetentionSettings } from '../../../shared/adapters/settings/retentionSettings';
import { blobRetentionStore } from '../../../shared/adapters/storage/blobRetentionStore';
import { type RunDeps, runRetentionSweep, sweepExportAccount } from '../../../shared/composition/runRetentionSweep';
import type { SweepReport, SweepSummary } from '../../../shared/core/retention/sweepSummary';
import { APP, hourBlobs } from './retentionFixtures';

// NOTE: successor containers are named by table (`insights-logs-apprequests`), so they cannot be
// made unique per test, and a sweep discovers every one in the account. This file therefore runs its
// own Azurite: the shared one holds other tests' successor containers.
let azurite: RunningAzurite;
let service: BlobServiceClient;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => azurite?.stop());
afterEach(async () => {
  for await (const c of service.listContainers()) await service.deleteContainer(c.name);
});

// Cutoffs: 30 days (default) → 2024-03-01T10:30Z; AppRequests 7 days → 2024-03-24T10:30Z.
const NOW = new Date('2024-03-31T10:30:00Z');
const COMPONENT =
  'resourceId=/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-CB9272F09590/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD';
const WORKSPACE =
  'WorkspaceResourceId=/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourcegroups/shop-rg/providers/microsoft.operationalinsights/workspaces/shop-logs';
const LINE = '{"time":"2024-02-29T23:59:59.0000000Z","Type":"AppRequests","Name":"GET /"}\n';

const pad = (n: number) => String(n).padStart(2, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const folder = (root: string, date: string, hour: number, minute = 0) =>
  `${root}/y=${date.slice(0, 4)}/m=${date.slice(5, 7)}/d=${date.slice(8, 10)}/h=${pad(hour)}/m=${pad(minute)}`;
const pt1h = (date: string, hours: readonly number[], root = COMPONENT) =>
  hours.map((h) => `${folder(root, date, h)}/PT1H.json`);
const pt05m = (date: string, hour: number, minutes: readonly number[], file = 'PT05M.json') =>
  minutes.map((m) => `${folder(WORKSPACE, date, hour, m)}/${file}`);

function deps(overrides: Partial<RunDeps> = {}): RunDeps {
  return {
    now: NOW,
    stopwatch: () => performance.now(),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    ...overrides,
  };
}

function settings(env: Record<string, string> = {}) {
  return loadRetentionSettings({
    EXPORT_STORAGE: azurite.connectionString,
    EXPORT_CONTAINER: 'export',
    RETENTION_DRY_RUN: 'false',
    ...env,
  });
}

function report(summary: SweepSummary): SweepReport {
  if (summary.status === 'refused') throw new Error(`sweep refused: ${summary.problems.join('; ')}`);
  return summary;
}

/** Append blobs as the services write them: created empty, then appended to in `appends` blocks. */
async function appendAll(container: string, names: readonly string[], appends = 3): Promise<void> {
  const client = service.getContainerClient(container);
  await client.createIfNotExists();
  for (const name of names) {
    const blob = client.getAppendBlobClient(name);
    await blob.create();
    for (let i = 0; i < appends; i++) await blob.appendBlock(LINE, LINE.length);
  }
}

async function namesIn(container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const b of service.getContainerClient(container).listBlobsFlat()) names.push(b.name);
  return names.sort();
}

/** A service client that counts the list requests it sends (v1 factory: derived clients share it once). */
function countingService(): { service: BlobServiceClient; lists: () => number } {
  let lists = 0;
  const counter: RequestPolicyFactory = {
    create: (next) => ({
      sendRequest: (request) => {
        if (/[?&]comp=list/.test(request.url)) lists++;
        return next.sendRequest(request);
      },
    }),
  };
  const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY));
  pipeline.factories.push(counter);
  return { service: new BlobServiceClient(azurite.blobEndpoint, pipeline), lists: () => lists };
}

describe('retention over the successor containers, on Azurite', () => {
  it('deletes expired PT1H.json and PT05M*.json append blobs in every successor container, and keeps the hour that ends inside the window', async () => {
    // Arrange
    const expiredRequests = [...pt1h('2024-03-23', [23]), ...pt1h('2024-03-24', range(10))]; // AppRequests keeps 7 days
    const keptRequests = pt1h('2024-03-24', [10, 11]); // 10:00-11:00 ends 30 minutes after the cutoff
    const expiredDependencies = [...pt1h('2024-02-29', range(24)), ...pt1h('2024-03-01', [9])]; // 09:00-10:00 ended before 10:30
    const keptDependencies = pt1h('2024-03-01', [10]);
    const expiredTraces = [
      ...pt05m('2024-03-01', 10, [20, 25]),
      ...pt05m('2024-03-01', 10, [25], 'PT05M_1.json'),
      ...pt05m('2024-02-10', 4, [0], 'PT5M.json'),
    ];
    const keptTraces = pt05m('2024-03-01', 10, [30, 35]); // 10:30-10:35 ends just after the cutoff
    const foreign = [
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT1H.json.bak`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT05M.json`,
      'backup/y=2020/m=01/d=01/h=00/m=00/PT1H.json',
    ];
    await appendAll('insights-logs-apprequests', [...expiredRequests, ...keptRequests, ...foreign]);
    await appendAll('insights-logs-appdependencies', [...expiredDependencies, ...keptDependencies]);
    await appendAll('am-apptraces', [...expiredTraces, ...keptTraces]);
    // Not successor containers of an App* table: never swept, whatever they hold.
    await appendAll('insights-logs-functionapplogs', pt1h('2020-01-01', [0]));
    await appendAll('am-securityevent', pt05m('2020-01-01', 0, [0]));
    await service.getContainerClient('export').create();
    await service
      .getContainerClient('export')
      .getBlockBlobClient(hourBlobs(APP, 'Event', '2024-01-01', [0])[0] as string)
      .upload('x', 1);

    // Act
    const result = report(await runRetentionSweep(settings({ RETENTION_DAYS_AppRequests: '7' }), deps()));

    // Assert
    expect(await namesIn('insights-logs-apprequests')).toEqual([...keptRequests, ...foreign].sort());
    expect(await namesIn('insights-logs-appdependencies')).toEqual(keptDependencies);
    expect(await namesIn('am-apptraces')).toEqual([...keptTraces].sort());
    expect(await namesIn('insights-logs-functionapplogs')).toHaveLength(1);
    expect(await namesIn('am-securityevent')).toHaveLength(1);
    expect(await namesIn('export')).toEqual([]);
    const bytes = LINE.length * 3;
    expect(result).toMatchObject({
      status: 'completed',
      successorContainers: ['am-apptraces', 'insights-logs-appdependencies', 'insights-logs-apprequests'],
      deleted: {
        blobs: 1 + 11 + 25 + 4,
        byFolderType: [{ folder: APP, type: 'Event', blobs: 1 }],
        bySuccessorContainer: [
          { container: 'am-apptraces', table: 'AppTraces', blobs: 4, bytes: 4 * bytes },
          { container: 'insights-logs-appdependencies', table: 'AppDependencies', blobs: 25, bytes: 25 * bytes },
          { container: 'insights-logs-apprequests', table: 'AppRequests', blobs: 11, bytes: 11 * bytes },
        ],
      },
      skipped: { count: 0 },
      failed: { count: 0 },
      ignored: { count: 2 },
    });
  });

  it('never deletes a blob that can still be appended to, even with RETENTION_DAYS=1, and deletes it once it cannot', async () => {
    // Arrange: data export may still append to a 5-minute folder for 60 h; 2024-03-28T22:30-22:35 ends 59 h 55 min before NOW.
    const growing = pt05m('2024-03-28', 22, [30]);
    const done = pt05m('2024-03-28', 22, [25]);
    const lastHour = pt1h('2024-03-31', [8]); // inside the one-day window until 2024-04-01T09:00
    await appendAll('am-apprequests', [...growing, ...done]);
    await appendAll('insights-logs-apprequests', lastHour);

    // Act
    const first = report(await runRetentionSweep(settings({ RETENTION_DAYS: '1' }), deps()));
    const later = report(
      await runRetentionSweep(settings({ RETENTION_DAYS: '1' }), deps({ now: new Date('2024-04-01T10:35:00Z') })),
    );

    // Assert
    expect(first.deleted.blobs).toBe(1);
    expect(first.deleted.bySuccessorContainer).toEqual([
      { container: 'am-apprequests', format: 'dataExport', table: 'AppRequests', blobs: 1, bytes: LINE.length * 3 },
    ]);
    expect(later.deleted.blobs).toBe(2);
    expect(await namesIn('am-apprequests')).toEqual([]);
    expect(await namesIn('insights-logs-apprequests')).toEqual([]);
  });

  it('skips an append blob that grew after it was listed (If-Match), and the next run deletes it', async () => {
    // Arrange: a late append lands between the listing and the delete
    const names = pt1h('2024-02-01', [0, 1]);
    await appendAll('insights-logs-apprequests', names);
    const container = service.getContainerClient('insights-logs-apprequests');
    const late = names[0] as string;
    const store = blobRetentionStore(container);
    const listed = [];
    for await (const blob of store.listBlobs(`${COMPONENT}/y=2024/m=02/`)) listed.push(blob);
    await container.getAppendBlobClient(late).appendBlock(LINE, LINE.length);

    // Act
    const outcomes = await store.deleteBlobs(listed);
    const next = report(await runRetentionSweep(settings(), deps()));

    // Assert
    expect(outcomes).toEqual([
      { status: 'skipped', reason: 'changed since it was listed (ConditionNotMet)' },
      { status: 'deleted' },
    ]);
    expect(next.deleted.blobs).toBe(1);
    expect(await namesIn('insights-logs-apprequests')).toEqual([]);
  });

  it('lists in a dry run exactly what the real run then deletes, with each blob’s container, and deletes nothing', async () => {
    // Arrange
    await appendAll('insights-logs-apprequests', [...pt1h('2024-02-28', range(3)), ...pt1h('2024-03-31', [9])]);
    await appendAll('am-apprequests', [...pt05m('2024-02-28', 0, [0, 5]), ...pt05m('2024-03-31', 9, [0])]);
    const before = { ds: await namesIn('insights-logs-apprequests'), de: await namesIn('am-apprequests') };

    // Act
    const dry = report(await runRetentionSweep(settings({ RETENTION_DRY_RUN: 'true' }), deps()));
    const afterDry = { ds: await namesIn('insights-logs-apprequests'), de: await namesIn('am-apprequests') };
    const real = report(await runRetentionSweep(settings(), deps()));
    const afterReal = { ds: await namesIn('insights-logs-apprequests'), de: await namesIn('am-apprequests') };

    // Assert
    expect(afterDry).toEqual(before);
    const gone = [
      ...before.de
        .filter((n) => !afterReal.de.includes(n))
        .map((blobName) => ({ container: 'am-apprequests', blobName })),
      ...before.ds
        .filter((n) => !afterReal.ds.includes(n))
        .map((blobName) => ({ container: 'insights-logs-apprequests', blobName })),
    ];
    expect(gone).toHaveLength(5);
    expect(dry.wouldDeleteSuccessor).toEqual(gone);
    expect(dry.deleted).toEqual(real.deleted);
  });

  it('tells onDeleted every successor blob it deleted, per container, and nothing in a dry run', async () => {
    // Arrange
    const ds = pt1h('2024-02-28', range(3));
    const de = pt05m('2024-02-28', 0, [0, 5]);
    await appendAll('insights-logs-apprequests', ds);
    await appendAll('am-apptraces', de);
    const calls: [string, string[]][] = [];
    const onDeleted = async (container: string, blobNames: readonly string[]) =>
      void calls.push([container, [...blobNames]]);

    // Act
    await runRetentionSweep(settings({ RETENTION_DRY_RUN: 'true' }), deps({ onDeleted }));
    const dryCalls = calls.splice(0);
    await runRetentionSweep(settings(), deps({ onDeleted }));

    // Assert
    expect(dryCalls).toEqual([]);
    expect(calls).toEqual([
      ['am-apptraces', de],
      ['insights-logs-apprequests', ds],
    ]);
  });

  it('sweeps only the containers EXPORT_SCAN_CONTAINERS lists, and successors alone when there is no export container', async () => {
    // Arrange
    await appendAll('insights-logs-apprequests', pt1h('2024-02-28', [0]));
    await appendAll('am-apprequests', pt05m('2024-02-28', 0, [0]));
    const warnings: string[] = [];

    // Act
    const result = report(
      await runRetentionSweep(
        settings({ EXPORT_SCAN_CONTAINERS: 'am-apprequests,am-appevents,export' }),
        deps({ logger: { info: () => {}, warn: (m) => void warnings.push(m), error: () => {} } }),
      ),
    );

    // Assert
    expect(result).toMatchObject({ successorContainers: ['am-apprequests'], deleted: { blobs: 1 } });
    expect(await namesIn('insights-logs-apprequests')).toHaveLength(1);
    expect(warnings).toEqual([
      "retention: container 'am-appevents' in EXPORT_SCAN_CONTAINERS does not exist; not swept",
      "retention: 'export' in EXPORT_SCAN_CONTAINERS is not insights-logs-<App table> or am-<App table>; not swept",
    ]);
  });

  it('refuses only when there is neither an export container nor a successor container', async () => {
    expect(await runRetentionSweep(settings(), deps())).toEqual({
      status: 'refused',
      problems: [
        "container 'export' does not exist; set EXPORT_CONTAINER to the container Continuous Export writes into",
      ],
    });
  });

  it('lists only the folders down to the expired days and hours: about one request per level, not per blob', async () => {
    // Arrange: two components, 3 days each of PT1H.json, one day wholly expired, one partly, one kept
    const other = COMPONENT.replace('SHOP-PROD', 'API-PROD');
    const days = ['2024-02-29', '2024-03-01', '2024-03-02'];
    await appendAll(
      'insights-logs-apprequests',
      [COMPONENT, other].flatMap((root) => days.flatMap((d) => pt1h(d, range(24), root))),
      1,
    );
    const counting = countingService();

    // Act
    const result = report(await sweepExportAccount(counting.service, settings(), deps()));

    // Assert: 2 container discoveries, '' and 8 resource-id levels shared by both components, then per
    // component its folder, y=2024, m=03 and d=01 (partly expired), and one flat listing per expired
    // folder: m=02 (whole), hours 00-09 of 03-01. Nothing lists the kept day 03-02.
    expect(result.deleted.blobs).toBe(2 * (24 + 10));
    expect(result.expiredPrefixes.filter((p) => p.endsWith('/m=02/'))).toHaveLength(2);
    expect(counting.lists()).toBe(2 + 1 + 8 + 2 * 4 + 2 * (1 + 10));
  });
});
