import { basename } from 'node:path';

import { ensureBenchBlob } from './benchData';
import type { ProbeReport } from './rssProbe';
import { runProbe } from './runProbe';
import { formatMiB, formatNumber, formatRatio, median } from './stats';
import type { BenchContext, BenchSection } from './types';

const SEED = 'bench-reader-1';
const SMALL_BYTES = 100 * 1024 ** 2;
const LARGE_BYTES = 1024 ** 3;
const WARMUPS = 1;
const RUNS = 3;
/** The bound for reading a 1 GiB blob. */
const RSS_TARGET_BYTES = 256 * 1024 ** 2;

interface Figures {
  readonly mbPerSecond: number;
  readonly rowsPerSecond: number;
  readonly recordsPerSecond: number;
  readonly rows: number;
  readonly records: number;
  readonly badRows: number;
  readonly peakRss: number;
  readonly error?: string;
}

function figures(report: ProbeReport): Figures {
  const first = report.runs[0];
  const seconds = median(report.runs.map((r) => r.ms)) / 1000;
  const base = {
    rows: first?.rows ?? 0,
    records: first?.records ?? 0,
    badRows: first?.badRows ?? 0,
    peakRss: report.maxRssBytes,
  };
  if (report.error !== undefined || !first) {
    return {
      ...base,
      mbPerSecond: Number.NaN,
      rowsPerSecond: Number.NaN,
      recordsPerSecond: Number.NaN,
      error: report.error ?? 'no runs',
    };
  }
  return {
    ...base,
    mbPerSecond: first.bytes / 1e6 / seconds,
    rowsPerSecond: first.rows / seconds,
    recordsPerSecond: first.records / seconds,
  };
}

const show = (f: Figures, value: number, format: (n: number) => string = formatNumber) =>
  f.error === undefined ? format(value) : `cannot: ${f.error}`;
const ratio = (ours: Figures, baseline: Figures, pick: (f: Figures) => number) =>
  ours.error === undefined && baseline.error === undefined ? formatRatio(pick(ours), pick(baseline)) : 'n/a';

/**
 * Reader + normalizer against the documentation's read-split-parse baseline on a generated
 * Requests blob: throughput on 100 MiB and peak RSS on 100 MiB and 1 GiB, each variant in a fresh
 * child process so neither pays for the other's garbage or JIT state.
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  const small = await ensureBenchBlob(ctx.dataDir, 'Requests', SMALL_BYTES, SEED, ctx.log);
  const timed = async (variant: string) => {
    ctx.log(`reader: ${variant} on ${basename(small.file)}, ${WARMUPS} warm-up + ${RUNS} runs ...`);
    return figures(await runProbe({ variant, file: small.file, type: small.type, warmups: WARMUPS, runs: RUNS }));
  };
  const ours = await timed('ours');
  const readerOnly = await timed('readerOnly');
  const baseline = await timed('baseline');

  const rows: string[][] = [
    [
      '100 MiB Requests blob: MB/s',
      show(ours, ours.mbPerSecond),
      show(baseline, baseline.mbPerSecond),
      ratio(ours, baseline, (f) => f.mbPerSecond),
    ],
    [
      '100 MiB Requests blob: rows/s',
      show(ours, ours.rowsPerSecond),
      show(baseline, baseline.rowsPerSecond),
      ratio(ours, baseline, (f) => f.rowsPerSecond),
    ],
    [
      '100 MiB Requests blob: records/s (ours normalizes, baseline does not)',
      show(ours, ours.recordsPerSecond),
      '-',
      '-',
    ],
    [
      '100 MiB Requests blob: MB/s, reader alone (no toRecords)',
      show(readerOnly, readerOnly.mbPerSecond),
      show(baseline, baseline.mbPerSecond),
      ratio(readerOnly, baseline, (f) => f.mbPerSecond),
    ],
    [
      '100 MiB Requests blob: peak RSS',
      formatMiB(ours.peakRss),
      formatMiB(baseline.peakRss),
      formatRatio(ours.peakRss, baseline.peakRss),
    ],
  ];
  const notes: string[] = [];

  if (ctx.quick) {
    notes.push('1 GiB runs skipped (--quick).');
  } else {
    const large = await ensureBenchBlob(ctx.dataDir, 'Requests', LARGE_BYTES, SEED, ctx.log);
    const once = async (variant: string) => {
      ctx.log(`reader: ${variant} on ${basename(large.file)}, 1 run ...`);
      return figures(await runProbe({ variant, file: large.file, type: large.type, warmups: 0, runs: 1 }));
    };
    const oursLarge = await once('ours');
    const baselineLarge = await once('baseline');
    const baselineRss =
      baselineLarge.error === undefined
        ? formatMiB(baselineLarge.peakRss)
        : `cannot: ${baselineLarge.error} (peak RSS ${formatMiB(baselineLarge.peakRss)} when it failed)`;
    const verdict =
      oursLarge.error === undefined
        ? oursLarge.peakRss < RSS_TARGET_BYTES
          ? ' (under the 256 MiB target)'
          : ' (OVER the 256 MiB target)'
        : '';
    rows.push(
      [
        '1 GiB Requests blob: peak RSS',
        `${show(oursLarge, oursLarge.peakRss, formatMiB)}${verdict}`,
        baselineRss,
        ratio(oursLarge, baselineLarge, (f) => f.peakRss),
      ],
      [
        '1 GiB Requests blob: MB/s (1 run)',
        show(oursLarge, oursLarge.mbPerSecond),
        show(baselineLarge, baselineLarge.mbPerSecond),
        ratio(oursLarge, baselineLarge, (f) => f.mbPerSecond),
      ],
    );
    notes.push(
      `1 GiB blob: ${large.rows.toLocaleString('en-US')} rows generated; ours read ${oursLarge.rows.toLocaleString('en-US')} rows, ${oursLarge.records.toLocaleString('en-US')} records, ${oursLarge.badRows} bad.`,
    );
  }

  notes.unshift(
    `Throughput: median of ${RUNS} runs after ${WARMUPS} warm-up, each variant in its own fresh process (dist/bench/rssProbe.js). MB = 10^6 bytes.`,
    'ours = `readExportRows(fs.createReadStream(file))` + `toRecords` per row; baseline = `readFileSync` → `toString` → `split("\\n")` → `JSON.parse` per non-blank line (the export documentation\'s sample).',
    "Peak RSS = the child process's peak resident set (VmHWM, which starts afresh at exec, unlike ru_maxrss), Node's own footprint (~40 MiB) included.",
    'ratio = ours ÷ baseline: above 1 is faster for MB/s and rows/s; below 1 is leaner for RSS.',
    `100 MiB blob: ${small.rows.toLocaleString('en-US')} rows (seed ${SEED}, ${basename(small.file)}); ours read ${ours.rows.toLocaleString('en-US')} rows → ${ours.records.toLocaleString('en-US')} records, ${ours.badRows} bad; baseline parsed ${baseline.rows.toLocaleString('en-US')} rows.`,
  );
  if (ours.rows !== baseline.rows)
    notes.push(
      `WARNING: row counts differ (ours ${ours.rows}, baseline ${baseline.rows}); the comparison is not like for like.`,
    );
  return {
    title: 'Reader + normalizer vs read-split-parse baseline',
    columns: ['measurement', 'ours', 'baseline', 'ratio'],
    rows,
    notes,
  };
}
