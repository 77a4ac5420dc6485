import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';

import { missingElement } from '../shared/core/defined';
import { readExportRows } from '../shared/core/export/readExportRows';
import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import type { TelemetryType } from '../shared/core/export/telemetryTypes';
import { toRecords } from '../shared/core/export/toRecords';
import { type CompiledQuery, compileQuery } from '../shared/core/rules/compileQuery';
import { FUSED_RULE_COUNT, readParseFused } from './fusedRules';

/**
 * Conditions of the benchmark's `requests` rules: 15 templates over different columns and operators,
 * each with 7 variants of its literals, drawn from the generator's vocabulary (scripts/generator/*) so
 * that most rules match some rows and a few match none, as in a real rule set.
 */
const TEMPLATES: readonly (readonly string[])[] = [
  [500, 400, 404, 503, 300, 201, 204].map((code) => `toint(resultCode) >= ${code}`),
  ['1s', '500ms', '2s', '250ms', '5s', '100ms', '3s'].map((span) => `duration > ${span}`),
  ['fabrikam', 'contoso', 'northwind', 'adventure-works', 'Müller GmbH', '東京支店', 'Ωmega 🚀 Labs'].map(
    (t) => `customDimensions.tenant == "${t}"`,
  ),
  ['checkout', 'orders', 'search', 'health', 'produkte', 'cart', 'navigation'].map((word) => `name contains "${word}"`),
  [
    'url has "api"',
    'url has "search"',
    'url !has "health"',
    'url endswith "page=3"',
    'url has_cs "Contoso"',
    'url hasprefix "prod"',
    'url !contains "contoso"',
  ],
  [
    '"Contoso.Api", "Contoso.Worker"',
    '"Contoso.Web"',
    '"Contoso.Worker"',
    '"Contoso.Api", "Contoso.Web"',
    '"Contoso.Gateway", "Contoso.Worker"',
    '"Contoso.Api"',
    '"Contoso.Web", "Contoso.Worker", "Contoso.Jobs"',
  ].map((names) => `cloud_RoleName in (${names})`),
  ['germany', 'japan', 'FRANCE', 'united states', 'Netherlands', 'spain', 'Germany'].map(
    (c) => `success == false and client_CountryOrRegion =~ "${c}"`,
  ),
  [
    '^GET /api/orders/[0-9]+$',
    'checkout',
    '^(POST|DELETE) ',
    'größe-[0-9]{3}$',
    '[{]id[}]',
    'search$',
    '^GET /navigation/[0-9a-f]{8}$',
  ].map((pattern) => `name matches regex "${pattern}"`),
  [
    'client_City',
    'user_AuthenticatedId',
    'operation_ParentId',
    'client_StateOrProvince',
    'session_Id',
    'customDimensions.cart',
    'customMeasurements',
  ].map((column) => `isnotempty(${column})`),
  [
    'https://shop.contoso.com/api/',
    'http://',
    'https://www.contoso.de/produkte',
    'https://api.contoso.com/api/orders',
    'https://fabrikam-web',
    'http://api.',
    'https://shop.contoso.com/api/search?q=',
  ].map((prefix) => `url startswith "${prefix}"`),
  ['100ms .. 1s', '1s .. 5s', '0ms .. 10ms', '500ms .. 2s', '2s .. 30s', '10ms .. 20ms', '50ms .. 60ms'].map(
    (range) => `duration between (${range})`,
  ),
  ['"api-7f9c5d-x2kq", "worker01"', '"RD0003FF8A21C4"', '"api-7F9C5D-LM8W", "WORKER02", "rd0003ff8a3b17"']
    .flatMap((names) =>
      ['5', '4'].map((digit) => `resultCode startswith "${digit}" and cloud_RoleInstance !in~ (${names})`),
    )
    .concat(['cloud_RoleInstance !in~ ("WORKER01", "WORKER02")']),
  ['20240305.2', '20240304.1', '20240301.4']
    .flatMap((build) =>
      [500, 400].map((code) => `customDimensions["Build Id"] == "${build}" and toint(resultCode) >= ${code}`),
    )
    .concat(['customDimensions["Build Id"] == "20240229.9"']),
  ['12:59', '12:30', '12:55', '12:00', '12:45', '13:00', '12:50'].map(
    (time) => `timestamp > datetime(2024-03-05T${time}:00Z) and success == false`,
  ),
  ['westeurope', 'eastus', 'japaneast', 'northeurope']
    .map((region) => `tostring(customDimensions.region) == "${region}" and duration > 1s`)
    .concat([
      'name !has "health" and itemCount > 1 and resultCode == "404"',
      'name !has "orders" and itemCount == 1 and resultCode in ("500", "503")',
      'not(success) and customDimensions.tenant in~ ("CONTOSO", "fabrikam")',
    ]),
];

/** The first `count` rules' queries: template by template, then the next variant of each. */
export function benchRuleQueries(count: number): string[] {
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const template = TEMPLATES[i % TEMPLATES.length] ?? [];
    const condition = template[Math.floor(i / TEMPLATES.length) % template.length];
    queries.push(`requests | where ${condition}`);
  }
  return queries;
}

export function compileBenchRules(count: number): CompiledQuery[] {
  return benchRuleQueries(count).map((query) => {
    const compiled = compileQuery(query);
    if (!compiled.ok)
      throw new Error(`bench rule does not compile: ${query}: ${compiled.error.map((d) => d.message).join('; ')}`);
    return compiled.value;
  });
}

/** What one pass produced; `matches[i]` is how many records rule i (or the baseline's predicate) kept. */
export interface RulesPass {
  readonly rows: number;
  readonly records: number;
  readonly badRows: number;
  readonly bytes: number;
  readonly matches: readonly number[];
  readonly inMemory?: InMemoryFigures;
}

/** Costs measured on records already in memory, so no reading or parsing is in them. */
export interface InMemoryFigures {
  readonly toRecordsNsPerRow: number;
  /** ns per rule per record when evaluating the first n rules on every record, by n. */
  readonly nsPerRulePerRecord: Readonly<Record<string, number>>;
  /** ns per record of each rule run alone, in rule order. */
  readonly nsPerRecordByRule: readonly number[];
}

const SOURCE = { appName: 'bench', instrumentationKey: '0f3c8a1e5b7d4c2a9e612d4b8f0a7c33' };

/** Ours: stream the blob through the reader, normalize each row, run every rule on every record. */
export async function readNormalizeEvaluate(
  file: string,
  type: TelemetryType,
  rules: readonly CompiledQuery[],
): Promise<RulesPass> {
  const predicates = rules.map((rule) => rule.predicate);
  const matches = predicates.map(() => 0);
  const rows = readExportRows(createReadStream(file), { blobName: basename(file) });
  let records = 0;
  let badRows = 0;
  for await (const row of rows) {
    const result = toRecords(row.document, { ...SOURCE, telemetryType: type, line: row.line });
    if (!result.ok) {
      badRows++;
      continue;
    }
    records += result.value.length;
    countMatches(result.value, predicates, matches);
  }
  return { rows: rows.stats.rows, records, badRows: badRows + rows.stats.badRows, bytes: rows.stats.bytes, matches };
}

// What ago() and now() count from; the variants' rules use neither.
const EVALUATED_AT = Date.now();

/** Runs every predicate on every record, adding to `matches[i]`; returns the total kept. */
function countMatches(
  records: readonly TelemetryRecord[],
  predicates: readonly CompiledQuery['predicate'][],
  matches: number[],
): number {
  let total = 0;
  for (const record of records) {
    for (let i = 0; i < predicates.length; i++) {
      const predicate = predicates[i];
      if (predicate === undefined) throw missingElement('predicates', i, predicates.length);
      if (predicate(record, EVALUATED_AT)) {
        matches[i] = (matches[i] ?? 0) + 1;
        total++;
      }
    }
  }
  return total;
}

/** The reader issue's naive baseline (read whole, split, parse) with one hand-written predicate on the raw row. */
export async function readWholeParseFilter(file: string): Promise<RulesPass> {
  const buffer = readFileSync(file);
  let rows = 0;
  let badRows = 0;
  let serverErrors = 0;
  for (const line of buffer.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const row = JSON.parse(line) as { request: { responseCode: number }[] };
      rows++;
      if ((row.request[0]?.responseCode ?? 0) >= 500) serverErrors++;
    } catch {
      badRows++;
    }
  }
  return { rows, records: rows, badRows, bytes: buffer.length, matches: [serverErrors] };
}

// NOTE: a small set that stays in the CPU cache, as each record does while the streaming pass runs
// every rule on it right after building it; over 20,000 records, cache misses tripled the figures.
const IN_MEMORY_ROWS = 1_000;
/** Passes over the set per timing, so each timing covers 20,000 rows. */
const LAPS = 20;
const REPEATS = 5;
let loaded:
  { documents: Record<string, unknown>[]; records: TelemetryRecord[]; badRows: number; bytes: number } | undefined;
/** Written by the timed loops so the JIT cannot drop the work they time. */
let _sink = 0;

/** The blob's first rows, read and normalized once per process so repeated passes time only the work. */
async function loadRecords(file: string, type: TelemetryType) {
  if (loaded) return loaded;
  const documents: Record<string, unknown>[] = [];
  const records: TelemetryRecord[] = [];
  let badRows = 0;
  const rows = readExportRows(createReadStream(file), { blobName: basename(file) });
  for await (const row of rows) {
    documents.push(row.document);
    const result = toRecords(row.document, { ...SOURCE, telemetryType: type, line: row.line });
    if (result.ok) records.push(...result.value);
    else badRows++;
    if (documents.length === IN_MEMORY_ROWS) break;
  }
  loaded = { documents, records, badRows, bytes: rows.stats.bytes };
  return loaded;
}

/** Best of REPEATS timings of LAPS runs of `pass`, in ns per lap. */
function fastest(pass: () => number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < REPEATS; r++) {
    const started = performance.now();
    for (let lap = 0; lap < LAPS; lap++) _sink += pass();
    best = Math.min(best, ((performance.now() - started) * 1e6) / LAPS);
  }
  return best;
}

/** No I/O: toRecords and rule evaluation timed on the blob's first 1,000 rows, held in memory. */
export async function evaluateInMemory(
  file: string,
  type: TelemetryType,
  rules: readonly CompiledQuery[],
): Promise<RulesPass> {
  const { documents, records, badRows, bytes } = await loadRecords(file, type);
  const source = { ...SOURCE, telemetryType: type };
  const toRecordsNs = fastest(() => {
    let built = 0;
    for (const document of documents) built += toRecords(document, source).ok ? 1 : 0;
    return built;
  });
  const predicates = rules.map((rule) => rule.predicate);
  const nsPerRulePerRecord: Record<string, number> = {};
  for (const n of new Set([1, 10, rules.length].filter((k) => k <= rules.length))) {
    const first = predicates.slice(0, n);
    nsPerRulePerRecord[n] = fastest(() => countMatches(records, first, [])) / n / records.length;
  }
  const nsPerRecordByRule = predicates.map(
    (predicate) => fastest(() => countMatches(records, [predicate], [])) / records.length,
  );
  const matches = predicates.map(() => 0);
  countMatches(records, predicates, matches);
  const inMemory = { toRecordsNsPerRow: toRecordsNs / documents.length, nsPerRulePerRecord, nsPerRecordByRule };
  return { rows: documents.length, records: records.length, badRows, bytes, matches, inMemory };
}

/** The bound: the first 100 bench rules hand-fused into one function over the parsed row (bench/fusedRules.ts). */
export async function readParseFusedRules(
  file: string,
  _type: TelemetryType,
  rules: readonly CompiledQuery[],
): Promise<RulesPass> {
  if (rules.length !== FUSED_RULE_COUNT)
    throw new Error(`the fused bound is written for ${FUSED_RULE_COUNT} rules, not ${rules.length}`);
  const pass = await readParseFused(file);
  return { ...pass, records: pass.rows };
}

export const RULES_VARIANTS = {
  ours: readNormalizeEvaluate,
  baseline: readWholeParseFilter,
  inMemory: evaluateInMemory,
  fused: readParseFusedRules,
} as const satisfies Record<
  string,
  (file: string, type: TelemetryType, rules: readonly CompiledQuery[]) => Promise<RulesPass>
>;

export type RulesVariantName = keyof typeof RULES_VARIANTS;

export function isRulesVariant(name: string): name is RulesVariantName {
  return Object.prototype.hasOwnProperty.call(RULES_VARIANTS, name);
}
