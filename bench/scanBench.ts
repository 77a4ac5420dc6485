import { performance } from 'node:perf_hooks';

import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { startAzurite } from '../local/azurite';
import { BlobAppendSource } from '../shared/adapters/storage/blobAppendSource';
import { TableCursorStore } from '../shared/adapters/storage/tableCursorStore';
import { type AppendBlobSource, scanAppendBlobs, type ScanDeps } from '../shared/core/cursors/scanAppendBlobs';
import { at } from '../shared/core/defined';
import { silentLogger } from '../shared/core/logger';
import { formatNumber, formatRatio } from './stats';
import type { BenchContext, BenchSection } from './types';

const APPENDS = 60;
const ROWS_PER_APPEND = 200;
const RESOURCES = 20;
const CONTAINER = 'insights-logs-apprequests';

function row(n: number, at: number, resource: string): string {
  return `${JSON.stringify({ time: new Date(at).toISOString(), resourceId: resource, Type: 'AppRequests', Id: `r${n}`, Name: 'GET /api/orders', ResultCode: n % 50 === 0 ? '500' : '200', Success: n % 50 !== 0, DurationMs: 12.5, ItemCount: 1, Properties: { tenant: 'acme' } })}\n`;
}

function hourPath(resource: string, at: number): string {
  const d = new Date(at);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `resourceId=${resource}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1)}/d=${pad(d.getUTCDate())}/h=${pad(d.getUTCHours())}/m=00/PT1H.json`;
}

/**
 * The append-blob scanner on Azurite: bytes downloaded per byte appended (cursors read each byte once;
 * re-reading the whole blob on every change, as the polling blob trigger would, grows with the square
 * of the appends), list requests per scan against the active blobs, and the time from an append to
 * its range being read and evaluated.
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  const azurite = await startAzurite();
  try {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    await service.getContainerClient(CONTAINER).create();
    const single = await scenario(azurite.connectionString, service, 'one', 1, ctx);
    const many = await scenario(azurite.connectionString, service, 'many', RESOURCES, ctx);
    const steady = many.listPerScan.slice(1);
    return {
      title: `Append-blob scanner: ${APPENDS} appends to one blob, and ${APPENDS} over ${RESOURCES} blobs (Azurite)`,
      columns: ['measurement', 'ours (cursors)', 'baseline (re-read whole blob on each change)', 'ratio'],
      rows: [
        [
          `bytes downloaded per byte appended, one blob appended ${APPENDS} times`,
          single.perByte.toFixed(3),
          single.baselinePerByte.toFixed(2),
          formatRatio(single.perByte, single.baselinePerByte),
        ],
        [
          `bytes downloaded per byte appended, ${RESOURCES} blobs`,
          many.perByte.toFixed(3),
          many.baselinePerByte.toFixed(2),
          formatRatio(many.perByte, many.baselinePerByte),
        ],
        [
          'lines read / lines appended (both runs)',
          `${formatNumber(single.lines + many.lines)} / ${formatNumber(single.appendedLines + many.appendedLines)}`,
          '-',
          '-',
        ],
        [
          `list requests per scan, ${RESOURCES} active blobs (first scan walks the folders)`,
          `${many.listPerScan[0]} first, ${Math.min(...steady)}–${Math.max(...steady)} after`,
          '-',
          '-',
        ],
        [
          'list requests per scan, 1 active blob',
          `${single.listPerScan[0]} first, ${Math.min(...single.listPerScan.slice(1))}–${Math.max(...single.listPerScan.slice(1))} after`,
          '-',
          '-',
        ],
        ['append to range read and evaluated, one scan, median ms (20 blobs)', many.medianMs.toFixed(0), '-', '-'],
      ],
      notes: [
        `Each append is ${ROWS_PER_APPEND} AppRequests rows (~${Math.round(single.appended / APPENDS / 1024)} KiB) to a PT1H.json append blob, followed by one scan; with ${RESOURCES} blobs they take turns.`,
        "Downloaded bytes are the ranged reads' bytes as the scanner receives them; the baseline is what the polling blob trigger hands a function: the whole blob, each time its ETag changes, so it grows with the square of the appends.",
        "List requests per scan: two per resource folder (the current and previous hour) once the container's folders are known (walked again every ten minutes). In Azure the scanner timer adds its schedule (EXPORT_SCAN_SCHEDULE, default every minute) to the latency; locally the poll interval.",
      ],
    };
  } finally {
    await azurite.stop();
  }
}

interface ScenarioFigures {
  readonly perByte: number;
  readonly baselinePerByte: number;
  readonly appended: number;
  readonly lines: number;
  readonly appendedLines: number;
  readonly listPerScan: readonly number[];
  readonly medianMs: number;
}

async function scenario(
  connection: string,
  service: BlobServiceClient,
  tag: string,
  resourceCount: number,
  ctx: BenchContext,
): Promise<ScenarioFigures> {
  const now = Date.now();
  const resources = Array.from(
    { length: resourceCount },
    (_, i) => `/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG-${tag}/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/APP-${i}`,
  );
  const blobs = resources.map((r) => service.getContainerClient(CONTAINER).getAppendBlobClient(hourPath(r, now)));
  for (const blob of blobs) await blob.create();
  const blobSource = new BlobAppendSource(service);
  let downloaded = 0;
  // Every byte the scanner downloads passes through read(): counted there.
  const source: AppendBlobSource = {
    list: (container, at, open) => blobSource.list(container, at, open),
    read: async function* (container, name, offset, count) {
      for await (const chunk of blobSource.read(container, name, offset, count)) {
        downloaded += chunk.length;
        yield chunk;
      }
    },
  };
  const store = new TableCursorStore(
    TableClient.fromConnectionString(connection, `BenchCursors${tag}`, { allowInsecureConnection: true }),
  );
  let lines = 0;
  const mine = new Set(blobs.map((b) => b.name));
  const deps: ScanDeps = {
    containers: [CONTAINER],
    source,
    store,
    process: async (range) => {
      for await (const chunk of range.content) if (mine.has(range.blob.name)) lines += countNewlines(chunk);
      return { ok: true, records: 0, emails: 0 };
    },
    growsUntil: (blob) => (mine.has(blob.name) ? now + 3 * 60 * 60_000 : undefined),
    now: Date.now,
    owner: 'bench',
    leaseMs: 300_000,
    maxRangeBytes: 64 * 1024 * 1024,
    maxLineBytes: 4 * 1024 * 1024,
    budgetMs: 600_000,
    logger: silentLogger,
  };
  let appended = 0;
  let baseline = 0;
  let n = 0;
  const listPerScan: number[] = [];
  const latencies: number[] = [];
  for (let a = 0; a < APPENDS; a++) {
    const blob = blobs[a % blobs.length];
    if (!blob) continue;
    const text = Array.from({ length: ROWS_PER_APPEND }, () =>
      row(++n, now, at(resources, a % resources.length, 'resources')),
    ).join('');
    await blob.appendBlock(text, Buffer.byteLength(text));
    appended += Buffer.byteLength(text);
    // The baseline re-reads the blob that changed, whole: its length so far.
    baseline += (await blob.getProperties()).contentLength ?? 0;
    const listsBefore = blobSource.listRequests;
    const started = performance.now();
    await scanAppendBlobs(deps);
    latencies.push(performance.now() - started);
    listPerScan.push(blobSource.listRequests - listsBefore);
  }
  ctx.log(
    `scan ${tag}: ${APPENDS} appends, ${appended} bytes appended, ${downloaded} bytes downloaded, ${lines} lines read`,
  );
  return {
    perByte: downloaded / appended,
    baselinePerByte: baseline / appended,
    appended,
    lines,
    appendedLines: n,
    listPerScan,
    medianMs: [...latencies].sort((x, y) => x - y)[Math.floor(latencies.length / 2)] ?? 0,
  };
}

function countNewlines(bytes: Uint8Array): number {
  let c = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) c++;
  return c;
}
