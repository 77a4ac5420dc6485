import { basename } from 'node:path';

import { at } from '../shared/core/defined';
import { ensureBenchBlob } from './benchData';
import { FUSED_RULE_COUNT } from './fusedRules';
import { type RulesProbeReport, runRulesProbe } from './rulesProbe';
import { benchRuleQueries, type InMemoryFigures } from './rulesVariants';
import { formatNumber, formatRatio, median } from './stats';
import type { BenchContext, BenchSection } from './types';

// The reader section's blob, so both sections measure the same bytes and share bench/.data.
const SEED = 'bench-reader-1';
const BYTES = 100 * 1024 ** 2;
const RULE_COUNTS = [1, 10, 100] as const;
const WARMUPS = 1;
/**
 * Each round runs every variant once, each in a fresh process; a variant's figure is its median over
 * the rounds. Interleaving keeps the ratios honest on a machine whose speed drifts during the section.
 */
const ROUNDS = 3;

interface Throughput {
  readonly mbPerSecond: number;
  readonly rows: number;
  readonly records: number;
  readonly matches: readonly number[];
  readonly error?: string;
}

function throughput(reports: readonly RulesProbeReport[]): Throughput {
  const failed = reports.find((report) => report.error !== undefined || report.runs.length === 0);
  const first = reports[0]?.runs[0];
  if (failed || !first)
    return { mbPerSecond: Number.NaN, rows: 0, records: 0, matches: [], error: failed?.error ?? 'no runs' };
  const seconds = median(reports.flatMap((report) => report.runs.map((r) => r.ms))) / 1000;
  return { mbPerSecond: first.bytes / 1e6 / seconds, rows: first.rows, records: first.records, matches: first.matches };
}

/** Median of each in-memory figure over the measured runs. */
function inMemoryMedians(report: RulesProbeReport): InMemoryFigures | undefined {
  const figures = report.runs.map((r) => r.inMemory).filter((f): f is InMemoryFigures => f !== undefined);
  const first = figures[0];
  if (!first) return undefined;
  const nsPerRulePerRecord: Record<string, number> = {};
  for (const n of Object.keys(first.nsPerRulePerRecord))
    nsPerRulePerRecord[n] = median(figures.map((f) => f.nsPerRulePerRecord[n] ?? Number.NaN));
  return {
    toRecordsNsPerRow: median(figures.map((f) => f.toRecordsNsPerRow)),
    nsPerRulePerRecord,
    nsPerRecordByRule: first.nsPerRecordByRule.map((_, i) =>
      median(figures.map((f) => f.nsPerRecordByRule[i] ?? Number.NaN)),
    ),
  };
}

const show = (t: Throughput) => (t.error === undefined ? formatNumber(t.mbPerSecond) : `cannot: ${t.error}`);
const share = (matched: number, of: number) => `${((100 * matched) / of).toFixed(2)}%`;
const condition = (query: string) => `\`${query.replace(/^requests \| where /, '')}\``;

/**
 * Alert-rule evaluation throughput on the generated 100 MiB Requests blob (issue 3 §6): ours (streaming
 * reader, toRecords, N compiled rules on every record) for 0, 1, 10 and 100 rules, and the 100 rules
 * hand-fused over the parsed row as a bound, against the reader issue's naive baseline with one
 * hand-written predicate, each in a fresh child process; then the per-record costs measured on
 * records held in memory, without I/O.
 */
export async function run(ctx: BenchContext): Promise<BenchSection> {
  const blob = await ensureBenchBlob(ctx.dataDir, 'Requests', BYTES, SEED, ctx.log);
  const probe = (variant: string, ruleCount: number, runs: number) => {
    ctx.log(
      `rules: ${variant} with ${ruleCount} rule(s) on ${basename(blob.file)}, ${WARMUPS} warm-up + ${runs} run(s) ...`,
    );
    return runRulesProbe({ variant, file: blob.file, type: blob.type, ruleCount, warmups: WARMUPS, runs });
  };
  // 0 rules is the reader and normalizer alone: the most any rule evaluator could reach on them.
  const variants = [
    { variant: 'baseline', ruleCount: 1 },
    { variant: 'fused', ruleCount: FUSED_RULE_COUNT },
    ...[0, ...RULE_COUNTS].map((ruleCount) => ({ variant: 'ours', ruleCount })),
  ];
  const reports = variants.map((): RulesProbeReport[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { variant, ruleCount }] of variants.entries()) reports[i]?.push(await probe(variant, ruleCount, 1));
  }
  const throughputs = reports.map(throughput);
  const baseline = at(throughputs, 0, 'throughputs');
  const fused = at(throughputs, 1, 'throughputs');
  const ceiling = at(throughputs, 2, 'throughputs');
  const measured = throughputs.slice(3);
  const ours = new Map<number, Throughput>(RULE_COUNTS.map((n, i) => [n, at(measured, i, 'throughputs')]));
  const inMemoryReport = await probe('inMemory', Math.max(...RULE_COUNTS), ROUNDS);
  const inMemory = inMemoryMedians(inMemoryReport);

  const rows: string[][] = [
    ['baseline: read whole, split, JSON.parse, 1 hand-written predicate', show(baseline), '1.00×'],
    [
      'ours: stream, toRecords, no rules (ceiling for any rule evaluator)',
      show(ceiling),
      formatRatio(ceiling.mbPerSecond, baseline.mbPerSecond),
    ],
  ];
  for (const [n, t] of ours)
    rows.push([
      `ours: stream, toRecords, ${n} compiled rule${n === 1 ? '' : 's'}`,
      show(t),
      formatRatio(t.mbPerSecond, baseline.mbPerSecond),
    ]);
  const hundred = ours.get(100);
  const met =
    hundred !== undefined &&
    hundred.error === undefined &&
    baseline.error === undefined &&
    hundred.mbPerSecond >= baseline.mbPerSecond;
  rows.push([
    'target: 100 rules no slower than the baseline',
    met ? 'met' : 'NOT met',
    hundred ? formatRatio(hundred.mbPerSecond, baseline.mbPerSecond) : 'n/a',
  ]);
  rows.push([
    'bound: the 100 rules hand-fused on the parsed row, no toRecords (bench/fusedRules.ts)',
    show(fused),
    formatRatio(fused.mbPerSecond, baseline.mbPerSecond),
  ]);
  if (inMemory) {
    for (const [n, ns] of Object.entries(inMemory.nsPerRulePerRecord))
      rows.push([`no I/O: ns per rule per record, ${n} rule${n === '1' ? '' : 's'}`, formatNumber(ns), '-']);
    rows.push(['no I/O: toRecords, µs per row', formatNumber(inMemory.toRecordsNsPerRow / 1000), '-']);
  } else {
    rows.push(['no I/O figures', `cannot: ${inMemoryReport.error ?? 'no runs'}`, '-']);
  }

  const queries = benchRuleQueries(Math.max(...RULE_COUNTS));
  const notes = [
    `MB/s: median of ${ROUNDS} rounds; each round runs every variant in turn, each in a fresh process (dist/bench/rulesProbe.js) with ${WARMUPS} warm-up pass before the timed one; MB = 10^6 bytes; ratio = ÷ baseline, above 1 is faster.`,
    `Blob: ${basename(blob.file)}, ${blob.rows.toLocaleString('en-US')} rows (the reader section's). Baseline predicate: \`row.request[0].responseCode >= 500\` on the raw row; ours: \`readExportRows(fs.createReadStream(file))\` → \`toRecords\` → every \`compileQuery(rule).predicate\` on every record.`,
    `Rules: 15 templates × 7 literal variants (bench/rulesVariants.ts); rule 1 is ${condition(queries[0] ?? '')}, rules 1–10 are the first variant of templates 1–10, rules 1–100 add variants.`,
    'The no-rules row runs the same reader and normalizer with nothing to evaluate: no rule evaluator can make 100 rules faster than it, so the target needs it well above 1.00×.',
    'The bound row is the 100 rules written by hand as one function over the parsed row, each column read once, with our reader: what an ideal engine could emit for this rule set. ' +
      fusedCheck(fused, ours.get(FUSED_RULE_COUNT)),
    ...matchNotes(baseline, ours, queries),
  ];
  if (inMemory) notes.push(costNotes(inMemory, queries));
  return {
    title: 'Alert rule evaluation vs naive baseline with one predicate',
    columns: ['measurement', 'MB/s or cost', 'ratio'],
    rows,
    notes,
  };
}

/** Whether the hand-fused rules kept the same records as the compiled ones, rule by rule. */
function fusedCheck(fused: Throughput, compiled: Throughput | undefined): string {
  if (fused.error !== undefined || !compiled || compiled.error !== undefined) return 'Its counts could not be checked.';
  const differing = compiled.matches.map((m, i) => (fused.matches[i] === m ? -1 : i + 1)).filter((rule) => rule > 0);
  return differing.length === 0
    ? `Its match counts equal the compiled rules' for all ${compiled.matches.length} rules.`
    : `WARNING: its match counts differ from the compiled rules' for rule(s) ${differing.join(', ')}.`;
}

function matchNotes(baseline: Throughput, ours: ReadonlyMap<number, Throughput>, queries: readonly string[]): string[] {
  const notes: string[] = [];
  const one = ours.get(1);
  if (one && one.error === undefined) {
    notes.push(
      `Matches, 1 rule: ${one.matches[0]?.toLocaleString('en-US')} of ${one.records.toLocaleString('en-US')} records (${share(one.matches[0] ?? 0, one.records)}); the baseline's predicate kept ${baseline.matches[0]?.toLocaleString('en-US') ?? 'n/a'} rows.`,
    );
  }
  const ten = ours.get(10);
  if (ten && ten.error === undefined) {
    notes.push(
      `Matches, 10 rules: ${ten.matches.map((m, i) => `${condition(queries[i] ?? '')} ${share(m, ten.records)}`).join('; ')}.`,
    );
  }
  const hundred = ours.get(100);
  if (hundred && hundred.error === undefined) {
    const shares = hundred.matches.map((m) => m / hundred.records);
    const count = (test: (s: number) => boolean) => shares.filter(test).length;
    notes.push(
      `Matches, 100 rules: ${count((s) => s === 0)} match nothing, ${count((s) => s > 0 && s < 0.001)} under 0.1%, ` +
        `${count((s) => s >= 0.001 && s <= 0.1)} between 0.1% and 10%, ${count((s) => s > 0.1)} over 10% of records.`,
    );
  }
  for (const [n, t] of ours)
    if (t.error === undefined && t.rows !== baseline.rows)
      notes.push(`WARNING: ${n} rules read ${t.rows} rows, baseline ${baseline.rows}.`);
  return notes;
}

function costNotes(inMemory: InMemoryFigures, queries: readonly string[]): string {
  const costliest = inMemory.nsPerRecordByRule
    .map((ns, i) => ({ ns, query: queries[i] ?? '' }))
    .sort((a, b) => b.ns - a.ns)
    .slice(0, 5);
  return (
    "No I/O: the blob's first 1,000 rows parsed and normalized once, then timed in the same process, 20 passes per timing, best of 5 (a set that stays in cache, as each record does while the streaming pass evaluates it). " +
    `Costliest rules alone, ns per record: ${costliest.map((c) => `${condition(c.query)} ${formatNumber(c.ns)}`).join('; ')}.`
  );
}
