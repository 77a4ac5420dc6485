import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

import { parseExportPath } from '../../../../shared/core/export/parseExportPath';
import {
  readExportRecords,
  type ReadRecordsOptions,
  type RecordStream,
} from '../../../../shared/core/export/readExportRecords';
import type { TelemetryRecord } from '../../../../shared/core/export/telemetryRecord';
import { tableForType, type TableName } from '../../../../shared/core/export/telemetryTypes';
import { readWorkspaceRecords } from '../../../../shared/core/export/workspace/readWorkspaceRecords';
import { classicTableOf, type WorkspaceTableName } from '../../../../shared/core/export/workspaceTables';
import { compileQuery } from '../../../../shared/core/rules/compileQuery';
import type { RawFormat } from '../../../../shared/core/rules/prefilter/rawFilter';
import { rowPrefilterOf } from '../../../../shared/core/rules/prefilter/rowPrefilter';
import { NOW } from '../ruleHelpers';

// Issue 12's "done when": results with the prefilter on and off are identical on every fixture. The
// rules are made from each fixture's own values, so they match some of its rows and miss others.

const FIXTURES = join(__dirname, '../../../fixtures');

interface Fixture {
  readonly name: string;
  readonly format: RawFormat;
  readonly table: TableName;
  readonly bytes: Buffer;
  read(options: ReadRecordsOptions): RecordStream;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function fixtures(): Fixture[] {
  const found: Fixture[] = [];
  for (const file of [...filesUnder(join(FIXTURES, 'export')), ...filesUnder(join(FIXTURES, 'broken'))]) {
    const ref = parseExportPath(relative(join(FIXTURES, file.includes('/broken/') ? 'broken' : 'export'), file));
    if (!ref.ok) continue;
    const bytes = readFileSync(file);
    found.push({
      name: relative(FIXTURES, file),
      format: 'continuousExport',
      table: tableForType(ref.value.telemetryType),
      bytes,
      read: (o) => readExportRecords(ref.value, slices(bytes), o),
    });
  }
  for (const file of filesUnder(join(FIXTURES, 'successor')).filter((f) => f.endsWith('.json'))) {
    const table = basename(file).replace(/(-\d+)?\.json$/, '') as WorkspaceTableName;
    const bytes = readFileSync(file);
    found.push({
      name: relative(FIXTURES, file),
      format: 'workspace',
      table: classicTableOf(table),
      bytes,
      read: (o) => readWorkspaceRecords({ blobName: file, table }, slices(bytes), o),
    });
  }
  return found;
}

/** Odd-sized chunks, so lines and needles are cut by chunk boundaries. */
async function* slices(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0, size = 7; at < bytes.length; at += size, size = (size * 3) % 257 || 5)
    yield bytes.subarray(at, at + size);
}

async function all(stream: RecordStream): Promise<TelemetryRecord[]> {
  const records: TelemetryRecord[] = [];
  for await (const record of stream) records.push(record);
  return records;
}

const literal = (text: string) => JSON.stringify(text);

/** Queries over the fixture's own string values: equality either case, has, contains, prefix, suffix, in, properties. */
function queriesFor(table: TableName, records: readonly TelemetryRecord[]): string[] {
  const queries = new Set<string>();
  const values = new Map<string, Set<string>>();
  for (const record of records) {
    for (const [column, value] of Object.entries(record.columns)) {
      if (typeof value === 'string' && value !== '' && value.length < 200) {
        const seen = values.get(column) ?? new Set<string>();
        if (seen.size < 3) seen.add(value);
        values.set(column, seen);
      }
    }
    const dims = record.columns['customDimensions'];
    if (dims && typeof dims === 'object' && !Array.isArray(dims) && !(dims instanceof Date)) {
      for (const [key, value] of Object.entries(dims).slice(0, 3)) {
        if (typeof value === 'string' && value !== '')
          queries.add(`${table} | where customDimensions[${literal(key)}] == ${literal(value)}`);
      }
    }
  }
  for (const [column, seen] of values) {
    for (const value of seen) {
      const word = value.split(/[^\p{L}\p{N}]+/u).find((w) => w.length >= 3) ?? value;
      const middle = value.slice(
        Math.floor(value.length / 3),
        Math.max(Math.floor(value.length / 3) + 1, Math.floor((2 * value.length) / 3)),
      );
      queries.add(`${table} | where ${column} == ${literal(value)}`);
      queries.add(`${table} | where ${column} =~ ${literal(value.toUpperCase())}`);
      queries.add(`${table} | where ${column} has ${literal(word)}`);
      queries.add(`${table} | where ${column} contains_cs ${literal(middle)}`);
      queries.add(
        `${table} | where ${column} startswith ${literal(value.slice(0, 4))} or ${column} endswith ${literal(value.slice(-3))}`,
      );
      queries.add(`${table} | where ${column} in~ (${literal(value)}, "no-such-value")`);
    }
  }
  return [...queries];
}

// Each compile costs milliseconds: the queries are compiled once for both readings.
const PREDICATES = new Map<string, ((record: TelemetryRecord, now: number) => boolean) | undefined>();

function predicateOf(query: string): ((record: TelemetryRecord, now: number) => boolean) | undefined {
  if (!PREDICATES.has(query)) {
    const compiled = compileQuery(query);
    PREDICATES.set(query, compiled.ok ? compiled.value.predicate : undefined);
  }
  return PREDICATES.get(query);
}

/** Per query, the line and columns of every record it keeps. */
function matchesOf(queries: readonly string[], records: readonly TelemetryRecord[]): string[][] {
  return queries.map((query) => {
    const predicate = predicateOf(query);
    if (predicate === undefined) throw new Error(`does not compile: ${query}`);
    return records.filter((r) => predicate(r, NOW)).map((r) => `${r.line ?? '?'} ${JSON.stringify(r.columns)}`);
  });
}

const FIXTURE_LIST = fixtures();

test('finds the fixtures of both formats', () => {
  expect(FIXTURE_LIST.filter((f) => f.format === 'continuousExport').length).toBeGreaterThanOrEqual(10);
  expect(FIXTURE_LIST.filter((f) => f.format === 'workspace').length).toBeGreaterThanOrEqual(20);
});

test.each(FIXTURE_LIST.map((f) => [f.name, f] as const))(
  '%s: every rule keeps the same records with the prefilter on and off',
  async (_name, fixture) => {
    const plain = await all(fixture.read({}));
    // Spread over columns and operators (six per value): every seventh query of the fixture's, at most 16.
    const queries = queriesFor(fixture.table, plain)
      .filter((_, i) => i % 7 === fixture.name.length % 7)
      .filter((q) => predicateOf(q) !== undefined)
      .slice(0, 16);
    const expected = matchesOf(queries, plain);

    // The whole set, then each rule alone: a set falls back to reading every row when one rule has no needle.
    let prefiltered = 0;
    for (const set of [queries, ...queries.map((q) => [q])]) {
      const filter = rowPrefilterOf(set, fixture.format);
      if (filter === undefined) continue;
      prefiltered++;
      const stream = fixture.read({ filter, adapt: { afterLines: 1e9, maxShare: 1 } });
      const records = await all(stream);
      const got = matchesOf(set, records);
      const want = set.map((q) => expected[queries.indexOf(q)] ?? []);
      expect({ set: set.length, got }).toEqual({ set: set.length, got: want });
      expect(stream.stats.rowsParsed).toBeLessThanOrEqual(stream.stats.rowsSeen);
    }
    expect(queries.length === 0 || prefiltered > 0).toBe(true);
  },
);
