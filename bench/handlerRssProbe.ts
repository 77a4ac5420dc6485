import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { InvocationContext } from '@azure/functions';

import { peakRssBytes } from './peakRss';
import { runAsProbe } from './runProbe';

/**
 * Child-process entry: one way of taking a whole blob into memory, in a fresh process so its peak
 * RSS is its own; prints one JSON line (`HandlerProbeReport`).
 *
 *   node dist/bench/handlerRssProbe.js <buffer|naive|handler> <file>
 *
 * - `buffer`: the Buffer the trigger hands over, held and nothing else (the floor of any handler);
 * - `naive`: the Buffer, then split and JSON.parse every row into one array, as a reader that parses
 *   a blob before evaluating any row would;
 * - `handler`: the Buffer through the real blob handler, no rules configured (it still reads and
 *   normalizes every row).
 */
export interface HandlerProbeReport {
  readonly variant: string;
  readonly bytes: number;
  readonly rows: number;
  readonly records: number;
  readonly ms: number;
  /** The kernel's high-water mark for this process (VmHWM; see peakRss.ts). */
  readonly maxRssBytes: number;
  /** `handler` only: RSS once the modules are loaded and a one-row blob went through, before the blob. */
  readonly warmRssBytes?: number;
  readonly error?: string;
}

const BLOB_NAME = 'bench_0f3c8a1e5b7d4c2a9e612d4b8f0a7c33/Requests/2024-03-05/13/bench.blob';

/** Settings of a deployment without rules: no rules table, so nothing but reading runs. */
const BENCH_ENV: Readonly<Record<string, string>> = {
  EXPORT_STORAGE: 'UseDevelopmentStorage=true',
  MAIL_TRANSPORT: 'outbox',
};

type Pass = (content: Buffer) => Promise<{ rows: number; records: number; warmRssBytes?: number }>;

const VARIANTS: Readonly<Record<string, Pass>> = {
  buffer: async () => ({ rows: 0, records: 0 }),
  naive: async (content) => {
    const parsed: unknown[] = [];
    for (const line of content.toString('utf8').split('\n')) if (line.trim() !== '') parsed.push(JSON.parse(line));
    return { rows: parsed.length, records: 0 };
  },
  handler: async (content) => {
    Object.assign(process.env, BENCH_ENV);
    // Loaded here, after the settings: the function module checks them when it loads.
    const { exportBlobHandler } = await import('../functions/exportBlobReceived');
    const { loadConfig } = await import('../shared/adapters/settings/config');
    const handler = exportBlobHandler({}, loadConfig(process.env));
    const contextFor = (bytes: number) =>
      new InvocationContext({
        functionName: 'exportBlobReceived',
        triggerMetadata: { name: BLOB_NAME, blobTrigger: `export/${BLOB_NAME}`, properties: { length: bytes } },
        logHandler: () => undefined,
      });
    const firstRow = content.subarray(0, content.indexOf(0x0a) + 1);
    await handler(firstRow, contextFor(firstRow.length));
    const warmRssBytes = process.memoryUsage().rss;
    const summary = await handler(content, contextFor(content.length));
    if (summary.status !== 'processed') throw new Error(`handler did not read the blob: ${summary.reason}`);
    return { rows: summary.rows, records: summary.records, warmRssBytes };
  },
};

async function probe(argv: readonly string[]): Promise<HandlerProbeReport> {
  const [variant = '', file = ''] = argv;
  const pass = VARIANTS[variant];
  if (!pass) throw new Error(`unknown variant '${variant}' (one of ${Object.keys(VARIANTS).join(', ')})`);
  const content = readFileSync(file);
  const started = performance.now();
  let result = { rows: 0, records: 0 };
  let error: string | undefined;
  try {
    result = await pass(content);
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  const report: HandlerProbeReport = {
    variant,
    bytes: content.length,
    ...result,
    ms: performance.now() - started,
    maxRssBytes: peakRssBytes(),
  };
  return error === undefined ? report : { ...report, error };
}

if (require.main === module) runAsProbe(probe);
