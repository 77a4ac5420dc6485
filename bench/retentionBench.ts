import { performance } from 'node:perf_hooks';

import {
  ContainerClient,
  newPipeline,
  type RequestPolicyFactory,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';

import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, startAzurite } from '../local/azurite';
import { exportBlobPath } from '../scripts/exportGenerator';
import { blobRetentionStore } from '../shared/adapters/storage/blobRetentionStore';
import { at } from '../shared/core/defined';
import type { TelemetryType } from '../shared/core/export/telemetryTypes';
import type { RetentionPolicy } from '../shared/core/retention/retentionPolicy';
import type { RetentionStore } from '../shared/core/retention/retentionStore';
import { classifyBlob } from '../shared/core/retention/selectExpiredPrefixes';
import {
  classifySuccessorBlob,
  type SuccessorContainerRef,
} from '../shared/core/retention/selectExpiredSuccessorFolders';
import { sweepRetention } from '../shared/core/retention/sweepRetention';
import { formatNumber, formatRatio } from './stats';
import type { BenchContext, BenchSection } from './types';

const POLICY: RetentionPolicy = { defaultDays: 30, daysByType: {} };
/** Cutoff 2024-03-01T00:00Z: the five days before it are expired, the 25 from it on are kept. */
const NOW = new Date('2024-03-31T00:00:00Z');
const APPS = [
  ['shop', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  ['api', '00112233445566778899aabbccddeeff'],
] as const;
const TYPES: readonly TelemetryType[] = ['Requests', 'Exceptions', 'Event', 'Messages', 'Rdd'];
const UPLOAD_CONCURRENCY = 64;
const BASELINE_CONCURRENCY = 16;

/** Requests the client sent, by kind, counted in its pipeline (each logical request once; Azurite sends no retries). */
interface RequestCounts {
  list: number;
  batch: number;
  delete: number;
  other: number;
}

/**
 * The retention sweep against the naive way (list the whole container, delete each expired blob
 * with its own request) on one Azurite, same blobs, same decisions: 10,000 expired among 40,000 kept.
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  // NOTE: Azurite re-sorts its four blob indices (LokiJS ensureAllIndexes) on every delete, so a delete
  // costs O(n log n) in the blobs it holds: ~40 ms each at 10,000 blobs, hours for the full
  // 10,000-among-40,000. The default run keeps its proportions at a fifth of the size.
  const scale = process.env['RETENTION_BENCH_FULL'] === '1' ? 1 : ctx.quick ? 10 : 5;
  const { expired, kept } = layout(scale);
  const azurite = await startAzurite();
  try {
    const counts: RequestCounts = { list: 0, batch: 0, delete: 0, other: 0 };
    const container = countingContainer(azurite.blobEndpoint, 'export', counts);
    await container.create();
    ctx.log(`retention: uploading ${formatNumber(expired.length + kept.length)} blobs to Azurite ...`);
    await upload(container, [...expired, ...kept]);

    ctx.log('retention: sweep ...');
    reset(counts);
    const ours = await timed(async () => {
      const store = countingStore(blobRetentionStore(container));
      const report = await sweepRetention(
        { policy: POLICY, now: NOW, dryRun: false, maxDeletes: 1_000_000, maxSeconds: 3_600, concurrency: 4 },
        { store, stopwatch: () => performance.now() },
      );
      return { deleted: report.deleted.blobs, listed: store.listed, requests: { ...counts } };
    });
    await expectRemaining(container, kept.length);

    ctx.log(`retention: re-uploading ${formatNumber(expired.length)} expired blobs for the baseline ...`);
    await upload(container, expired);
    reset(counts);
    ctx.log('retention: naive baseline ...');
    const baseline = await timed(async () => ({ ...(await naiveSweep(container)), requests: { ...counts } }));
    await expectRemaining(container, kept.length);

    const perDeleted = (n: number, deleted: number) => formatNumber(n / deleted);
    const total = (r: RequestCounts) => r.list + r.batch + r.delete + r.other;
    const describe = (r: RequestCounts) => `${r.list} list, ${r.batch} batch, ${r.delete} delete, ${r.other} other`;
    return {
      title: `Retention sweep: ${formatNumber(expired.length)} expired blobs among ${formatNumber(kept.length)} kept (Azurite)`,
      columns: ['Measure', 'Sweep (ours)', 'Naive baseline', 'Ours / baseline'],
      rows: [
        [
          'HTTP requests per deleted blob',
          perDeleted(total(ours.requests), ours.deleted),
          perDeleted(total(baseline.requests), baseline.deleted),
          formatRatio(total(ours.requests) / ours.deleted, total(baseline.requests) / baseline.deleted),
        ],
        [
          'HTTP requests',
          describe(ours.requests),
          describe(baseline.requests),
          formatRatio(total(ours.requests), total(baseline.requests)),
        ],
        [
          'List requests (the billed operations on GPv2; Delete Blob is free)',
          String(ours.requests.list),
          String(baseline.requests.list),
          formatRatio(ours.requests.list, baseline.requests.list),
        ],
        [
          'Blobs listed per deleted blob',
          perDeleted(ours.listed, ours.deleted),
          perDeleted(baseline.listed, baseline.deleted),
          formatRatio(ours.listed / ours.deleted, baseline.listed / baseline.deleted),
        ],
        ['Blobs deleted', formatNumber(ours.deleted), formatNumber(baseline.deleted), '-'],
        [
          'Seconds (Azurite, one process)',
          ours.seconds.toFixed(2),
          baseline.seconds.toFixed(2),
          formatRatio(ours.seconds, baseline.seconds),
        ],
      ],
      notes: [
        `Layout: ${APPS.length} apps × ${TYPES.length} types; expired: 5 days × 20 hours × ${10 / scale} blobs per app and type; kept: 25 days × 16 hours × ${10 / scale}. Cutoff at a day boundary, so ours lists no hour folders.`,
        scale === 1
          ? 'Full size (RETENTION_BENCH_FULL=1).'
          : `Scaled down ${scale}× from 10,000 among 40,000${ctx.quick ? ' (--quick)' : ''}: Azurite re-sorts its blob indices on every delete, so each delete costs O(n log n) in the blobs it holds and the full size takes hours (RETENTION_BENCH_FULL=1 runs it). Request counts scale linearly: ours lists 63 times at any size (one listing per expired date, under 5,000 blobs each) and sends deleted / 256 batches; the baseline lists total / 5,000 times and deletes once per blob.`,
        "Requests are counted by a policy in the storage client pipeline; they carry over to Azure, Azurite's timings do not. On general-purpose v2 accounts Delete Blob is free and List Blobs is billed per request, so the list requests are the bill; the total is what costs function time and throttling headroom.",
        `List requests: ours needs 1 + apps × (1 + types) + one per expired date (plus one per partly expired date and per expired hour in it), whatever is kept; the baseline needs one per 5,000 blobs in the container, kept ones included. With this few kept blobs the baseline lists fewer pages; ours lists none of the kept blobs.`,
        `Ours: hierarchical listing (app → type → date), Blob Batch deletes of up to 256 with 4 in flight. Baseline: one flat listing of the whole container, then one delete per expired blob, ${BASELINE_CONCURRENCY} in flight. Both decide by the same classifyBlob.`,
        "Seconds are Azurite's, which serializes work in one Node process; they do not predict Azure latency.",
      ],
    };
  } finally {
    await azurite.stop();
  }
}

const SUCCESSOR_SOURCES: readonly SuccessorContainerRef[] = [
  { container: 'insights-logs-apprequests', format: 'diagnosticSettings', table: 'AppRequests' },
  { container: 'am-apprequests', format: 'dataExport', table: 'AppRequests' },
];

/**
 * The sweep over the successor layouts against the same naive baseline: diagnostic-settings PT1H.json
 * of many components and data-export PT05M.json of a few workspaces, as append blobs; the cutoff
 * falls inside a day, so the walk descends to its hours (and 5-minute folders).
 */
export async function runSuccessor(ctx: BenchContext): Promise<BenchSection> {
  const components = ctx.quick ? 10 : 40;
  const workspaces = ctx.quick ? 1 : 2;
  // Cutoff 2024-03-01T10:30Z (30 days): Feb 28-29 and 03-01 00:00-10:30 expired, 03-01 10:30 to 03-02 kept.
  const now = new Date('2024-03-31T10:30:00Z');
  const names = successorLayout(components, workspaces);
  const azurite = await startAzurite();
  try {
    const counts: RequestCounts = { list: 0, batch: 0, delete: 0, other: 0 };
    const containers = SUCCESSOR_SOURCES.map((s) => countingContainer(azurite.blobEndpoint, s.container, counts));
    const blobsOf = (i: number) => (i === 0 ? names.diagnosticSettings : names.dataExport);
    const expected = SUCCESSOR_SOURCES.map(
      (source, i) => blobsOf(i).filter((n) => classifySuccessorBlob(source, n, POLICY, now).ok).length,
    );
    const keptOf = (i: number) => blobsOf(i).length - (expected[i] ?? 0);
    ctx.log(
      `retention (successor): appending ${formatNumber(names.diagnosticSettings.length + names.dataExport.length)} append blobs to Azurite ...`,
    );
    for (const [i, c] of containers.entries()) {
      await c.create();
      await appendAll(c, blobsOf(i));
    }

    ctx.log('retention (successor): sweep ...');
    reset(counts);
    const ours = await timed(async () => {
      const stores = containers.map((c) => countingStore(blobRetentionStore(c)));
      const successors = SUCCESSOR_SOURCES.map((s, i) => ({ ...s, store: at(stores, i, 'stores') }));
      const report = await sweepRetention(
        { policy: POLICY, now, dryRun: false, maxDeletes: 1_000_000, maxSeconds: 3_600, concurrency: 4 },
        { stopwatch: () => performance.now(), successors },
      );
      return {
        deleted: report.deleted.blobs,
        listed: stores.reduce((n, s) => n + s.listed, 0),
        requests: { ...counts },
      };
    });
    for (const [i, c] of containers.entries()) await expectRemaining(c, keptOf(i));

    ctx.log('retention (successor): re-appending the expired blobs for the baseline ...');
    for (const [i, c] of containers.entries())
      await appendAll(
        c,
        blobsOf(i).filter(
          (n) => classifySuccessorBlob(at(SUCCESSOR_SOURCES, i, 'successor sources'), n, POLICY, now).ok,
        ),
      );
    reset(counts);
    ctx.log('retention (successor): naive baseline ...');
    const baseline = await timed(async () => {
      let deleted = 0;
      let listed = 0;
      for (const [i, c] of containers.entries()) {
        const expired: string[] = [];
        for await (const blob of c.listBlobsFlat()) {
          listed++;
          if (classifySuccessorBlob(at(SUCCESSOR_SOURCES, i, 'successor sources'), blob.name, POLICY, now).ok)
            expired.push(blob.name);
        }
        await eachLimited(expired, BASELINE_CONCURRENCY, (name) => c.getBlobClient(name).delete());
        deleted += expired.length;
      }
      return { deleted, listed, requests: { ...counts } };
    });
    for (const [i, c] of containers.entries()) await expectRemaining(c, keptOf(i));

    const total = (r: RequestCounts) => r.list + r.batch + r.delete + r.other;
    const per = (n: number, d: number) => formatNumber(n / d);
    const describe = (r: RequestCounts) => `${r.list} list, ${r.batch} batch, ${r.delete} delete, ${r.other} other`;
    const kept = keptOf(0) + keptOf(1);
    return {
      title: `Retention sweep over successor containers: ${formatNumber(ours.deleted)} expired append blobs among ${formatNumber(kept)} kept (Azurite)`,
      columns: ['Measure', 'Sweep (ours)', 'Naive baseline', 'Ours / baseline'],
      rows: [
        [
          'HTTP requests per deleted blob',
          per(total(ours.requests), ours.deleted),
          per(total(baseline.requests), baseline.deleted),
          formatRatio(total(ours.requests) / ours.deleted, total(baseline.requests) / baseline.deleted),
        ],
        [
          'HTTP requests',
          describe(ours.requests),
          describe(baseline.requests),
          formatRatio(total(ours.requests), total(baseline.requests)),
        ],
        [
          'List requests',
          String(ours.requests.list),
          String(baseline.requests.list),
          formatRatio(ours.requests.list, baseline.requests.list),
        ],
        [
          'Blobs listed per deleted blob',
          per(ours.listed, ours.deleted),
          per(baseline.listed, baseline.deleted),
          formatRatio(ours.listed / ours.deleted, baseline.listed / baseline.deleted),
        ],
        ['Blobs deleted', formatNumber(ours.deleted), formatNumber(baseline.deleted), '-'],
        [
          'Seconds (Azurite, one process)',
          ours.seconds.toFixed(2),
          baseline.seconds.toFixed(2),
          formatRatio(ours.seconds, baseline.seconds),
        ],
      ],
      notes: [
        `Layout: insights-logs-apprequests with ${components} components × PT1H.json of 2024-02-28 to 03-02 (96 each); am-apprequests with ${workspaces} workspace(s) × PT05M.json of 03-01 and 03-02 (576 each). Cutoff 2024-03-01T10:30Z: inside a day, so ours lists that day's hours and, for data export, the 5-minute folders of the hour holding the cutoff.`,
        'List requests of ours: 9 resource-id levels per container (shared by the resources of a resource group), then per resource its folder, y=, m=03 and d=01 (plus h=10 for data export), and one flat listing per expired folder (m=02 whole, each expired hour of 03-01); none under kept folders. The baseline lists every blob of both containers.',
        'Every blob is an append blob (created, then appended to once); deletes are If-Match on the listed ETag, Blob Batch of up to 256 per container, 4 in flight.',
        'This is a first run over a backlog, where one flat listing per expired hour and resource dominates. An hourly run in steady state expires about one hour per resource: its folder, y=, m=, d= and that hour, about 5 list requests per resource (6 for data export). With this few kept blobs the baseline lists fewer pages; it lists every kept blob on every run, so its cost grows with what is kept.',
      ],
    };
  } finally {
    await azurite.stop();
  }
}

function successorLayout(
  components: number,
  workspaces: number,
): { diagnosticSettings: string[]; dataExport: string[] } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const folderOf = (at: Date) =>
    `y=${at.getUTCFullYear()}/m=${pad(at.getUTCMonth() + 1)}/d=${pad(at.getUTCDate())}/h=${pad(at.getUTCHours())}/m=${pad(at.getUTCMinutes())}`;
  const steps = (from: string, count: number, stepMs: number) =>
    Array.from({ length: count }, (_, i) => new Date(Date.parse(from) + i * stepMs));
  const diagnosticSettings = Array.from({ length: components }, (_, c) =>
    steps('2024-02-28T00:00:00Z', 4 * 24, 3_600_000).map(
      (at) =>
        `resourceId=/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-CB9272F09590/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/APP-${c}/${folderOf(at)}/PT1H.json`,
    ),
  ).flat();
  const dataExport = Array.from({ length: workspaces }, (_, w) =>
    steps('2024-03-01T00:00:00Z', 2 * 288, 300_000).map(
      (at) =>
        `WorkspaceResourceId=/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourcegroups/shop-rg/providers/microsoft.operationalinsights/workspaces/logs-${w}/${folderOf(at)}/PT05M.json`,
    ),
  ).flat();
  return { diagnosticSettings, dataExport };
}

async function appendAll(container: ContainerClient, names: readonly string[]): Promise<void> {
  const line = '{"time":"2024-03-01T00:00:00Z","Type":"AppRequests"}\n';
  await eachLimited(names, UPLOAD_CONCURRENCY, async (name) => {
    const blob = container.getAppendBlobClient(name);
    await blob.create();
    await blob.appendBlock(line, line.length);
  });
}

function layout(scale: number): { expired: string[]; kept: string[] } {
  const names = (firstDay: Date, days: number, hours: number, perHour: number) =>
    APPS.flatMap(([app, ikey]) =>
      TYPES.flatMap((type) =>
        Array.from({ length: days * hours * perHour }, (_, i) => {
          const day = Math.floor(i / (hours * perHour));
          const hour = Math.floor(i / perHour) % hours;
          const at = new Date(firstDay.getTime() + day * 86_400_000 + hour * 3_600_000);
          return exportBlobPath(app, ikey, type, at, `b${i % perHour}.blob`);
        }),
      ),
    );
  const perHour = 10 / scale;
  return {
    expired: names(new Date('2024-02-25T00:00:00Z'), 5, 20, perHour),
    kept: names(new Date('2024-03-01T00:00:00Z'), 25, 16, perHour),
  };
}

async function naiveSweep(container: ContainerClient): Promise<{ deleted: number; listed: number }> {
  let listed = 0;
  const expired: string[] = [];
  for await (const blob of container.listBlobsFlat()) {
    listed++;
    if (classifyBlob(blob.name, POLICY, NOW).ok) expired.push(blob.name);
  }
  await eachLimited(expired, BASELINE_CONCURRENCY, (name) =>
    container.getBlobClient(name).delete({ deleteSnapshots: 'include' }),
  );
  return { deleted: expired.length, listed };
}

function countingContainer(blobEndpoint: string, name: string, counts: RequestCounts): ContainerClient {
  // NOTE: a v1 factory rather than `additionalPolicies`: storage clients share one core pipeline, and
  // every client derived from it (getBlobClient, getBlobBatchClient) would add those again.
  const counter: RequestPolicyFactory = {
    create: (next) => ({
      sendRequest: (request) => {
        counts[kindOf(request.method, request.url)]++;
        return next.sendRequest(request);
      },
    }),
  };
  const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY));
  pipeline.factories.push(counter);
  return new ContainerClient(`${blobEndpoint}/${name}`, pipeline);
}

function kindOf(method: string, url: string): keyof RequestCounts {
  if (/[?&]comp=batch/.test(url)) return 'batch';
  if (/[?&]comp=list/.test(url)) return 'list';
  return method === 'DELETE' ? 'delete' : 'other';
}

/** Counts the blobs the sweep's listings return, at every level. */
function countingStore(store: RetentionStore): RetentionStore & { readonly listed: number } {
  let listed = 0;
  return {
    get listed() {
      return listed;
    },
    async *listLevel(prefix) {
      for await (const entry of store.listLevel(prefix)) {
        if (entry.kind === 'blob') listed++;
        yield entry;
      }
    },
    async *listBlobs(prefix) {
      for await (const blob of store.listBlobs(prefix)) {
        listed++;
        yield blob;
      }
    },
    deleteBlobs: (blobs) => store.deleteBlobs(blobs),
  };
}

async function upload(container: ContainerClient, names: readonly string[]): Promise<void> {
  await eachLimited(names, UPLOAD_CONCURRENCY, (name) => container.getBlockBlobClient(name).upload('x', 1));
}

async function expectRemaining(container: ContainerClient, expected: number): Promise<void> {
  let count = 0;
  for await (const page of container.listBlobsFlat().byPage({ maxPageSize: 5_000 }))
    count += page.segment.blobItems.length;
  if (count !== expected) throw new Error(`retention bench: expected ${expected} blobs to remain, found ${count}`);
}

async function timed<T>(work: () => Promise<T>): Promise<T & { seconds: number }> {
  const start = performance.now();
  const result = await work();
  return { ...result, seconds: (performance.now() - start) / 1000 };
}

function reset(counts: RequestCounts): void {
  counts.list = counts.batch = counts.delete = counts.other = 0;
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(at(items, next++, 'items'));
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
