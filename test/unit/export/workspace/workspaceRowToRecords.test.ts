import { join } from 'node:path';

import type { ColumnType } from '../../../../shared/core/export/tableSchemas';
import { TABLE_COLUMNS } from '../../../../shared/core/export/tableSchemas';
import type { TelemetryRecord } from '../../../../shared/core/export/telemetryRecord';
import type { TelemetryType } from '../../../../shared/core/export/telemetryTypes';
import { toRecords } from '../../../../shared/core/export/toRecords';
import { workspaceRowToRecords } from '../../../../shared/core/export/workspace/workspaceRowToRecords';
import { WORKSPACE_TABLE_NAMES, type WorkspaceTableName } from '../../../../shared/core/export/workspaceTables';
import { bag, EDGE_APP_FOLDER, EDGE_BLOB_PATH, readFixtureRows } from '../fixtureRows';
import { SHAPES, SUCCESSOR, successorFixture } from './successorFixtures';

const CE_FOLDER: Readonly<Record<WorkspaceTableName, TelemetryType>> = {
  AppRequests: 'Requests',
  AppExceptions: 'Exceptions',
  AppEvents: 'Event',
  AppTraces: 'Messages',
  AppDependencies: 'Rdd',
  AppPageViews: 'PageViews',
  AppBrowserTimings: 'PageViewPerformance',
  AppAvailabilityResults: 'Availability',
  AppMetrics: 'Metrics',
  AppPerformanceCounters: 'PerformanceCounters',
};

/** Classic columns of the CE row that the workspace tables have no counterpart for (the guide's "removed"). */
const NOT_IN_WORKSPACE: Readonly<Record<WorkspaceTableName, readonly string[]>> = {
  AppRequests: ['itemId'],
  AppExceptions: ['itemId'],
  AppEvents: ['itemId'],
  AppTraces: ['itemId'],
  AppDependencies: ['itemId'],
  AppPageViews: ['itemId'],
  AppBrowserTimings: ['itemId'],
  AppAvailabilityResults: ['itemId'],
  // ItemCount answers valueCount; classic itemCount (from the sampling rate) and valueStdDev have no column.
  AppMetrics: ['itemId', 'itemCount', 'valueStdDev'],
  AppPerformanceCounters: ['itemId', 'customMeasurements', 'itemCount'],
};

function normalizeOne(document: Record<string, unknown>, table: WorkspaceTableName, line?: number): TelemetryRecord {
  const result = workspaceRowToRecords(document, line === undefined ? { table } : { table, line });
  if (!result.ok) throw new Error(result.error);
  expect(result.value).toHaveLength(1);
  return result.value[0] as TelemetryRecord;
}

function ceRecord(table: WorkspaceTableName): TelemetryRecord {
  const [row] = readFixtureRows(join(EDGE_APP_FOLDER, CE_FOLDER[table], EDGE_BLOB_PATH));
  const result = toRecords(row!.document, {
    appName: 'shopfront-prod',
    instrumentationKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    telemetryType: CE_FOLDER[table],
  });
  if (!result.ok) throw new Error(result.error);
  return result.value[0] as TelemetryRecord;
}

function hasType(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
    case 'long':
      return Number.isInteger(value);
    case 'real':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'datetime':
      return value instanceof Date && !Number.isNaN(value.getTime());
    case 'dynamic':
      return typeof value === 'object' && value !== null;
  }
}

describe.each(SHAPES)('workspaceRowToRecords on %s rows', (shape) => {
  it.each(WORKSPACE_TABLE_NAMES)(
    'normalizes every %s row into its classic table, with schema columns of schema types',
    (table) => {
      // Arrange
      const rows = readFixtureRows(successorFixture(shape, table));

      // Act
      const records = rows.map((row) => normalizeOne(row.document, table, row.line));

      // Assert
      expect(rows).toHaveLength(2);
      for (const record of records) {
        const schema = TABLE_COLUMNS[record.table];
        const wrong = Object.entries(record.columns).filter(([name, value]) => {
          const type = schema[name];
          return type === undefined || !hasType(value, type);
        });
        expect(wrong).toEqual([]);
        expect(record.columns.Type).toBe(table);
      }
      expect(records.map((r) => r.line)).toEqual([1, 2]);
      expect(records[0]?.raw).toBe(rows[0]?.document);
    },
  );

  it.each(WORKSPACE_TABLE_NAMES)('gives a %s row the columns of the CE row of the same telemetry', (table) => {
    // Arrange
    const [row] = readFixtureRows(successorFixture(shape, table));
    const classic = ceRecord(table);

    // Act
    const record = normalizeOne(row!.document, table);

    // Assert
    const shared = Object.keys(classic.columns).filter((k) => k in record.columns);
    const pick = (r: TelemetryRecord) => Object.fromEntries(shared.map((k) => [k, r.columns[k]]));
    expect(pick(record)).toEqual(pick(classic));
    const missing = Object.keys(classic.columns).filter((k) => !(k in record.columns) && k !== 'appName');
    expect(missing).toEqual(NOT_IN_WORKSPACE[table]);
    expect(record.table).toBe(classic.table);
  });
});

describe('workspaceRowToRecords, the two shapes', () => {
  it('reads the time from "time" (diagnostic settings) and from "TimeGenerated" (data export) alike', () => {
    const at = '2024-03-05T12:59:58.1234567Z';

    const fromTime = normalizeOne({ time: at, Type: 'AppEvents', Name: 'x' }, 'AppEvents');
    const fromGenerated = normalizeOne({ TimeGenerated: at, Type: 'AppEvents', Name: 'x' }, 'AppEvents');

    expect(fromTime.columns.timestamp).toEqual(new Date('2024-03-05T12:59:58.123Z'));
    expect(fromGenerated.columns).toEqual(fromTime.columns);
  });

  it('sets _ResourceId from "resourceId" or "_ResourceId", whichever the row has, as written', () => {
    const diagnostic = normalizeOne({ time: '2024-03-05T13:00:00Z', resourceId: '/SUBSCRIPTIONS/S/X' }, 'AppTraces');
    const dataExport = normalizeOne(
      { TimeGenerated: '2024-03-05T13:00:00Z', _ResourceId: '/subscriptions/s/x' },
      'AppTraces',
    );

    expect(diagnostic.columns._ResourceId).toBe('/SUBSCRIPTIONS/S/X');
    expect(dataExport.columns._ResourceId).toBe('/subscriptions/s/x');
  });

  it('keeps the workspace-only columns of a data-export row under their workspace names', () => {
    const [row] = readFixtureRows(successorFixture('dataExport', 'AppRequests'));

    const record = normalizeOne(row!.document, 'AppRequests');

    expect(record.columns).toMatchObject({
      TenantId: '3d5e7f90-1111-4222-8333-444455556666',
      SourceSystem: 'Azure',
      _SubscriptionId: '6b1c3f2e-0000-4000-8000-00000000aa01',
      _IsBillable: 'True',
      _BilledSize: 1002,
      appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      Type: 'AppRequests',
      itemType: 'request',
    });
  });

  it('reads null columns of a data-export row as absent', () => {
    const [, row] = readFixtureRows(successorFixture('dataExport', 'AppRequests'));

    const record = normalizeOne(row!.document, 'AppRequests');

    expect(
      ['cloud_RoleInstance', 'client_City', 'user_Id', 'customDimensions'].filter((k) => k in record.columns),
    ).toEqual([]);
  });

  it.each([
    [
      'AppRequests-1.json',
      'AppRequests',
      { resultCode: '200', success: true, duration: 9.1593, performanceBucket: '<250ms' },
    ],
    [
      'AppDependencies-1.json',
      'AppDependencies',
      { type: '{dependencyTypeName property of client.trackDependency}', duration: 231 },
    ],
  ] as const)('normalizes the real diagnostic-settings sample %s', (file, table, expected) => {
    const [row] = readFixtureRows(join(SUCCESSOR, 'real', file));

    const record = normalizeOne(row!.document, table);

    expect(record.columns).toMatchObject({ ...expected, itemCount: 1, Type: table });
    expect(record.columns._ResourceId).toMatch(/^\/SUBSCRIPTIONS\//);
    expect(Object.keys(record.columns).filter((k) => TABLE_COLUMNS[record.table][k] === undefined)).toEqual([]);
  });
});

describe('workspaceRowToRecords, derived and alternative values', () => {
  const at = '2024-03-05T13:00:00Z';

  it('derives performanceBucket from the duration when the row has none', () => {
    expect(normalizeOne({ time: at, DurationMs: 612 }, 'AppPageViews').columns.performanceBucket).toBe('500ms-1sec');
    expect(normalizeOne({ time: at, TotalDurationMs: 3120 }, 'AppBrowserTimings').columns.performanceBucket).toBe(
      '3sec-7sec',
    );
  });

  it('gives a single AppMetrics measurement a classic value, and an aggregate none', () => {
    expect(normalizeOne({ time: at, Sum: 4, ItemCount: 1 }, 'AppMetrics').columns).toMatchObject({
      value: 4,
      valueSum: 4,
      valueCount: 1,
    });
    expect(normalizeOne({ time: at, Sum: 4, ItemCount: 2 }, 'AppMetrics').columns.value).toBeUndefined();
  });

  it('answers classic counter from Name when an AppPerformanceCounters row has no Counter', () => {
    expect(normalizeOne({ time: at, Name: 'Available Bytes' }, 'AppPerformanceCounters').columns.counter).toBe(
      'Available Bytes',
    );
  });

  it.each([
    [{ Success: 'True' }, { success: true }],
    [{ Success: 'false' }, { success: false }],
    [{ ResultCode: 500 }, { resultCode: '500' }],
    [
      { Properties: '{"tenant":"acme","n":3}' },
      {
        customDimensions: bag([
          ['tenant', 'acme'],
          ['n', '3'],
        ]),
      },
    ],
    [{ Measurements: '{"m":1.5,"s":"x"}' }, { customMeasurements: bag([['m', 1.5]]) }],
  ] as const)('reads %j as %j', (row, expected) => {
    expect(normalizeOne({ time: at, ...row }, 'AppRequests').columns).toMatchObject(expected);
  });

  it.each([
    [{ Success: 1 }, 'success'],
    [{ DurationMs: '12' }, 'duration'],
    [{ ItemCount: 1.5 }, 'itemCount'],
    [{ Properties: {} }, 'customDimensions'],
    [{ Properties: 'not json' }, 'customDimensions'],
  ] as const)('leaves %j absent as %s', (row, column) => {
    expect(normalizeOne({ time: at, ...row }, 'AppRequests').columns[column]).toBeUndefined();
  });

  it('gives Properties keys like __proto__ as own keys of an object without a prototype', () => {
    const dims = normalizeOne(
      JSON.parse(`{"time":"${at}","Properties":{"__proto__":"p"}}`) as Record<string, unknown>,
      'AppEvents',
    ).columns.customDimensions as Record<string, string>;

    expect(Object.getPrototypeOf(dims)).toBeNull();
    expect(dims.__proto__).toBe('p');
  });
});

describe('workspaceRowToRecords, malformed rows', () => {
  it.each([
    [{ Type: 'AppRequests' }, 'row has no time: neither "TimeGenerated" nor "time" is present'],
    [{ time: 12 }, '"time" is a number, expected a UTC date-time string'],
    [
      { TimeGenerated: '2024-02-30T00:00:00Z' },
      '"TimeGenerated" is "2024-02-30T00:00:00Z", not a date-time (expected yyyy-MM-ddTHH:mm:ss[.fffffff]Z)',
    ],
    [
      { time: '2024-03-05T13:00:00Z', Type: 'AppTraces' },
      'row is of table "AppTraces" ("Type"), but its container holds AppRequests rows',
    ],
    [
      { time: '2024-03-05T13:00:00Z', Type: 'x'.repeat(50) },
      `row is of table "${'x'.repeat(40)}…" ("Type"), but its container holds AppRequests rows`,
    ],
    [{ time: '2024-03-05T13:00:00Z', Type: 7 }, '"Type" is a number, expected the table name AppRequests'],
  ])('refuses %j: %s', (row, message) => {
    expect(workspaceRowToRecords(row, { table: 'AppRequests' })).toEqual({ ok: false, error: message });
  });

  it('accepts a Type in another case and a time with an offset', () => {
    const record = normalizeOne({ TimeGenerated: '2024-03-05T14:00:00+01:00', Type: 'apprequests' }, 'AppRequests');

    expect(record.columns.timestamp).toEqual(new Date('2024-03-05T13:00:00Z'));
  });

  it('refuses a value that is not an object', () => {
    expect(workspaceRowToRecords([] as unknown as Record<string, unknown>, { table: 'AppEvents' })).toEqual({
      ok: false,
      error: 'row is an array, expected a JSON object',
    });
  });

  it('refuses an exception whose Details hold more items than the cap', () => {
    const row = { time: '2024-03-05T13:00:00Z', Details: [{}, {}, {}] };

    expect(workspaceRowToRecords(row, { table: 'AppExceptions' }, { maxItemsPerRow: 2 })).toEqual({
      ok: false,
      error: 'row holds 3 items, over the cap of 2',
    });
  });
});
