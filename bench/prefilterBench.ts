import { basename } from 'node:path';

import { ensureBenchBlob } from './benchData';
import {
  type PrefilterProbeReport,
  type PrefilterVariant,
  queriesOf,
  type RawFormat,
  type RuleSetName,
  runPrefilterProbe,
} from './prefilterProbe';
import { formatMiB, formatNumber, formatRatio, median } from './stats';
import { ensureSuccessorBenchBlob } from './successorBenchData';
import type { BenchContext, BenchSection } from './types';

const BYTES = 100 * 1024 ** 2;
const CE_SEED = 'bench-reader-1';
const WS_SEED = 'bench-successor-1';
const WARMUPS = 1;
/** Every variant once per round, each in a fresh process, rounds interleaved; figures are medians. */
const ROUNDS = 3;
/** `on` within this share of `off` counts as "no slower": the rounds of one variant spread about this much. */
const NOISE = 0.05;

interface Variant {
  readonly key: string;
  readonly variant: PrefilterVariant;
  readonly format: RawFormat;
  readonly ruleSet: RuleSetName;
  readonly prefilter: boolean;
}

interface Figures {
  readonly mbPerSecond: number;
  readonly parsedPerSeen: number;
  readonly peakRssBytes: number;
  readonly matches: readonly number[];
  readonly lineHashes: readonly number[];
  readonly rowsSeen: number;
  readonly filtered: boolean;
  readonly prefilterBuilt: boolean;
  readonly needles: number;
  readonly error?: string;
}

const SELECTIVE: readonly RuleSetName[] = ['selective-1', 'selective-10', 'selective-100'];
const WORKLOADS: readonly RuleSetName[] = [...SELECTIVE, 'today-100'];
const FORMATS: readonly RawFormat[] = ['continuousExport', 'workspace'];

function variants(): Variant[] {
  const list: Variant[] = [];
  for (const format of FORMATS) {
    list.push({ key: `${format}/baseline`, variant: 'baseline', format, ruleSet: 'selective-1', prefilter: false });
    for (const ruleSet of WORKLOADS) {
      for (const prefilter of [true, false])
        list.push({
          key: `${format}/${ruleSet}/${prefilter ? 'on' : 'off'}`,
          variant: 'ours',
          format,
          ruleSet,
          prefilter,
        });
    }
  }
  list.push({
    key: 'function/baseline',
    variant: 'memoryBaseline',
    format: 'continuousExport',
    ruleSet: 'selective-10',
    prefilter: false,
  });
  for (const prefilter of [true, false])
    list.push({
      key: `function/${prefilter ? 'on' : 'off'}`,
      variant: 'function',
      format: 'continuousExport',
      ruleSet: 'selective-10',
      prefilter,
    });
  return list;
}

function figuresOf(reports: readonly PrefilterProbeReport[]): Figures {
  const failed = reports.find((r) => r.error !== undefined || r.runs.length === 0);
  const first = reports[0];
  const pass = first?.runs[0];
  if (failed || !first || !pass) {
    return {
      mbPerSecond: Number.NaN,
      parsedPerSeen: Number.NaN,
      peakRssBytes: Number.NaN,
      matches: [],
      lineHashes: [],
      rowsSeen: 0,
      filtered: false,
      prefilterBuilt: false,
      needles: 0,
      error: failed?.error ?? 'no runs',
    };
  }
  const seconds = median(reports.flatMap((r) => r.runs.map((run) => run.ms))) / 1000;
  return {
    mbPerSecond: pass.bytes / 1e6 / seconds,
    parsedPerSeen: pass.rowsParsed / pass.rowsSeen,
    peakRssBytes: median(reports.map((r) => r.peakRssBytes)),
    matches: pass.matches,
    lineHashes: pass.lineHashes,
    rowsSeen: pass.rowsSeen,
    filtered: pass.filtered,
    prefilterBuilt: first.prefilterBuilt,
    needles: first.needles,
  };
}

const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether the prefilter changed any rule's matches: counts, and where known the hash of matched lines. */
function check(on: Figures, off: Figures): string {
  if (on.error !== undefined || off.error !== undefined) return 'cannot';
  const differing = on.matches
    .map((m, i) => (m === off.matches[i] && on.lineHashes[i] === off.lineHashes[i] ? 0 : i + 1))
    .filter((i) => i > 0);
  if (on.matches.length !== off.matches.length || differing.length > 0)
    return `WARNING: rule(s) ${differing.join(', ')} differ on vs off`;
  return `same ${on.matches.length} rule counts${on.lineHashes.length > 0 ? ' and matched lines' : ''} on and off`;
}

const show = (f: Figures) => (f.error === undefined ? formatNumber(f.mbPerSecond) : `cannot: ${f.error}`);
const ratio = (f: Figures, base: Figures) => formatRatio(f.mbPerSecond, base.mbPerSecond);
const parsed = (f: Figures) => (Number.isFinite(f.parsedPerSeen) ? `${(100 * f.parsedPerSeen).toFixed(2)}%` : 'n/a');
const rss = (f: Figures) => (Number.isFinite(f.peakRssBytes) ? formatMiB(f.peakRssBytes) : 'n/a');
const LABEL: Record<RuleSetName, string> = {
  'selective-1': '1 selective rule',
  'selective-10': '10 selective rules',
  'selective-100': '100 selective rules',
  'today-100': "today's 100-rule bench set",
};
const FORMAT_LABEL: Record<RawFormat, string> = { continuousExport: 'CE', workspace: 'diag. settings' };
const TARGETS: Record<RuleSetName, readonly [number, number]> = {
  'selective-1': [4, 8],
  'selective-10': [4, 6],
  'selective-100': [2, 4],
  'today-100': [0.7, 0.7],
};

/**
 * The raw-byte prefilter (issue 12 §5): selective rule sets and today's bench rules on a 100 MiB
 * Continuous Export Requests blob and a 100 MiB diagnostic-settings AppRequests blob, each with the
 * prefilter on and off, and the function path (processExportBlob on an in-memory blob), against the
 * naive read-split-parse baseline with one hand-written predicate, measured in the same run.
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  const ce = await ensureBenchBlob(ctx.dataDir, 'Requests', BYTES, CE_SEED, ctx.log);
  const ws = await ensureSuccessorBenchBlob(ctx.dataDir, 'AppRequests', BYTES, WS_SEED, ctx.log);
  const fileOf = (format: RawFormat) => (format === 'continuousExport' ? ce.file : ws.file);
  const list = variants();
  const reports = new Map<string, PrefilterProbeReport[]>(list.map((v) => [v.key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of list) {
      ctx.log(`prefilter: round ${round + 1}/${ROUNDS}, ${v.key} ...`);
      const report = await runPrefilterProbe({ ...v, file: fileOf(v.format), warmups: WARMUPS, runs: 1 });
      if (report.error !== undefined) ctx.log(`  failed: ${report.error}`);
      reports.get(v.key)?.push(report);
    }
  }
  const fig = new Map<string, Figures>([...reports].map(([key, r]) => [key, figuresOf(r)]));
  const get = (key: string) => fig.get(key) ?? figuresOf([]);

  const rows: string[][] = [];
  const targets: string[][] = [];
  const notes: string[] = [];
  for (const format of FORMATS) {
    const base = get(`${format}/baseline`);
    rows.push([
      `${FORMAT_LABEL[format]}: baseline (read whole, split, JSON.parse, 1 predicate)`,
      show(base),
      '1.00×',
      parsed(base),
      rss(base),
      `kept ${base.matches[0] ?? 'n/a'} rows`,
    ]);
    for (const ruleSet of WORKLOADS) {
      const on = get(`${format}/${ruleSet}/on`);
      const off = get(`${format}/${ruleSet}/off`);
      const built = on.prefilterBuilt
        ? `${on.needles} needles${on.filtered ? '' : ', adaptive check gave up'}`
        : 'no prefilter: some rule has no needle';
      rows.push([
        `${FORMAT_LABEL[format]}: ${LABEL[ruleSet]}, prefilter on (${built})`,
        show(on),
        ratio(on, base),
        parsed(on),
        rss(on),
        check(on, off),
      ]);
      rows.push([
        `${FORMAT_LABEL[format]}: ${LABEL[ruleSet]}, prefilter off`,
        show(off),
        ratio(off, base),
        parsed(off),
        rss(off),
        '-',
      ]);
      const [target, stretch] = TARGETS[ruleSet];
      const r = on.mbPerSecond / base.mbPerSecond;
      if (ruleSet === 'today-100') {
        const vsToday = on.mbPerSecond / off.mbPerSecond;
        targets.push([
          `${FORMAT_LABEL[format]}: ${LABEL[ruleSet]} no slower than today (on ÷ off ≥ ${1 - NOISE})`,
          met(vsToday >= 1 - NOISE),
          formatRatio(on.mbPerSecond, off.mbPerSecond),
        ]);
        targets.push([
          `${FORMAT_LABEL[format]}: ${LABEL[ruleSet]} ≥ ${target}× the baseline`,
          met(r >= target),
          formatRatio(on.mbPerSecond, base.mbPerSecond),
        ]);
      } else {
        targets.push([
          `${FORMAT_LABEL[format]}: ${LABEL[ruleSet]} ≥ ${target}× (stretch ${stretch}×)`,
          r >= stretch ? 'met, stretch too' : met(r >= target),
          ratio(on, base),
        ]);
      }
    }
  }
  const fBase = get('function/baseline');
  const fOn = get('function/on');
  const fOff = get('function/off');
  rows.push([
    'function path: baseline on the Buffer in memory (split, JSON.parse, 1 predicate)',
    show(fBase),
    '1.00×',
    parsed(fBase),
    rss(fBase),
    '-',
  ]);
  rows.push([
    'function path: processExportBlob, 10 selective rules, 4 MiB chunks, prefilter on',
    show(fOn),
    ratio(fOn, fBase),
    parsed(fOn),
    rss(fOn),
    check(fOn, fOff),
  ]);
  rows.push(['function path: the same, prefilter off', show(fOff), ratio(fOff, fBase), parsed(fOff), rss(fOff), '-']);
  targets.push([
    'function path, 10 selective rules ≥ 3×',
    met(fOn.mbPerSecond / fBase.mbPerSecond >= 3),
    ratio(fOn, fBase),
  ]);
  const reader = get('continuousExport/selective-10/off');
  if (fOff.error === undefined && reader.error === undefined && !sameList(fOff.matches, reader.matches)) {
    notes.push("WARNING: the function path's per-rule counts differ from the reader's for the same 10 rules.");
  }

  notes.unshift(
    `MB/s: median of ${ROUNDS} rounds; each round runs every variant in turn, each in a fresh process (dist/bench/prefilterProbe.js) with ${WARMUPS} warm-up pass before the timed one; MB = 10^6 bytes; ratio = ÷ the baseline of the same blob in the same run. Peak RSS: the probe process's VmHWM (median).`,
    `Blobs: ${basename(ce.file)} (${ce.rows.toLocaleString('en-US')} rows, Continuous Export Requests) and ${basename(ws.file)} (${ws.rows.toLocaleString('en-US')} rows, diagnostic-settings AppRequests from scripts/generator/successorBlob.ts). Baseline predicates: \`request[0].responseCode >= 500\` (CE), \`Number(ResultCode) >= 500\` (workspace).`,
    'Ours: readExportRecords / readWorkspaceRecords on fs.createReadStream with `filter: rowPrefilterOf(queries, format)` (on) or none (off), every compiled rule on every record. Check: per-rule match counts and an order-free hash of the matched line numbers, prefilter on vs off. Function path: processExportBlob with rulesFor returning the compiled AlertRules, no delivery (matches counted), content a 100 MiB Buffer handed over in 4 MiB chunks; its check compares summary.matches.',
    "Selective rules: bench/prefilterRules.ts (1 = its first rule, 10 = its first ten, 100 = all). Today's set: benchRuleQueries(100) of bench/rulesVariants.ts.",
    ...shareNotes(get('continuousExport/selective-100/off'), get('workspace/selective-100/off')),
  );
  rows.push(
    ...targets.map(([what, verdict, figure]) => [`target: ${what}`, verdict ?? '', figure ?? '', '-', '-', '-']),
  );
  return {
    title: 'Raw-byte prefilter: selective rules vs naive baseline (issue 12 §5)',
    columns: ['measurement', 'MB/s', 'ratio', 'rows parsed / seen', 'peak RSS', 'check'],
    rows,
    notes,
  };
}

const met = (yes: boolean) => (yes ? 'met' : 'NOT met');

/** Each selective rule's share of records on both blobs, and how many exceed 1% or match nothing. */
function shareNotes(ce: Figures, ws: Figures): string[] {
  if (ce.error !== undefined || ws.error !== undefined) return ['Rule shares: could not be measured.'];
  const queries = queriesOf('selective-100');
  const pct = (m: number | undefined, of: number) => `${((100 * (m ?? 0)) / of).toFixed(3)}%`;
  const over = queries.filter(
    (_, i) => (ce.matches[i] ?? 0) / ce.rowsSeen >= 0.01 || (ws.matches[i] ?? 0) / ws.rowsSeen >= 0.01,
  ).length;
  const none = queries.filter((_, i) => (ce.matches[i] ?? 0) === 0 && (ws.matches[i] ?? 0) === 0).length;
  return [
    `Selective rules' shares of records (CE / diag. settings): ${over === 0 ? 'every rule under 1% on both blobs' : `WARNING: ${over} rule(s) at 1% or more`}; ${none} match nothing on either.`,
    queries
      .map(
        (q, i) =>
          `${i + 1}. \`${q.replace(/^requests \| where /, '')}\` ${pct(ce.matches[i], ce.rowsSeen)} / ${pct(ws.matches[i], ws.rowsSeen)}`,
      )
      .join('; '),
  ];
}
