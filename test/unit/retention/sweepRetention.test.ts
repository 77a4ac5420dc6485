import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import { type SweepOptions, sweepRetention } from '../../../shared/core/retention/sweepRetention';
import { MemoryRetentionStore } from './memoryRetentionStore';

const APP = 'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const OTHER = 'api_00112233445566778899aabbccddeeff';
const POLICY: RetentionPolicy = { defaultDays: 30, daysByType: { Requests: 7 } };
const NOW = new Date('2024-03-31T10:30:00Z');

function options(overrides: Partial<SweepOptions> = {}): SweepOptions {
  return {
    policy: POLICY,
    now: NOW,
    dryRun: false,
    maxDeletes: 1_000_000,
    maxSeconds: 240,
    concurrency: 4,
    ...overrides,
  };
}

const hours = (folder: string, type: string, date: string, count: number, files = 1) =>
  Array.from({ length: count }, (_, h) =>
    Array.from({ length: files }, (_, f) => `${folder}/${type}/${date}/${String(h).padStart(2, '0')}/f${f}.blob`),
  ).flat();

describe('sweepRetention', () => {
  it('deletes expired export blobs and nothing else, and reports them per app and type', async () => {
    // Arrange
    const expired = [...hours(APP, 'Event', '2024-02-28', 24), ...hours(OTHER, 'Requests', '2024-03-20', 2)];
    const kept = [...hours(APP, 'Event', '2024-03-30', 24), ...hours(OTHER, 'Requests', '2024-03-30', 2)];
    const foreign = [
      'readme.txt',
      'backup/Event/2020-01-01/00/a.blob',
      `${APP}/Event/2020-01-01/00/sub/deep.blob`,
      `${APP}/Event/2020-01-01/loose.blob`,
    ];
    const store = new MemoryRetentionStore([...expired, ...kept, ...foreign]);

    // Act
    const report = await sweepRetention(options(), { store, stopwatch: () => 0 });

    // Assert
    expect(store.names()).toEqual([...kept, ...foreign].sort());
    expect(report).toMatchObject({
      status: 'completed',
      expiredPrefixes: [`${OTHER}/Requests/2024-03-20/`, `${APP}/Event/2020-01-01/`, `${APP}/Event/2024-02-28/`],
      deleted: {
        blobs: 26,
        bytes: 260,
        alreadyGone: 0,
        byFolderType: [
          { folder: OTHER, type: 'Requests', blobs: 2, bytes: 20 },
          { folder: APP, type: 'Event', blobs: 24, bytes: 240 },
        ],
      },
      ignored: { count: 2 },
      skipped: { count: 0 },
      failed: { count: 0 },
      budget: { reachedBy: undefined },
    });
  });

  it('never lists the blobs of a retained date, and lists hours only under a partly expired date', async () => {
    // Arrange: the cutoff falls on 2024-03-01T10:30Z.
    const store = new MemoryRetentionStore([
      ...hours(APP, 'Event', '2024-03-01', 24),
      ...hours(APP, 'Event', '2024-03-15', 24),
    ]);

    // Act
    await sweepRetention(options(), { store, stopwatch: () => 0 });

    // Assert
    expect(store.levelListings).toEqual(['', `${APP}/`, `${APP}/Event/`, `${APP}/Event/2024-03-01/`]);
    expect(store.blobListings).toEqual(
      Array.from({ length: 10 }, (_, h) => `${APP}/Event/2024-03-01/${String(h).padStart(2, '0')}/`),
    );
  });

  it('deletes in batches of at most 256 with no more than the configured number in flight', async () => {
    const store = new MemoryRetentionStore(hours(APP, 'Event', '2024-01-01', 24, 100), 5);
    const report = await sweepRetention(options({ concurrency: 3 }), { store, stopwatch: () => 0 });
    expect(report.deleted.blobs).toBe(2400);
    expect(store.deleteCalls.map((c) => c.length)).toEqual([...Array<number>(9).fill(256), 96]);
    expect(store.maxInFlight).toBe(3);
  });

  it('stops at the delete budget and the next run continues where it stopped', async () => {
    // Arrange
    const store = new MemoryRetentionStore(hours(APP, 'Event', '2024-01-01', 24, 25));

    // Act
    const first = await sweepRetention(options({ maxDeletes: 500 }), { store, stopwatch: () => 0 });
    const second = await sweepRetention(options({ maxDeletes: 500 }), { store, stopwatch: () => 0 });

    // Assert
    expect(first).toMatchObject({
      status: 'budget-reached',
      deleted: { blobs: 500 },
      budget: { reachedBy: 'max-deletes' },
    });
    expect(second).toMatchObject({ status: 'completed', deleted: { blobs: 100 }, budget: { reachedBy: undefined } });
    expect(store.names()).toEqual([]);
  });

  it('reports a run that ends exactly at the budget as completed', async () => {
    const store = new MemoryRetentionStore(hours(APP, 'Event', '2024-01-01', 2));
    expect(await sweepRetention(options({ maxDeletes: 2 }), { store, stopwatch: () => 0 })).toMatchObject({
      status: 'completed',
    });
  });

  it('starts no new work once the time budget is spent', async () => {
    // Arrange: every look at the stopwatch advances it by one second.
    const store = new MemoryRetentionStore(hours(APP, 'Event', '2024-01-01', 24, 50));
    let clock = 0;

    // Act
    const report = await sweepRetention(options({ maxSeconds: 300 }), { store, stopwatch: () => (clock += 1000) });

    // Assert
    expect(report).toMatchObject({ status: 'budget-reached', budget: { reachedBy: 'max-seconds' } });
    expect(report.deleted.blobs).toBeGreaterThan(0);
    expect(report.deleted.blobs).toBeLessThan(300);
    expect(store.names()).toHaveLength(1200 - report.deleted.blobs);
  });

  it('lists in a dry run exactly what a real run then deletes, and deletes nothing', async () => {
    // Arrange
    const names = [
      ...hours(APP, 'Event', '2024-02-01', 24, 3),
      ...hours(APP, 'Requests', '2024-03-20', 24),
      ...hours(APP, 'Requests', '2024-03-30', 24),
    ];
    const store = new MemoryRetentionStore(names);

    // Act
    const dry = await sweepRetention(options({ dryRun: true, maxDeletes: 50 }), { store, stopwatch: () => 0 });
    const before = store.names();
    const real = await sweepRetention(options({ maxDeletes: 50 }), { store, stopwatch: () => 0 });

    // Assert
    expect(before).toEqual(names.sort());
    expect(store.deleteCalls).toHaveLength(1);
    expect(dry.wouldDelete).toEqual(store.deleteCalls[0]);
    expect(dry.wouldDelete).toEqual(before.filter((n) => !store.names().includes(n)));
    expect({ ...dry, dryRun: false, wouldDelete: [] }).toEqual({ ...real, elapsedMs: dry.elapsedMs });
  });

  it('skips a leased blob and a blob changed since listing, reports why, and deletes the rest', async () => {
    // Arrange
    const names = hours(APP, 'Event', '2024-01-01', 3);
    const store = new MemoryRetentionStore(names);
    store.leased.add(names[0] as string);
    const original = store.listBlobs.bind(store);
    store.listBlobs = async function* (prefix: string) {
      for await (const blob of original(prefix)) {
        yield blob;
        if (blob.name === names[1]) store.put(blob.name); // rewritten right after listing
      }
    };

    // Act
    const report = await sweepRetention(options(), { store, stopwatch: () => 0 });

    // Assert
    expect(report.deleted.blobs).toBe(1);
    expect(report.skipped).toEqual({
      count: 2,
      examples: [
        { blobName: names[0], reason: 'under lease (LeaseIdMissing)' },
        { blobName: names[1], reason: 'changed since it was listed (ConditionNotMet)' },
      ],
    });
  });

  it('counts a whole chunk as failed when the store throws, and keeps going', async () => {
    const store = new MemoryRetentionStore(hours(APP, 'Event', '2024-01-01', 24, 20));
    const original = store.deleteBlobs.bind(store);
    let calls = 0;
    store.deleteBlobs = (blobs) => (++calls === 1 ? Promise.reject(new Error('socket hang up')) : original(blobs));
    const report = await sweepRetention(options({ concurrency: 1 }), { store, stopwatch: () => 0 });
    expect(report.failed).toMatchObject({
      count: 256,
      examples: expect.arrayContaining([expect.objectContaining({ reason: 'socket hang up' })]),
    });
    expect(report.failed.examples).toHaveLength(100);
    expect(report.deleted.blobs).toBe(480 - 256);
  });

  it('sweeps only the types asked for', async () => {
    const store = new MemoryRetentionStore([
      ...hours(APP, 'Event', '2024-01-01', 1),
      ...hours(APP, 'Requests', '2024-01-01', 1),
    ]);
    await sweepRetention(options({ types: ['Requests'] }), { store, stopwatch: () => 0 });
    expect(store.names()).toEqual(hours(APP, 'Event', '2024-01-01', 1));
  });
});
