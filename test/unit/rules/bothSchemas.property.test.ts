import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';

import { type ColumnType, TABLE_COLUMNS } from '../../../shared/core/export/tableSchemas';
import type { ColumnValue, TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import { tableForType, type TableName, TELEMETRY_TYPE_NAMES } from '../../../shared/core/export/telemetryTypes';
import { toRecords } from '../../../shared/core/export/toRecords';
import { workspaceRowToRecords } from '../../../shared/core/export/workspace/workspaceRowToRecords';
import { WORKSPACE_COLUMNS } from '../../../shared/core/export/workspace/workspaceSchema';
import {
  classicTableOf,
  WORKSPACE_TABLE_NAMES,
  type WorkspaceTableName,
  workspaceTableNamed,
} from '../../../shared/core/export/workspaceTables';
import { compiled, NOW } from './ruleHelpers';

// Issue 11 §2: a rule in the workspace schema and the same rule in the classic schema give the same
// answer on every record, since records keep classic columns and the workspace names are a renaming.

/** One column as both schemas name it. Workspace-only columns carry their own name in both. */
interface ColumnPair {
  readonly workspace: string;
  readonly classic: string;
  readonly type: ColumnType;
}

function pairsOf(table: WorkspaceTableName): ColumnPair[] {
  return WORKSPACE_COLUMNS[table].map((c) => ({ workspace: c.name, classic: c.classic ?? c.name, type: c.type }));
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function documentsOf(file: string): Array<Record<string, unknown>> {
  const documents: Array<Record<string, unknown>> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch {
      // Edge fixtures hold malformed rows on purpose; the reader's tests cover them.
      continue;
    }
    if (document !== null && typeof document === 'object' && !Array.isArray(document))
      documents.push(document as Record<string, unknown>);
  }
  return documents;
}

/**
 * Records of every source's fixtures, by table: Continuous Export (edge rows of every type, real rows)
 * and both successor shapes (diagnostic settings, workspace data export, real diagnostic rows).
 */
function fixtureRecords(): Map<TableName, TelemetryRecord[]> {
  const byTable = new Map<TableName, TelemetryRecord[]>();
  const add = (records: readonly TelemetryRecord[]): void => {
    for (const record of records) byTable.set(record.table, [...(byTable.get(record.table) ?? []), record]);
  };
  const ceFiles = [...filesUnder(join(FIXTURES, 'export')), ...filesUnder(join(FIXTURES, 'real'))].filter((f) =>
    /\.(blob|json)$/.test(f),
  );
  for (const file of ceFiles) {
    // Edge fixtures sit in their type's folder; the real ones are named after it (Exceptions-1.json).
    const type =
      TELEMETRY_TYPE_NAMES.find((t) => file.includes(`/${t}/`)) ??
      (/\/Exceptions-/.test(file) ? 'Exceptions' : 'Requests');
    for (const document of documentsOf(file)) {
      const result = toRecords(document, { telemetryType: type, appName: 'shop', instrumentationKey: 'k' });
      if (result.ok) add(result.value);
    }
  }
  for (const file of filesUnder(join(FIXTURES, 'successor')).filter((f) => f.endsWith('.json'))) {
    const table = workspaceTableNamed(/(App[A-Za-z]+)(-\d+)?\.json$/.exec(file)?.[1] ?? '');
    if (!table) throw new Error(`no table in fixture name ${file}`);
    for (const document of documentsOf(file)) {
      const result = workspaceRowToRecords(document, { table });
      if (!result.ok) throw new Error(`${file}: ${result.error}`);
      add(result.value);
    }
  }
  return byTable;
}

const FIXTURE_RECORDS = fixtureRecords();

/** Samples of each record column's values in the fixtures, so conditions also hit, not only miss. */
function sampleValues(records: readonly TelemetryRecord[], column: string): unknown[] {
  const values: unknown[] = [];
  for (const r of records) {
    const value = r.columns[column];
    if (value !== undefined && values.length < 4) values.push(value);
  }
  return values;
}

const TEXTS = ['', 'a', 'A', 'acme', 'GET /checkout', '500', 'true', '1.5'];
const KEYS = ['tenant', 'n', 'build id'];

/** A value a record could hold for a column of this type, now and then one of another type. */
function valueOf(type: ColumnType): fc.Arbitrary<ColumnValue | undefined> {
  const typed: fc.Arbitrary<ColumnValue | undefined> = (() => {
    switch (type) {
      case 'string':
        return fc.constantFrom(...TEXTS);
      case 'int':
      case 'long':
        return fc.integer({ min: -2, max: 5 });
      case 'real':
        return fc.oneof(fc.constantFrom(0, 999, 1500, 2500.5), fc.double({ noNaN: true, min: -10, max: 10 }));
      case 'bool':
        return fc.boolean();
      case 'datetime':
        return fc.constantFrom(new Date('2024-03-05T13:00:00Z'), new Date('2024-03-05T14:30:00Z'));
      case 'dynamic':
        return fc
          .dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...TEXTS), { maxKeys: 3 })
          .map((d) => Object.assign(Object.create(null) as Record<string, string>, d));
    }
  })();
  return fc.oneof(
    { weight: 6, arbitrary: typed },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'x', 7, true) },
  );
}

function generatedRecord(table: TableName): fc.Arbitrary<TelemetryRecord> {
  const columns = TABLE_COLUMNS[table];
  const model = Object.fromEntries(Object.entries(columns).map(([name, type]) => [name, valueOf(type)]));
  return fc.record(model, { requiredKeys: [] }).map((c) => ({ table, columns: c, raw: {} }));
}

const kqlString = (text: string): string => JSON.stringify(text);

/** A condition on one column, written for either of its names. */
type Atom = (name: string) => string;

function literalOf(value: unknown, type: ColumnType): string | undefined {
  if (type === 'string' && typeof value === 'string') return kqlString(value);
  if ((type === 'int' || type === 'long' || type === 'real') && typeof value === 'number' && Number.isFinite(value))
    return String(value);
  if (type === 'bool' && typeof value === 'boolean') return String(value);
  if (type === 'datetime' && value instanceof Date && !Number.isNaN(value.getTime()))
    return `datetime(${value.toISOString()})`;
  return undefined;
}

/** Conditions worth asking of a column: presence, equality with seen values, its type's operators. */
function atomsFor(pair: ColumnPair, seen: readonly unknown[]): Atom[] {
  const atoms: Atom[] = [(c) => `isnotnull(${c})`, (c) => `isnull(${c})`];
  const literals = seen.map((v) => literalOf(v, pair.type)).filter((l): l is string => l !== undefined);
  switch (pair.type) {
    case 'string':
      atoms.push(
        (c) => `isnotempty(${c})`,
        (c) => `${c} =~ "a"`,
        (c) => `${c} has "acme"`,
        (c) => `${c} startswith "G"`,
        (c) => `${c} in ("500", "a")`,
      );
      for (const l of literals)
        atoms.push(
          (c) => `${c} == ${l}`,
          (c) => `${c} != ${l}`,
          (c) => `${c} contains ${l}`,
        );
      break;
    case 'int':
    case 'long':
    case 'real':
      atoms.push(
        (c) => `${c} > 1`,
        (c) => `${c} <= 0`,
        (c) => `${c} between (0 .. 1000)`,
        (c) => `tostring(${c}) == "1"`,
      );
      if (/duration/i.test(pair.classic))
        atoms.push(
          (c) => `${c} > 1.5s`,
          (c) => `${c} < 1s`,
        );
      for (const l of literals)
        atoms.push(
          (c) => `${c} == ${l}`,
          (c) => `${c} >= ${l}`,
        );
      break;
    case 'bool':
      atoms.push(
        (c) => `${c} == true`,
        (c) => `${c} == false`,
        (c) => `${c} != true`,
        (c) => `tostring(${c}) == "true"`,
      );
      break;
    case 'datetime':
      atoms.push(
        (c) => `${c} > datetime(2024-03-05 14:00)`,
        (c) => `${c} between (datetime(2024-03-05) .. datetime(2024-03-06))`,
      );
      for (const l of literals) atoms.push((c) => `${c} == ${l}`);
      break;
    case 'dynamic':
      atoms.push(
        (c) => `${c}.tenant == "acme"`,
        (c) => `${c}["build id"] =~ "a"`,
        (c) => `isnotempty(${c}.n)`,
        (c) => `tostring(${c}.tenant) != "a"`,
        (c) => `toint(${c}.n) > 1`,
        (c) => `tostring(${c}) has "acme"`,
      );
      break;
  }
  return atoms;
}

/** Both spellings of a condition over a table's columns. */
interface Written {
  readonly workspace: string;
  readonly classic: string;
}

function conditionOver(pairs: readonly ColumnPair[], atoms: ReadonlyMap<ColumnPair, Atom[]>): fc.Arbitrary<Written> {
  const atom = fc
    .constantFrom(...pairs)
    .chain((pair) =>
      fc
        .constantFrom(...(atoms.get(pair) ?? []))
        .map((a) => ({ workspace: a(pair.workspace), classic: a(pair.classic) })),
    );
  return fc.letrec<{ c: Written }>((tie) => ({
    c: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'c' },
      atom,
      tie('c').map((x) => ({ workspace: `not(${x.workspace})`, classic: `not(${x.classic})` })),
      fc.tuple(tie('c'), fc.constantFrom('and', 'or'), tie('c')).map(([l, op, r]) => ({
        workspace: `(${l.workspace}) ${op} (${r.workspace})`,
        classic: `(${l.classic}) ${op} (${r.classic})`,
      })),
    ),
  })).c;
}

describe.each(WORKSPACE_TABLE_NAMES)('%s and its classic table', (workspaceTable) => {
  const table = classicTableOf(workspaceTable);
  const pairs = pairsOf(workspaceTable);
  const fixtures = FIXTURE_RECORDS.get(table) ?? [];
  const atoms = new Map(pairs.map((p) => [p, atomsFor(p, sampleValues(fixtures, p.classic))] as const));

  it('has Continuous Export fixture records to compare on', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  // NOTE: each compile is a Kusto parse (~6-14 ms). Columns common to all ten tables get every condition
  // on one table each (in turn) and a presence and an equality test on the others, which keeps the file
  // near 30 s on busy cores; table-specific columns always get every condition.
  const common = new Set(WORKSPACE_COLUMNS.AppEvents.map((c) => c.name));
  const tableIndex = WORKSPACE_TABLE_NAMES.indexOf(workspaceTable);
  const conditionsFor = (pair: ColumnPair, index: number): Atom[] => {
    const all = atoms.get(pair) ?? [];
    return !common.has(pair.workspace) || index % WORKSPACE_TABLE_NAMES.length === tableIndex
      ? all
      : [all[0] as Atom, all[all.length - 1] as Atom];
  };

  it.each(pairs.map((p, i) => [p.workspace, p.classic, p, i] as const))(
    '%s and %s: conditions give the same answer on every fixture record',
    (_w, _c, pair, index) => {
      // Arrange
      const conditions = conditionsFor(pair, index);

      for (const atom of conditions) {
        // Act
        const workspace = compiled(`${workspaceTable} | where ${atom(pair.workspace)}`);
        const classic = compiled(`${table} | where ${atom(pair.classic)}`);

        // Assert
        expect(workspace.table).toBe(table);
        expect(workspace.queryTable).toBe(workspaceTable);
        expect(workspace.columnsUsed).toEqual(classic.columnsUsed);
        for (const record of fixtures)
          expect([atom(pair.workspace), workspace.predicate(record, NOW)]).toEqual([
            atom(pair.workspace),
            classic.predicate(record, NOW),
          ]);
      }
    },
  );

  it('random conditions give the same answer in both schemas on fixture and generated records', () => {
    fc.assert(
      fc.property(
        conditionOver(pairs, atoms),
        fc.array(generatedRecord(table), { maxLength: 6 }),
        (condition, generated) => {
          const workspace = compiled(`${workspaceTable} | where ${condition.workspace}`);
          const classic = compiled(`${table} | where ${condition.classic}`);
          for (const record of [...fixtures, ...generated])
            expect(workspace.predicate(record, NOW)).toBe(classic.predicate(record, NOW));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('the comparison has teeth', () => {
  it.each(TELEMETRY_TYPE_NAMES.map(tableForType))(
    'some %s fixture record matches a condition on a mapped column',
    (table) => {
      // Without hits, "same answer" could be "always false" in both schemas.
      const workspaceTable = WORKSPACE_TABLE_NAMES.find((t) => classicTableOf(t) === table) as WorkspaceTableName;
      const records = FIXTURE_RECORDS.get(table) ?? [];
      const mapped = pairsOf(workspaceTable).filter(
        (p) => p.workspace !== p.classic && p.workspace !== 'TimeGenerated',
      );
      const hits = mapped.filter((p) =>
        records.some((r) => compiled(`${workspaceTable} | where isnotnull(${p.workspace})`).predicate(r, NOW)),
      );
      expect(hits.length).toBeGreaterThan(0);
    },
  );
});
