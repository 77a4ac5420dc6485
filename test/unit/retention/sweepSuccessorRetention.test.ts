import type { RetentionPolicy } from '../../../shared/core/retention/retentionPolicy';
import {
  classifySuccessorBlob,
  classifySuccessorPrefix,
  type SuccessorContainerRef,
} from '../../../shared/core/retention/selectExpiredSuccessorFolders';
import { type SuccessorSource, type SweepOptions, sweepRetention } from '../../../shared/core/retention/sweepRetention';
import { MemoryRetentionStore } from './memoryRetentionStore';

const COMPONENT =
  'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD';
const OTHER_COMPONENT =
  'resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/API-PROD';
const WORKSPACE =
  'WorkspaceResourceId=/subscriptions/sub-1/resourcegroups/shop-rg/providers/microsoft.operationalinsights/workspaces/shop-logs';
const REQUESTS: SuccessorContainerRef = {
  container: 'insights-logs-apprequests',
  format: 'diagnosticSettings',
  table: 'AppRequests',
};
const TRACES: SuccessorContainerRef = { container: 'am-apptraces', format: 'dataExport', table: 'AppTraces' };
const POLICY: RetentionPolicy = { defaultDays: 30, daysByType: {} };
// Cutoff at 30 days: 2024-03-01T10:30Z.
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

const pad = (n: number) => String(n).padStart(2, '0');
/** PT1H.json of each hour of a UTC date, under a component. */
const hourBlobs = (root: string, date: string, hours: readonly number[]) =>
  hours.map(
    (h) => `${root}/y=${date.slice(0, 4)}/m=${date.slice(5, 7)}/d=${date.slice(8, 10)}/h=${pad(h)}/m=00/PT1H.json`,
  );
/** PT05M.json of each 5-minute folder of one hour. */
const fiveMinuteBlobs = (root: string, date: string, hour: number, minutes: readonly number[], file = 'PT05M.json') =>
  minutes.map(
    (m) =>
      `${root}/y=${date.slice(0, 4)}/m=${date.slice(5, 7)}/d=${date.slice(8, 10)}/h=${pad(hour)}/m=${pad(m)}/${file}`,
  );
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function source(ref: SuccessorContainerRef, store: MemoryRetentionStore): SuccessorSource {
  return { ...ref, store };
}

describe('classifySuccessorPrefix and classifySuccessorBlob', () => {
  it.each([
    ['resourceId=/', 'descend'],
    ['resourceId=/SUBSCRIPTIONS/', 'descend'],
    [`${COMPONENT}/`, 'descend'],
    [`${COMPONENT}/y=2023/`, 'expired'],
    [`${COMPONENT}/y=2024/`, 'descend'],
    [`${COMPONENT}/y=2024/m=02/`, 'expired'],
    [`${COMPONENT}/y=2024/m=03/`, 'descend'],
    [`${COMPONENT}/y=2024/m=03/d=01/`, 'descend'],
    [`${COMPONENT}/y=2024/m=03/d=01/h=09/`, 'expired'],
    [`${COMPONENT}/y=2024/m=03/d=01/h=10/`, 'retained'],
    [`${COMPONENT}/y=2024/m=03/d=02/`, 'retained'],
    [`${COMPONENT}/y=2025/`, 'retained'],
  ])('diagnostic settings, 30 days from 2024-03-31T10:30Z: %s is %s', (prefix, action) => {
    expect(classifySuccessorPrefix(REQUESTS, prefix, POLICY, NOW)).toEqual({ action });
  });

  it.each([
    ['backup/', "'backup' is not the 'resourceId=' folder"],
    ['resourceId=/SUBSCRIPTIONS/SUB-1/RESOURCES/', "'RESOURCES' in the resource id is not 'resourcegroups' (any case)"],
    [`${COMPONENT}/year=2020/`, "'year=2020' is not a y=NNNN folder"],
    [`${COMPONENT}/y=2023/m=02/d=30/`, 'y=2023/m=02/d=30 is not a calendar date'],
    [`${COMPONENT}/y=2023/m=02/d=01/h=00/m=00/more/`, 'deeper than resourceId='],
  ])('leaves %s outside the layout', (prefix, reason) => {
    expect(classifySuccessorPrefix(REQUESTS, prefix, POLICY, NOW)).toEqual({
      action: 'outside',
      reason: expect.stringContaining(reason),
    });
  });

  it('keeps a 5-minute folder that ended just inside the window, and deletes the one that ended at the cutoff', () => {
    // 10:25-10:30 ends exactly at the cutoff; 10:30-10:35 ends 5 minutes after it.
    const [atCutoff, after] = fiveMinuteBlobs(WORKSPACE, '2024-03-01', 10, [25, 30]) as [string, string];
    expect(classifySuccessorBlob(TRACES, atCutoff, POLICY, NOW).ok).toBe(true);
    expect(classifySuccessorBlob(TRACES, after, POLICY, NOW)).toEqual({
      ok: false,
      error: expect.stringContaining('inside the AppTraces retention window'),
    });
  });

  it('never passes a blob that can still grow, even with a one-day window', () => {
    // Arrange: data export may still append to a 5-minute folder for 60 h after it; diagnostic settings for 2 h after the hour.
    const oneDay: RetentionPolicy = { defaultDays: 1, daysByType: {} };
    const [grows] = fiveMinuteBlobs(WORKSPACE, '2024-03-28', 22, [30]) as [string]; // ended 2024-03-28T22:35Z: 59 h 55 min ago
    const [done] = fiveMinuteBlobs(WORKSPACE, '2024-03-28', 22, [25]) as [string]; // ended 22:30Z: 60 h ago
    const [hour] = hourBlobs(COMPONENT, '2024-03-30', [9]) as [string]; // ended 2024-03-30T10:00Z, a day and a half hour ago

    // Act / Assert
    expect(classifySuccessorBlob(TRACES, grows, oneDay, NOW)).toEqual({
      ok: false,
      error: expect.stringContaining('can still be appended to'),
    });
    expect(classifySuccessorPrefix(TRACES, `${WORKSPACE}/y=2024/m=03/d=28/h=22/m=30/`, oneDay, NOW)).toEqual({
      action: 'retained',
    });
    expect(classifySuccessorPrefix(TRACES, `${WORKSPACE}/y=2024/m=03/d=28/h=22/`, oneDay, NOW)).toEqual({
      action: 'descend',
    });
    expect(classifySuccessorPrefix(TRACES, `${WORKSPACE}/y=2024/m=03/d=29/`, oneDay, NOW)).toEqual({
      action: 'retained',
    });
    expect(classifySuccessorBlob(TRACES, done, oneDay, NOW).ok).toBe(true);
    expect(classifySuccessorBlob(REQUESTS, hour, oneDay, NOW).ok).toBe(true);
  });

  it('takes the per-table override, never the per-type one of the classic table', () => {
    const policy: RetentionPolicy = { defaultDays: 30, daysByType: { Requests: 1 }, daysByTable: { AppTraces: 7 } };
    const [request] = hourBlobs(COMPONENT, '2024-03-20', [0]) as [string];
    const [trace] = fiveMinuteBlobs(WORKSPACE, '2024-03-20', 0, [0]) as [string];
    expect(classifySuccessorBlob(REQUESTS, request, policy, NOW).ok).toBe(false);
    expect(classifySuccessorBlob(TRACES, trace, policy, NOW).ok).toBe(true);
  });
});

describe('sweepRetention over successor containers', () => {
  it('deletes expired PT1H.json and PT05M*.json blobs and nothing else, and reports them per container', async () => {
    // Arrange
    const expiredRequests = [
      ...hourBlobs(COMPONENT, '2024-02-29', range(24)),
      ...hourBlobs(OTHER_COMPONENT, '2024-03-01', range(10)),
    ];
    const keptRequests = [
      ...hourBlobs(COMPONENT, '2024-03-01', [10, 11]),
      ...hourBlobs(COMPONENT, '2024-03-31', [9, 10]),
    ];
    const foreignRequests = [
      'readme.txt',
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT1H.json.tmp`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/PT1H.json`,
      `${COMPONENT}/y=2020/m=01/d=01/h=00/m=00/PT05M.json`,
      `backup/y=2020/m=01/d=01/h=00/m=00/PT1H.json`,
    ];
    const expiredTraces = [
      ...fiveMinuteBlobs(WORKSPACE, '2024-03-01', 10, [0, 5, 25]),
      ...fiveMinuteBlobs(WORKSPACE, '2024-03-01', 10, [0], 'PT05M_3.json'),
      ...fiveMinuteBlobs(WORKSPACE, '2024-02-01', 3, [15], 'PT5M.json'),
    ];
    const keptTraces = fiveMinuteBlobs(WORKSPACE, '2024-03-01', 10, [30, 55]);
    const requests = new MemoryRetentionStore([...expiredRequests, ...keptRequests, ...foreignRequests]);
    const traces = new MemoryRetentionStore([...expiredTraces, ...keptTraces]);

    // Act
    const report = await sweepRetention(options(), {
      stopwatch: () => 0,
      successors: [source(TRACES, traces), source(REQUESTS, requests)],
    });

    // Assert
    expect(requests.names()).toEqual([...keptRequests, ...foreignRequests].sort());
    expect(traces.names()).toEqual([...keptTraces].sort());
    expect(report).toMatchObject({
      status: 'completed',
      successorContainers: ['am-apptraces', 'insights-logs-apprequests'],
      deleted: {
        blobs: expiredRequests.length + expiredTraces.length,
        byFolderType: [],
        bySuccessorContainer: [
          { container: 'am-apptraces', format: 'dataExport', table: 'AppTraces', blobs: 5, bytes: 50 },
          {
            container: 'insights-logs-apprequests',
            format: 'diagnosticSettings',
            table: 'AppRequests',
            blobs: 34,
            bytes: 340,
          },
        ],
      },
      ignored: { count: 3 },
      skipped: { count: 0 },
      failed: { count: 0 },
    });
    expect(report.ignored.examples.map((e) => e.blobName).sort()).toEqual(
      foreignRequests
        .slice(1, 4)
        .map((n) => `insights-logs-apprequests/${n}`)
        .sort(),
    );
  });

  it('lists only the folders above the dates and expired periods, never the blobs of a retained folder', async () => {
    // Arrange: the cutoff falls on 2024-03-01T10:30Z
    const store = new MemoryRetentionStore([
      ...hourBlobs(COMPONENT, '2024-03-01', range(24)),
      ...hourBlobs(COMPONENT, '2024-03-15', range(24)),
    ]);

    // Act
    await sweepRetention(options(), { stopwatch: () => 0, successors: [source(REQUESTS, store)] });

    // Assert: one listing per folder level down to the partly expired day, then one flat listing per expired hour
    const levels = COMPONENT.split('/').map((_, i, all) => `${all.slice(0, i + 1).join('/')}/`);
    expect(store.levelListings).toEqual([
      '',
      ...levels,
      `${COMPONENT}/y=2024/`,
      `${COMPONENT}/y=2024/m=03/`,
      `${COMPONENT}/y=2024/m=03/d=01/`,
    ]);
    expect(store.blobListings).toEqual(range(10).map((h) => `${COMPONENT}/y=2024/m=03/d=01/h=${pad(h)}/`));
  });

  it('lists a whole expired month with one flat listing per 5,000 blobs instead of walking its days', async () => {
    const store = new MemoryRetentionStore(
      range(28).flatMap((d) => hourBlobs(COMPONENT, `2024-02-${pad(d + 1)}`, range(24))),
    );
    const report = await sweepRetention(options(), { stopwatch: () => 0, successors: [source(REQUESTS, store)] });
    expect(report.deleted.blobs).toBe(28 * 24);
    expect(report.expiredPrefixes).toEqual([`insights-logs-apprequests/${COMPONENT}/y=2024/m=02/`]);
    expect(store.blobListings).toEqual([`${COMPONENT}/y=2024/m=02/`]);
    expect(store.levelListings).toEqual([
      '',
      ...COMPONENT.split('/').map((_, i, all) => `${all.slice(0, i + 1).join('/')}/`),
      `${COMPONENT}/y=2024/`,
    ]);
  });

  it('reports in a dry run exactly what the real run then deletes, with each blob’s container', async () => {
    // Arrange
    const names = [...hourBlobs(COMPONENT, '2024-02-28', range(3)), ...hourBlobs(COMPONENT, '2024-03-31', [8])];
    const traceNames = fiveMinuteBlobs(WORKSPACE, '2024-02-28', 1, [0, 5]);
    const requests = new MemoryRetentionStore(names);
    const traces = new MemoryRetentionStore(traceNames);
    const successors = [source(REQUESTS, requests), source(TRACES, traces)];
    const deleted: string[] = [];

    // Act
    const dry = await sweepRetention(options({ dryRun: true }), {
      stopwatch: () => 0,
      successors,
      onDeleted: async (c, n) => void deleted.push(...n.map((b) => `${c}/${b}`)),
    });
    const afterDry = [...requests.names(), ...traces.names()];
    const real = await sweepRetention(options(), { stopwatch: () => 0, successors });

    // Assert
    expect(afterDry).toEqual([...names, ...traceNames]);
    expect(requests.deleteCalls).toEqual([names.slice(0, 3)]);
    expect(dry.wouldDeleteSuccessor).toEqual([
      ...names.slice(0, 3).map((blobName) => ({ container: REQUESTS.container, blobName })),
      ...traceNames.map((blobName) => ({ container: TRACES.container, blobName })),
    ]);
    expect(dry.deleted).toEqual(real.deleted);
    expect(deleted).toEqual([]);
  });

  it('tells onDeleted the blobs each delete removed, per container, and not those it skipped', async () => {
    // Arrange
    const names = hourBlobs(COMPONENT, '2024-02-28', range(4));
    const requests = new MemoryRetentionStore(names);
    requests.leased.add(names[1] as string);
    const traces = new MemoryRetentionStore(fiveMinuteBlobs(WORKSPACE, '2024-02-28', 1, [0]));
    const calls: [string, readonly string[]][] = [];

    // Act
    const report = await sweepRetention(options(), {
      stopwatch: () => 0,
      successors: [source(REQUESTS, requests), source(TRACES, traces)],
      onDeleted: async (container, blobNames) => void calls.push([container, blobNames]),
    });

    // Assert
    expect(calls).toEqual([
      [REQUESTS.container, [names[0], names[2], names[3]]],
      [TRACES.container, fiveMinuteBlobs(WORKSPACE, '2024-02-28', 1, [0])],
    ]);
    expect(report.skipped).toEqual({
      count: 1,
      examples: [{ blobName: `${REQUESTS.container}/${names[1]}`, reason: 'under lease (LeaseIdMissing)' }],
    });
  });

  it('reports a failing onDeleted per blob and goes on deleting', async () => {
    const requests = new MemoryRetentionStore(hourBlobs(COMPONENT, '2024-02-28', range(2)));
    const traces = new MemoryRetentionStore(fiveMinuteBlobs(WORKSPACE, '2024-02-28', 1, [0]));
    const report = await sweepRetention(options(), {
      stopwatch: () => 0,
      successors: [source(REQUESTS, requests), source(TRACES, traces)],
      onDeleted: async (container) => {
        if (container === REQUESTS.container) throw new Error('cursor table unavailable');
      },
    });
    expect([...requests.names(), ...traces.names()]).toEqual([]);
    expect(report.hookFailed).toMatchObject({
      count: 2,
      examples: [{ reason: 'deleted, but onDeleted failed: cursor table unavailable' }, {}],
    });
    expect(report.deleted.blobs).toBe(3);
  });

  it('shares one delete budget between the export container and the successor containers, and never mixes containers in a batch', async () => {
    // Arrange
    const exportStore = new MemoryRetentionStore(['shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Event/2024-01-01/00/a.blob']);
    const requests = new MemoryRetentionStore(hourBlobs(COMPONENT, '2024-01-01', range(24)));
    const traces = new MemoryRetentionStore(
      fiveMinuteBlobs(
        WORKSPACE,
        '2024-01-01',
        0,
        range(12).map((i) => i * 5),
      ),
    );
    const deps = {
      store: exportStore,
      stopwatch: () => 0,
      successors: [source(REQUESTS, requests), source(TRACES, traces)],
    };

    // Act
    const first = await sweepRetention(options({ maxDeletes: 30 }), deps);
    const second = await sweepRetention(options({ maxDeletes: 30 }), deps);

    // Assert
    expect([first.status, first.deleted.blobs, second.status, second.deleted.blobs]).toEqual([
      'budget-reached',
      30,
      'completed',
      7,
    ]);
    expect([exportStore.names(), requests.names(), traces.names()]).toEqual([[], [], []]);
    expect(requests.deleteCalls.map((c) => c.length)).toEqual([24]);
    expect(traces.deleteCalls.map((c) => c.length)).toEqual([5, 7]);
  });
});
