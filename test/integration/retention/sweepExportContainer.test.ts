import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { blobRetentionStore } from '../../../shared/adapters/storage/blobRetentionStore';
import { type RunDeps, sweepExportContainer } from '../../../shared/composition/runRetentionSweep';
import type { SweepReport, SweepSummary } from '../../../shared/core/retention/sweepSummary';
import { createTestContainer } from '../../harness/storage';
import {
  APP,
  hourBlobs,
  listNames,
  OTHER,
  range,
  settingsFor,
  startBatchRefusingEndpoint,
  uploadAll,
} from './retentionFixtures';

// Cutoffs: 30 days (default) → 2024-03-01T10:30Z; Requests 7 days → 2024-03-24T10:30Z; Exceptions 90 days → 2024-01-01T10:30Z.
const NOW = new Date('2024-03-31T10:30:00Z');

// The sweep of thousands of blobs is a scale test: test/scale/retentionSweep.scale.test.ts.
const ENV = { RETENTION_DAYS_Requests: '7', RETENTION_DAYS_Exceptions: '90' };
const deps = (now = NOW): RunDeps => ({
  now,
  stopwatch: () => performance.now(),
  logger: { info: () => {}, warn: () => {}, error: () => {} },
});

function report(summary: SweepSummary): SweepReport {
  if (summary.status === 'refused') throw new Error(`sweep refused: ${summary.problems.join('; ')}`);
  return summary;
}

describe('sweepExportContainer on Azurite', () => {
  it('deletes exactly the hours that ended before each type cutoff, across day and month boundaries', async () => {
    // Arrange
    const container = await createTestContainer('retention');
    const expired = [
      ...hourBlobs(APP, 'Event', '2024-02-29'), // the month before, whole day
      ...hourBlobs(APP, 'Event', '2024-03-01', range(10)), // up to the hour ending 10:00, just before 10:30
      ...hourBlobs(APP, 'Requests', '2024-03-23', [23]), // the day before its 7-day cutoff
      ...hourBlobs(APP, 'Requests', '2024-03-24', range(10)),
      ...hourBlobs(OTHER, 'Exceptions', '2023-12-31'), // the year before its 90-day cutoff
      ...hourBlobs(OTHER, 'Exceptions', '2024-01-01', range(10)),
    ];
    const kept = [
      ...hourBlobs(APP, 'Event', '2024-03-01', [10, 11, 23]), // the hour holding the cutoff, and after
      ...hourBlobs(APP, 'Event', '2024-03-02'),
      ...hourBlobs(APP, 'Requests', '2024-03-24', [10, 11]),
      ...hourBlobs(OTHER, 'Exceptions', '2024-01-01', [10, 11]),
      ...hourBlobs(OTHER, 'Exceptions', '2024-02-01'), // 30 days would expire it; Exceptions keeps 90
    ];
    await uploadAll(container, [...expired, ...kept]);

    // Act
    const result = report(await sweepExportContainer(container, settingsFor(container, ENV), deps()));

    // Assert
    expect(await listNames(container)).toEqual([...kept].sort());
    expect(result).toMatchObject({
      status: 'completed',
      deleted: { blobs: expired.length, bytes: expired.length },
      skipped: { count: 0 },
      failed: { count: 0 },
    });
    expect(result.deleted.byFolderType).toEqual([
      { folder: OTHER, type: 'Exceptions', blobs: 34, bytes: 34 },
      { folder: APP, type: 'Event', blobs: 34, bytes: 34 },
      { folder: APP, type: 'Requests', blobs: 11, bytes: 11 },
    ]);
  });

  it('leaves blobs outside the export layout alone, even inside expired folders', async () => {
    // Arrange
    const container = await createTestContainer('retention');
    const foreign = [
      'readme.txt',
      'backup/Event/2020-01-01/00/a.blob',
      `${APP}/notes.txt`,
      `${APP}/Logs/2020-01-01/00/a.blob`,
      `${APP}/Event/2020-01-01/a.blob`,
      `${APP}/Event/2020-01-01/00/nested/a.blob`,
      `${APP}/Event/2020-02-30/00/a.blob`,
      `${APP}/Event/2020-01-01/7/a.blob`,
    ];
    await uploadAll(container, [...foreign, ...hourBlobs(APP, 'Event', '2020-01-01', [0])]);

    // Act
    const result = report(await sweepExportContainer(container, settingsFor(container), deps()));

    // Assert
    expect(await listNames(container)).toEqual([...foreign].sort());
    expect(result.deleted.blobs).toBe(1);
    expect(result.ignored.examples).toEqual([
      {
        blobName: `${APP}/Event/2020-01-01/00/nested/a.blob`,
        reason: expect.stringContaining('expected 5 path segments'),
      },
      { blobName: `${APP}/Event/2020-01-01/7/a.blob`, reason: "'7' is not an HH hour folder (00-23)" },
      { blobName: `${APP}/Event/2020-01-01/a.blob`, reason: expect.stringContaining('expected 5 path segments') },
    ]);
  });

  it('lists in a dry run exactly what the real run then deletes, and deletes nothing', async () => {
    // Arrange
    const container = await createTestContainer('retention');
    const names = [
      ...hourBlobs(APP, 'Event', '2024-02-28'),
      ...hourBlobs(APP, 'Requests', '2024-03-24'),
      ...hourBlobs(OTHER, 'Exceptions', '2023-12-31', range(3)),
    ];
    await uploadAll(container, names);

    // Act
    const dry = report(
      await sweepExportContainer(container, settingsFor(container, { ...ENV, RETENTION_DRY_RUN: 'true' }), deps()),
    );
    const afterDry = await listNames(container);
    const real = report(await sweepExportContainer(container, settingsFor(container, ENV), deps()));
    const afterReal = await listNames(container);

    // Assert
    expect(afterDry).toEqual([...names].sort());
    expect(dry.wouldDelete).toHaveLength(37);
    expect([...dry.wouldDelete].sort()).toEqual(afterDry.filter((n) => !afterReal.includes(n)));
    expect(dry.deleted).toEqual(real.deleted);
  });

  it('skips a leased blob and reports it, deletes the rest, and deletes snapshots with their blob', async () => {
    // Arrange
    const container = await createTestContainer('retention');
    const names = hourBlobs(APP, 'Event', '2024-01-01', range(3));
    await uploadAll(container, names);
    const [leased, withSnapshot] = names as [string, string, string];
    await container.getBlobClient(leased).getBlobLeaseClient().acquireLease(-1);
    await container.getBlobClient(withSnapshot).createSnapshot();

    // Act
    const result = report(await sweepExportContainer(container, settingsFor(container), deps()));

    // Assert
    expect(result.skipped).toEqual({
      count: 1,
      examples: [{ blobName: leased, reason: 'under lease (LeaseIdMissing)' }],
    });
    expect(result.deleted.blobs).toBe(2);
    const left: string[] = [];
    for await (const blob of container.listBlobsFlat({ includeSnapshots: true })) left.push(blob.name);
    expect(left).toEqual([leased]);
  });

  it('stops at its delete budget and a later run finishes the backlog', async () => {
    // Arrange
    const container = await createTestContainer('retention');
    await uploadAll(
      container,
      range(5).flatMap((f) => hourBlobs(APP, 'Event', '2024-01-01', range(24), `${f}.blob`)),
    );
    const settings = settingsFor(container, { RETENTION_MAX_DELETES_PER_RUN: '50' });

    // Act
    const runs: SweepReport[] = [];
    for (let i = 0; i < 3; i++) runs.push(report(await sweepExportContainer(container, settings, deps())));

    // Assert
    expect(runs.map((r) => [r.status, r.deleted.blobs])).toEqual([
      ['budget-reached', 50],
      ['budget-reached', 50],
      ['completed', 20],
    ]);
    expect(await listNames(container)).toEqual([]);
  });

  it('refuses a container that does not exist', async () => {
    const container = await createTestContainer('retention');
    await container.delete();
    expect(await sweepExportContainer(container, settingsFor(container), deps())).toEqual({
      status: 'refused',
      problems: [
        `container '${container.containerName}' does not exist; set EXPORT_CONTAINER to the container Continuous Export writes into`,
      ],
    });
  });
});

describe('blobRetentionStore on Azurite', () => {
  async function arrange() {
    const container = await createTestContainer('retention');
    const names = hourBlobs(APP, 'Event', '2024-01-01', range(4));
    await uploadAll(container, names);
    const [kept, gone, rewritten, leased] = names as [string, string, string, string];
    return { container, names, kept, gone, rewritten, leased };
  }

  async function act(
    container: ContainerClient,
    names: readonly string[],
    warnings: string[],
    setup: () => Promise<void>,
  ) {
    const store = blobRetentionStore(container, {
      logger: { info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
    });
    const listed = [];
    for await (const blob of store.listBlobs(`${APP}/`)) listed.push(blob);
    await setup();
    return { outcomes: await store.deleteBlobs(listed), listed: listed.map((b) => b.name), names };
  }

  it.each([
    ['in one batch', undefined],
    ['one by one where Blob Batch answers 501', 501],
    ['one by one where Blob Batch answers 405', 405],
  ])('deletes %s: done when already gone, skipped when changed since listing or leased', async (_mode, refuseWith) => {
    // Arrange
    const { container, names, gone, rewritten, leased } = await arrange();
    const endpoint = refuseWith === undefined ? undefined : await startBatchRefusingEndpoint(refuseWith);
    const client =
      endpoint === undefined
        ? container
        : BlobServiceClient.fromConnectionString(endpoint.connectionString).getContainerClient(container.containerName);
    const warnings: string[] = [];

    // Act
    const { outcomes, listed } = await act(client, names, warnings, async () => {
      await container.getBlobClient(gone).delete();
      await container.getBlockBlobClient(rewritten).upload('new', 3);
      await container.getBlobClient(leased).getBlobLeaseClient().acquireLease(-1);
    }).finally(() => endpoint?.close());

    // Assert
    expect(listed).toEqual(names);
    expect(outcomes).toEqual([
      { status: 'deleted' },
      { status: 'gone' },
      { status: 'skipped', reason: 'changed since it was listed (ConditionNotMet)' },
      { status: 'skipped', reason: 'under lease (LeaseIdMissing)' },
    ]);
    expect(await listNames(container)).toEqual([rewritten, leased].sort());
    expect(warnings).toEqual(
      refuseWith === undefined
        ? []
        : [expect.stringMatching(new RegExp(`^Blob Batch is unavailable \\(${refuseWith} `))],
    );
  });
});
