import { join, relative } from 'node:path';

import { performanceBucket } from '../../../shared/core/export/records/durations';
import { TABLE_COLUMNS } from '../../../shared/core/export/tableSchemas';
import type { ColumnValue, TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import { TELEMETRY_TYPE_NAMES } from '../../../shared/core/export/telemetryTypes';
import { toRecords } from '../../../shared/core/export/toRecords';
import type { FixtureRow } from './fixtureRows';
import { bag, EDGE_APP_FOLDER, EDGE_BLOB_PATH, FIXTURES, readFixtureRows } from './fixtureRows';

// Real exported rows (test/fixtures/real, see SOURCES.md) must come through without loss: every field
// that has a column shows up in it, with the export's value.

const REAL = join(FIXTURES, 'real');
const SOURCE = {
  appName: 'netivity',
  instrumentationKey: '11111111222233334444555555555555',
  telemetryType: 'Requests',
} as const;

function only(row: FixtureRow | undefined, source: Parameters<typeof toRecords>[1]): TelemetryRecord {
  if (row === undefined) throw new Error('fixture has no row');
  const result = toRecords(row.document, source);
  if (!result.ok) throw new Error(result.error);
  expect(result.value).toHaveLength(1);
  return result.value[0] as TelemetryRecord;
}

/** Every leaf of a JSON value as [path, value]; array indexes become `#` so paths group by field. */
function leaves(value: unknown, path: string, out: Array<[string, string, unknown]>, key = ''): void {
  if (value !== null && typeof value === 'object') {
    if (Array.isArray(value)) value.forEach((v) => leaves(v, `${path}.#`, out));
    else for (const [k, v] of Object.entries(value)) leaves(v, `${path}.${k}`, out, k);
    return;
  }
  out.push([path.slice(1), key, value]);
}

type Check = (columns: Readonly<Record<string, ColumnValue | undefined>>, value: unknown, key: string) => void;

/** Dimension leaves end in the dimension's own key, which may contain dots. */
const DIMENSION = 'context.custom.dimensions.#';

/** Where each Requests field lands; a field missing here and from NO_COLUMN fails the test. */
const REQUEST_FIELDS: Readonly<Record<string, Check>> = {
  'request.#.id': (c, v) => expect(c.id).toBe(v),
  'request.#.name': (c, v) => expect(c.name).toBe(v),
  'request.#.count': (c, v) => expect(c.itemCount).toBe(v),
  'request.#.responseCode': (c, v) => expect(c.resultCode).toBe(String(v)),
  'request.#.success': (c, v) => expect(c.success).toBe(v),
  'request.#.url': (c, v) => expect(c.url).toBe(v),
  'request.#.durationMetric.sampledValue': (c, v) => expect(c.duration).toBe((v as number) / 10_000),
  'internal.data.id': (c, v) => expect(c.itemId).toBe(v),
  'context.data.eventTime': (c, v) => expect(c.timestamp).toEqual(new Date(Date.parse(v as string))),
  'context.device.type': (c, v) => expect(c.client_Type).toBe(v),
  'context.device.roleName': (c, v) => expect(c.cloud_RoleName).toBe(v),
  'context.device.roleInstance': (c, v) => expect(c.cloud_RoleInstance).toBe(v),
  'context.operation.id': (c, v) => expect(c.operation_Id).toBe(v),
  'context.operation.parentId': (c, v) => expect(c.operation_ParentId).toBe(v),
  'context.operation.name': (c, v) => expect(c.operation_Name).toBe(v),
  'context.location.clientip': (c, v) => expect(c.client_IP).toBe(v),
  'context.location.country': (c, v) => expect(c.client_CountryOrRegion).toBe(v),
  'context.location.province': (c, v) => expect(c.client_StateOrProvince).toBe(v),
  'context.location.city': (c, v) => expect(c.client_City).toBe(v),
  [DIMENSION]: (c, v, k) => expect((c.customDimensions as Record<string, unknown>)[k]).toBe(v),
};

/** Requests fields Log Analytics has no column for, or that only feed a derived one. */
const NO_COLUMN = new Set([
  'request.#.urlData.base',
  'request.#.urlData.host',
  'request.#.urlData.hashTag',
  'request.#.urlData.protocol',
  // The sampled total and its redundant statistics; `duration` is the per-item sampledValue.
  'request.#.durationMetric.value',
  'request.#.durationMetric.count',
  'request.#.durationMetric.min',
  'request.#.durationMetric.max',
  'request.#.durationMetric.stdDev',
  'internal.data.documentVersion',
  'context.data.isSynthetic',
  'context.data.samplingRate',
  'context.session.isFirst',
  'context.location.continent',
]);

const requestRows = [
  ...['Requests-1.json', 'Requests-2.json', 'Requests-3.json'],
  ...['Requests-wholeblob-blob-2.blob', 'Requests-wholeblob-blog-1.blob'],
].flatMap((file) => readFixtureRows(join(REAL, file)).map((row) => [`${file}:${row.line}`, row] as const));

describe('toRecords on real Requests rows', () => {
  it('reads all 24 real Requests rows', () => {
    expect(requestRows).toHaveLength(24);
  });

  it.each(requestRows)('%s: every field with a column shows up in it', (_name, row) => {
    // Arrange
    const fields: Array<[string, string, unknown]> = [];
    leaves(row.document, '', fields);

    // Act
    const { columns } = only(row, { ...SOURCE, line: row.line });

    // Assert
    for (const [leafPath, key, value] of fields) {
      const path = leafPath.startsWith(DIMENSION) ? DIMENSION : leafPath;
      const check = REQUEST_FIELDS[path];
      if (check === undefined) {
        expect(NO_COLUMN.has(path) ? path : `unmapped field ${path}`).toBe(path);
        continue;
      }
      check(columns, value, key);
    }
    expect(columns.performanceBucket).toBe(performanceBucket(columns.duration as number));
  });

  it('reads Requests-1 as Log Analytics shows it', () => {
    const [row] = readFixtureRows(join(REAL, 'Requests-1.json'));

    const record = only(row, { ...SOURCE, line: 1 });

    expect(record.table).toBe('requests');
    expect(record.line).toBe(1);
    expect(record.columns).toEqual({
      timestamp: new Date('2020-02-01T11:14:59.811Z'),
      itemId: '168d425a-44e4-11ea-a71b-c73f88c35596',
      itemType: 'request',
      itemCount: 25,
      operation_Name: 'GET /navigation/60e825f9',
      operation_Id: '56195746db76184da4b92614e4b87be6',
      operation_ParentId: '56195746db76184da4b92614e4b87be6',
      client_Type: 'PC',
      client_IP: '0.0.0.0',
      client_CountryOrRegion: 'Germany',
      cloud_RoleName: 'Presentation.Gateway',
      cloud_RoleInstance: 'TWN06',
      appName: 'netivity',
      iKey: '11111111-2222-3333-4444-555555555555',
      customDimensions: bag([
        ['_MS.ProcessedByMetricExtractors', "(Name:'Requests', Ver:'1.1'); (Name:'Requests', Ver:'1.1')"],
        ['InstanceKey', '60e825f9'],
        ['ClientIPAddress', '88.198.139.222'],
        ['CpuTimeInMs', '10'],
      ]),
      id: '|56195746db76184da4b92614e4b87be6.79bb1b2b_',
      name: 'GET /navigation/60e825f9',
      url: 'http://navigator-bus2.tweakwise.com/navigation/60e825f9?tn_fk_id=2319&tn_fk_maat=98%2F104|110%2F116|104%2F110&tn_p=3&tn_ps=24&tn_cid=100012-100012014-100012318-100012319',
      success: true,
      resultCode: '200',
      duration: 67.515,
      performanceBucket: '<250ms',
    });
  });
});

const EXCEPTION_CONTEXT = {
  itemType: 'exception',
  itemCount: 1,
  client_Type: 'PC',
  client_Browser: 'Chrome 49.0',
  client_IP: '127.0.0.1',
  operation_Name: 'GET TestError/Index',
  appName: 'netivity',
  iKey: '11111111-2222-3333-4444-555555555555',
  customDimensions: bag([
    ['testProperty0', 'testValue0'],
    ['testProperty1', 'testValue1'],
    ['DeveloperMode', 'true'],
  ]),
  customMeasurements: bag([
    ['testMetric0', -1.2345678],
    ['testMetric1', 3.1415926],
  ]),
};
const SAMPLE_APP = 'SampleWebApp, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null';

describe('toRecords on real Exceptions rows', () => {
  const source = { ...SOURCE, telemetryType: 'Exceptions' } as const;

  it('reads Exceptions-1 (one exception) into one record with its chain in details', () => {
    const [row] = readFixtureRows(join(REAL, 'Exceptions-1.json'));
    const chain = (row?.document.basicException as Array<Record<string, unknown>>)[1];

    const record = only(row, source);

    expect(record.columns).toEqual({
      ...EXCEPTION_CONTEXT,
      timestamp: new Date('2016-03-27T21:09:45.354Z'),
      itemId: '35f95a80-f460-11e5-925b-4779c025e2f7',
      operation_Id: '17824976075979859406',
      operation_ParentId: '17824976075979859406',
      user_Id: 'test_user',
      client_Model: 'MacBookPro10,2',
      client_OS: 'Windows 8.1',
      client_City: 'London',
      client_StateOrProvince: 'England',
      client_CountryOrRegion: 'United Kingdom',
      cloud_RoleInstance: 'tim-pc',
      problemId: 'System.ApplicationException at SampleWebApp.Controllers.TestErrorController.Index',
      handledAt: 'UserCode',
      type: 'System.ApplicationException',
      message: 'Test error',
      assembly: SAMPLE_APP,
      method: 'SampleWebApp.Controllers.TestErrorController.Index',
      outerType: 'System.ApplicationException',
      outerMessage: 'Test error',
      outerAssembly: SAMPLE_APP,
      outerMethod: 'SampleWebApp.Controllers.TestErrorController.Index',
      innermostType: 'System.ApplicationException',
      innermostMessage: 'Test error',
      innermostAssembly: SAMPLE_APP,
      innermostMethod: 'SampleWebApp.Controllers.TestErrorController.Index',
      details: [
        {
          outerId: '0',
          id: '803548',
          type: 'System.ApplicationException',
          message: 'Test error',
          parsedStack: chain?.parsedStack,
        },
      ],
    });
  });

  it('reads Exceptions-2 (an inner exception) with outer and innermost values apart', () => {
    const [row] = readFixtureRows(join(REAL, 'Exceptions-2.json'));
    const elements = row?.document.basicException as Array<Record<string, unknown>>;

    const record = only(row, source);

    expect(record.columns).toEqual({
      ...EXCEPTION_CONTEXT,
      timestamp: new Date('2016-04-07T13:30:42.164Z'),
      itemId: 'ecc71dd0-fcc4-11e5-93da-3f5352dac9fa',
      operation_Id: '2544302694970626384',
      operation_ParentId: '2544302694970626384',
      user_Id: '30C94746-00FD-4DBE-848C-F892EC89533E',
      client_OS: 'Windows 10',
      cloud_RoleInstance: 'REDACTED',
      problemId: 'System.DivideByZeroException at SampleWebApp.Controllers.TestErrorController.Index',
      handledAt: 'UserCode',
      type: 'System.DivideByZeroException',
      message: 'Test error',
      assembly: SAMPLE_APP,
      method: 'SampleWebApp.Controllers.TestErrorController.Index',
      outerType: 'System.ApplicationException',
      outerMessage: 'Test error',
      outerAssembly: SAMPLE_APP,
      outerMethod: 'SampleWebApp.Controllers.TestErrorController.Index',
      innermostType: 'System.DivideByZeroException',
      innermostMessage: 'Attempted to divide by zero.',
      innermostAssembly: 'mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089',
      innermostMethod: 'System.Math.DivRem',
      details: [
        {
          outerId: '0',
          id: '11420156',
          type: 'System.ApplicationException',
          message: 'Test error',
          parsedStack: elements[1]?.parsedStack,
        },
        {
          outerId: '11420156',
          id: '65573229',
          type: 'System.DivideByZeroException',
          message: 'Attempted to divide by zero.',
          parsedStack: elements[2]?.parsedStack,
        },
      ],
    });
  });
});

describe("every record of every fixture has only its table's columns, each of its Kusto type", () => {
  const KUSTO_CHECKS: Readonly<Record<string, (v: unknown) => boolean>> = {
    string: (v) => typeof v === 'string',
    int: (v) => Number.isInteger(v),
    long: (v) => Number.isInteger(v),
    real: (v) => typeof v === 'number' && Number.isFinite(v),
    bool: (v) => typeof v === 'boolean',
    datetime: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
    dynamic: (v) => typeof v === 'object' && v !== null,
  };
  const files = [
    ...[
      'Requests-wholeblob-blob-2.blob',
      'Requests-wholeblob-blog-1.blob',
      'Exceptions-1.json',
      'Exceptions-2.json',
    ].map((f) => join('real', f)),
    ...TELEMETRY_TYPE_NAMES.map((type) => join(relative(FIXTURES, EDGE_APP_FOLDER), type, EDGE_BLOB_PATH)),
  ];

  it.each(files)('%s', (file) => {
    for (const row of readFixtureRows(join(FIXTURES, file))) {
      const result = toRecords(row.document);
      if (!result.ok) throw new Error(result.error);
      for (const record of result.value) {
        const schema = TABLE_COLUMNS[record.table];
        for (const [column, value] of Object.entries(record.columns)) {
          const kustoType = schema[column];
          expect(kustoType === undefined ? `unknown column ${column}` : column).toBe(column);
          expect(KUSTO_CHECKS[kustoType ?? 'string']?.(value) ? column : `${column} is not a ${kustoType}`).toBe(
            column,
          );
        }
      }
    }
  });
});
