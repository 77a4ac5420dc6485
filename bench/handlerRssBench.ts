import { join } from 'node:path';

import { ensureBenchBlob } from './benchData';
import type { HandlerProbeReport } from './handlerRssProbe';
import { forkJsonProbe } from './runProbe';
import { formatMiB, formatNumber } from './stats';
import type { BenchContext, BenchSection } from './types';

const SEED = 'bench-handler-1';
const MiB = 1024 ** 2;
const SIZES = [10 * MiB, 100 * MiB, 250 * MiB];
/** The memory of one Consumption-plan instance, the limit a blob must stay under. */
const CONSUMPTION_BYTES = 1536 * MiB;

function runHandlerProbe(variant: string, file: string): Promise<HandlerProbeReport> {
  return forkJsonProbe<HandlerProbeReport>(join(__dirname, 'handlerRssProbe.js'), [variant, file], (error) => ({
    variant,
    bytes: Number.NaN,
    rows: 0,
    records: 0,
    ms: Number.NaN,
    maxRssBytes: Number.NaN,
    error,
  }));
}

const rss = (report: HandlerProbeReport): string =>
  report.error === undefined ? formatMiB(report.maxRssBytes) : `cannot: ${report.error}`;

/**
 * Peak RSS of the blob trigger's handler on generated Requests blobs of 10, 100 and 250 MiB against
 * two baselines measured in the same run: holding the trigger's Buffer alone, and parsing every row
 * of it into one array before evaluating any. Each in its own fresh process (dist/bench/handlerRssProbe.js).
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const size of ctx.quick ? SIZES.slice(0, 2) : SIZES) {
    const blob = await ensureBenchBlob(ctx.dataDir, 'Requests', size, SEED, ctx.log);
    ctx.log(`handler RSS: ${formatMiB(blob.bytes)} blob: buffer, handler, naive ...`);
    const buffer = await runHandlerProbe('buffer', blob.file);
    const handler = await runHandlerProbe('handler', blob.file);
    const naive = await runHandlerProbe('naive', blob.file);
    const overBuffer =
      handler.error === undefined && buffer.error === undefined
        ? formatMiB(handler.maxRssBytes - buffer.maxRssBytes)
        : 'n/a';
    rows.push([
      `${formatMiB(blob.bytes)} Requests blob, ${blob.rows.toLocaleString('en-US')} rows`,
      rss(buffer),
      rss(handler),
      handler.warmRssBytes === undefined ? 'n/a' : formatMiB(handler.warmRssBytes),
      overBuffer,
      rss(naive),
      handler.error === undefined ? `${formatNumber(handler.ms / 1000)} s` : 'n/a',
    ]);
    if (handler.error === undefined && handler.rows !== blob.rows) {
      notes.push(`WARNING: ${formatMiB(blob.bytes)}: the handler read ${handler.rows} rows of ${blob.rows}.`);
    }
  }
  if (ctx.quick) notes.push('250 MiB run skipped (--quick).');
  notes.unshift(
    "Peak RSS = the child process's peak resident set (VmHWM, which starts afresh at exec, unlike ru_maxrss), Node's own footprint included; each cell is one fresh process.",
    'buffer = `readFileSync(file)` held, nothing else: what the Functions host hands the trigger, the floor of any handler that takes a Buffer.',
    "handler = the same Buffer through `exportBlobHandler` (functions/exportBlobReceived.ts) with no rules configured: 256 KiB zero-copy slices, every row read and normalized. handler warm = RSS with the Buffer held, the app's modules loaded and a one-row blob handled, just before the blob. handler − buffer = what the modules and reading cost on top of the Buffer.",
    'naive = the Buffer, `toString`, `split("\\n")`, `JSON.parse` of every row into one array: a reader that parses the blob before evaluating any row.',
    `Blobs over EXPORT_MAX_BLOB_BYTES (default 256 MiB) are refused unread; a Consumption instance has ${formatMiB(CONSUMPTION_BYTES)}.`,
  );
  return {
    title: 'Blob handler peak RSS by blob size',
    columns: [
      'blob',
      'buffer alone',
      'handler',
      'handler warm, before the blob',
      'handler − buffer',
      'naive parse-all',
      'handler time',
    ],
    rows,
    notes,
  };
}
