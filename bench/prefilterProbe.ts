import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';

import { missingElement } from '../shared/core/defined';
import { type ExportBlobRef, parseExportPath } from '../shared/core/export/parseExportPath';
import { readExportRecords, type RecordStream } from '../shared/core/export/readExportRecords';
import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import { readWorkspaceRecords } from '../shared/core/export/workspace/readWorkspaceRecords';
import { silentLogger } from '../shared/core/logger';
import { processExportBlob } from '../shared/core/processExportBlob';
import { type AlertRule, compileRule } from '../shared/core/rules/alertRule';
import { compileQuery } from '../shared/core/rules/compileQuery';
import type { RawFormat } from '../shared/core/rules/prefilter/rawFilter';
import { rowPrefilterOf } from '../shared/core/rules/prefilter/rowPrefilter';
import { peakRssBytes } from './peakRss';
import { selectiveQueries } from './prefilterRules';
import { benchRuleQueries, readWholeParseFilter } from './rulesVariants';
import { forkJsonProbe, runAsProbe } from './runProbe';

/**
 * Child-process entry for the prefilter benchmark: one variant, one file, one rule set, in a fresh
 * process; prints one JSON line (`PrefilterProbeReport`).
 *
 *   node dist/bench/prefilterProbe.js <variant> <file> <format> <ruleSet> <on|off> [warmups=0] [runs=1]
 */
export type { RawFormat };
export const RULE_SETS = ['selective-1', 'selective-10', 'selective-100', 'today-100'] as const;
export type RuleSetName = (typeof RULE_SETS)[number];

export interface PrefilterPass {
  readonly bytes: number;
  readonly rowsSeen: number;
  readonly rowsParsed: number;
  /** Whether the prefilter was still on at the end of the pass. */
  readonly filtered: boolean;
  /** Records (rows for the baselines) each rule kept, in rule order. */
  readonly matches: readonly number[];
  /** Per rule, an order-free hash of the matched records' line numbers; empty where lines are not known. */
  readonly lineHashes: readonly number[];
}

export interface PrefilterProbeReport {
  readonly variant: string;
  readonly runs: readonly (PrefilterPass & { readonly ms: number })[];
  /** Whether `rowPrefilterOf` gave a prefilter for the rule set (false: every row must be parsed). */
  readonly prefilterBuilt: boolean;
  readonly needles: number;
  readonly peakRssBytes: number;
  readonly error?: string;
}

export interface PrefilterProbeRequest {
  readonly variant: PrefilterVariant;
  readonly file: string;
  readonly format: RawFormat;
  readonly ruleSet: RuleSetName;
  readonly prefilter: boolean;
  readonly warmups: number;
  readonly runs: number;
}

export function queriesOf(ruleSet: RuleSetName): string[] {
  if (ruleSet === 'today-100') return benchRuleQueries(100);
  return selectiveQueries(Number(ruleSet.slice('selective-'.length)));
}

interface PassInput {
  readonly file: string;
  readonly format: RawFormat;
  readonly queries: readonly string[];
  readonly prefilter: boolean;
}

const CE_BLOB_NAME = 'bench_0f3c8a1e5b7d4c2a9e612d4b8f0a7c33/Requests/2024-03-05/13/bench.blob';
const CE_REF = placed(CE_BLOB_NAME);
const CHUNK_BYTES = 4 * 1024 * 1024;

function placed(name: string): ExportBlobRef {
  const ref = parseExportPath(name);
  if (!ref.ok) throw new Error(`bench blob name outside the export layout: ${name}`);
  return ref.value;
}

// Order-free, so the same matched lines give the same hash whichever path found them.
const mixLine = (line: number) => Math.imul(line ^ 0x9e3779b9, 0x85ebca6b) >>> 0;

/** Ours: the streaming reader of the format, with the rule set's prefilter (or none), every compiled rule on every record. */
// The functions compile rules once per catalog load, not per blob: compiled in the warm-up pass, which is
// not timed (so are the raw filters behind the prefilter, memoized by query).
const PREDICATES = new Map<string, (record: TelemetryRecord, now: number) => boolean>();
// What ago() and now() count from; the probe's rules use neither.
const EVALUATED_AT = Date.now();

async function readFilterEvaluate({ file, format, queries, prefilter }: PassInput): Promise<PrefilterPass> {
  const predicates = queries.map((query) => {
    let predicate = PREDICATES.get(query);
    if (predicate === undefined) {
      const compiled = compileQuery(query);
      if (!compiled.ok) throw new Error(`rule does not compile: ${query}`);
      predicate = compiled.value.predicate;
      PREDICATES.set(query, predicate);
    }
    return predicate;
  });
  const filter = prefilter ? rowPrefilterOf(queries, format) : undefined;
  const options = filter === undefined ? {} : { filter };
  const source = createReadStream(file);
  const records: RecordStream =
    format === 'continuousExport'
      ? readExportRecords(CE_REF, source, options)
      : readWorkspaceRecords({ blobName: basename(file), table: 'AppRequests' }, source, options);
  const matches = predicates.map(() => 0);
  const lineHashes = predicates.map(() => 0);
  // As the functions read: one async step per slice.
  for await (const batch of records.batches()) {
    for (const record of batch) {
      for (let i = 0; i < predicates.length; i++) {
        const predicate = predicates[i];
        if (predicate === undefined) throw missingElement('predicates', i, predicates.length);
        if (!predicate(record, EVALUATED_AT)) continue;
        matches[i] = (matches[i] ?? 0) + 1;
        lineHashes[i] = ((lineHashes[i] ?? 0) + mixLine(record.line ?? 0)) >>> 0;
      }
    }
  }
  const s = records.stats;
  return { bytes: s.bytes, rowsSeen: s.rowsSeen, rowsParsed: s.rowsParsed, filtered: s.filtered, matches, lineHashes };
}

/** The naive baseline for workspace rows: read whole, split, JSON.parse every row, one hand-written predicate. */
async function readWholeParseFilterWorkspace(file: string): Promise<PrefilterPass> {
  const buffer = readFileSync(file);
  return naiveOver(buffer, (row) => Number((row as { ResultCode?: unknown }).ResultCode) >= 500);
}

function naiveOver(buffer: Buffer, predicate: (row: unknown) => boolean): PrefilterPass {
  let rows = 0;
  let kept = 0;
  for (const line of buffer.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    rows++;
    try {
      if (predicate(JSON.parse(line))) kept++;
    } catch {
      // malformed: counted as seen, as the readers do
    }
  }
  return { bytes: buffer.length, rowsSeen: rows, rowsParsed: rows, filtered: false, matches: [kept], lineHashes: [] };
}

const ceServerError = (row: unknown) =>
  ((row as { request: { responseCode: number }[] }).request[0]?.responseCode ?? 0) >= 500;

// The function path's input is in memory, so its baseline's is too: only splitting and parsing are timed.
let held: Buffer | undefined;
const heldBuffer = (file: string) => (held ??= readFileSync(file));

async function* inChunks(buffer: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < buffer.length; at += CHUNK_BYTES) yield buffer.subarray(at, at + CHUNK_BYTES);
}

/** The function path: an in-memory Continuous Export blob in 4 MiB chunks through processExportBlob, matches counted. */
let compiledRules: AlertRule[] | undefined;

async function processBlob({ file, queries, prefilter }: PassInput): Promise<PrefilterPass> {
  const buffer = heldBuffer(file);
  // The catalog compiles rules once per load, not per blob: here in the warm-up pass, which is not timed.
  compiledRules ??= queries.map((Query, i) => {
    const compiled = compileRule({ partitionKey: 'bench', rowKey: `r${i}`, Query, Recipients: 'ops@example.com' });
    if (!compiled.ok) throw new Error(`rule does not compile: ${Query}`);
    return compiled.value;
  });
  const rules = compiledRules;
  const summary = await processExportBlob(
    { name: CE_BLOB_NAME, etag: 'bench', depositedAt: Date.UTC(2024, 2, 5, 13), content: inChunks(buffer) },
    {
      maxLineBytes: CHUNK_BYTES,
      prefilter,
      logger: silentLogger,
      now: Date.now,
      rulesFor: () => Promise.resolve(rules),
    },
  );
  if (summary.status !== 'processed') throw new Error(`blob ignored: ${summary.reason}`);
  const matches = rules.map((rule) => summary.matches[`${rule.scope}/${rule.id}`] ?? 0);
  return {
    bytes: summary.bytes,
    rowsSeen: summary.rowsSeen,
    rowsParsed: summary.rowsParsed,
    // NOTE: a blob summary does not say whether the filter gave up; rows skipped say it was on.
    filtered: summary.rowsParsed < summary.rowsSeen,
    matches,
    lineHashes: [],
  };
}

const VARIANTS = {
  ours: readFilterEvaluate,
  baseline: async ({ file, format }: PassInput) => {
    if (format === 'workspace') return readWholeParseFilterWorkspace(file);
    const pass = await readWholeParseFilter(file);
    return {
      bytes: pass.bytes,
      rowsSeen: pass.rows,
      rowsParsed: pass.rows,
      filtered: false,
      matches: pass.matches,
      lineHashes: [],
    };
  },
  function: processBlob,
  memoryBaseline: ({ file }: PassInput) => Promise.resolve(naiveOver(heldBuffer(file), ceServerError)),
} as const satisfies Record<string, (input: PassInput) => Promise<PrefilterPass>>;

export type PrefilterVariant = keyof typeof VARIANTS;

function firstBytes(file: string, count: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0));
  } finally {
    closeSync(fd);
  }
}

async function probe(argv: readonly string[]): Promise<PrefilterProbeReport> {
  const [variant = '', file = '', format = '', ruleSet = '', prefilterText = 'on', warmupsText = '0', runsText = '1'] =
    argv;
  if (!Object.prototype.hasOwnProperty.call(VARIANTS, variant))
    throw new Error(`unknown variant '${variant}' (one of ${Object.keys(VARIANTS).join(', ')})`);
  if (format !== 'continuousExport' && format !== 'workspace') throw new Error(`unknown format '${format}'`);
  if (!(RULE_SETS as readonly string[]).includes(ruleSet))
    throw new Error(`unknown rule set '${ruleSet}' (one of ${RULE_SETS.join(', ')})`);
  const queries = queriesOf(ruleSet as RuleSetName);
  const built = rowPrefilterOf(queries, format);
  // A prefilter chooses its needles at its first block: show it the file's first 256 KiB, for the count.
  built?.nextHit(firstBytes(file, 256 * 1024), 0);
  const input: PassInput = { file, format, queries, prefilter: prefilterText === 'on' };
  const run = VARIANTS[variant as PrefilterVariant];
  const runs: (PrefilterPass & { ms: number })[] = [];
  const report = (error?: string): PrefilterProbeReport => ({
    variant,
    runs,
    prefilterBuilt: built !== undefined,
    needles: built?.needles ?? 0,
    peakRssBytes: peakRssBytes(),
    ...(error === undefined ? {} : { error }),
  });
  try {
    const total = Number(warmupsText) + Number(runsText);
    for (let i = 0; i < total; i++) {
      const started = performance.now();
      const pass = await run(input);
      const ms = performance.now() - started;
      if (i >= Number(warmupsText)) runs.push({ ...pass, ms });
    }
  } catch (thrown) {
    return report(thrown instanceof Error ? thrown.message : String(thrown));
  }
  return report();
}

/** Runs this file in a fresh Node process; a probe that dies comes back as a report with `error`. */
export function runPrefilterProbe(request: PrefilterProbeRequest): Promise<PrefilterProbeReport> {
  const args = [
    request.variant,
    request.file,
    request.format,
    request.ruleSet,
    request.prefilter ? 'on' : 'off',
    String(request.warmups),
    String(request.runs),
  ];
  return forkJsonProbe<PrefilterProbeReport>(__filename, args, (error) => ({
    variant: request.variant,
    runs: [],
    prefilterBuilt: false,
    needles: 0,
    peakRssBytes: Number.NaN,
    error,
  }));
}

if (require.main === module) runAsProbe(probe);
