import { join } from 'node:path';

import type { ColumnValue } from '../../../shared/core/export/telemetryRecord';
import type { TableName, TelemetryType } from '../../../shared/core/export/telemetryTypes';
import { toRecords } from '../../../shared/core/export/toRecords';
import { bag, EDGE_APP_FOLDER, EDGE_BLOB_PATH, readFixtureRows } from './fixtureRows';

// Expected columns of every row of the hand-written edge fixtures
// (test/fixtures/export/shopfront-prod_<ikey>/<Type>/2024-03-05/13/edge_20240305_130102.blob).
// Rows reuse four contexts: FULL (every section, odd dimension keys, a custom metric), MINIMAL (no
// user, location, session or application, `dimensions: []`), SAMPLED (samplingRate 4, no custom at
// all) and BROWSER (browser device, samplingRate 4, `dimensions: []`).

type Expected = Record<string, ColumnValue>;

const SOURCE = { appName: 'shopfront-prod', instrumentationKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' };
const FROM_SOURCE = { appName: 'shopfront-prod', iKey: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' };

const ODD_DIMENSIONS = bag([
  ['__proto__', 'not a prototype'],
  ['constructor', 'not a constructor'],
  ['key with spaces', 'v 1'],
  ['dotted.key.name', 'v.2'],
  ['emoji 🎉 key', 'e\u0301 + 👩‍💻'],
  ['quote"key', 'line1\nline2\t"q" \\ \u0000 end'],
]);

const itemId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function full(n: number, extra: Expected, withMeasurements = true): Expected {
  return {
    timestamp: new Date('2024-03-05T12:59:58.123Z'),
    itemId: itemId(n),
    operation_Name: 'POST /Café/カート',
    operation_Id: '4bf92f3577b34da6a3ce929d0e0e4736',
    operation_ParentId: '|4bf92f3577b34da6a3ce929d0e0e4736.00f067aa_',
    operation_SyntheticSource: 'Availability Monitoring',
    session_Id: 'sess-1',
    user_Id: 'ü-anon-1',
    user_AuthenticatedId: 'alice@example.com',
    user_AccountId: 'acct-42',
    application_Version: '2.4.1',
    client_Type: 'PC',
    client_Model: 'Virtual Machine',
    client_OS: 'Ubuntu 22.04',
    client_IP: '203.0.113.0',
    client_City: '東京都',
    client_StateOrProvince: 'Tōkyō',
    client_CountryOrRegion: 'Japan',
    cloud_RoleName: 'shopfront-web',
    cloud_RoleInstance: 'web-0',
    ...FROM_SOURCE,
    customDimensions: ODD_DIMENSIONS,
    ...(withMeasurements ? { customMeasurements: bag([['basketSize', 3]]) } : {}),
    ...extra,
  };
}

function minimal(n: number, extra: Expected): Expected {
  return {
    timestamp: new Date('2024-03-05T13:00:00.500Z'),
    itemId: itemId(n),
    operation_Name: 'worker loop',
    operation_Id: 'op-min',
    client_Type: 'PC',
    cloud_RoleName: 'shopfront-worker',
    cloud_RoleInstance: 'worker-1',
    ...FROM_SOURCE,
    ...extra,
  };
}

function sampled(n: number, extra: Expected): Expected {
  return {
    timestamp: new Date('2024-03-05T13:00:01.000Z'),
    itemId: itemId(n),
    operation_Name: 'GET /health',
    operation_Id: 'op-sampled',
    operation_ParentId: 'op-sampled',
    client_Type: 'PC',
    client_IP: '0.0.0.0',
    cloud_RoleName: 'shopfront-web',
    cloud_RoleInstance: 'web-1',
    ...FROM_SOURCE,
    ...extra,
  };
}

function browser(n: number, extra: Expected): Expected {
  return {
    timestamp: new Date('2024-03-05T13:00:02.250Z'),
    itemId: itemId(n),
    operation_Name: '/checkout',
    operation_Id: 'op-browser',
    user_Id: 'anon|ブラウザ',
    client_Type: 'Browser',
    client_Model: 'Other',
    client_OS: 'Windows',
    client_Browser: 'Chrome 122.0',
    ...FROM_SOURCE,
    ...extra,
  };
}

const request = (e: Expected): Expected => ({ itemType: 'request', ...e });
const exception = (e: Expected): Expected => ({ itemType: 'exception', ...e });
const customEvent = (e: Expected): Expected => ({ itemType: 'customEvent', ...e });
const trace = (e: Expected): Expected => ({ itemType: 'trace', ...e });
const dependency = (e: Expected): Expected => ({ itemType: 'dependency', ...e });
const pageView = (e: Expected): Expected => ({ itemType: 'pageView', ...e });
const browserTiming = (e: Expected): Expected => ({ itemType: 'browserTiming', ...e });
const availabilityResult = (e: Expected): Expected => ({ itemType: 'availabilityResult', ...e });
const customMetric = (e: Expected): Expected => ({ itemType: 'customMetric', ...e });
const performanceCounter = (e: Expected): Expected => ({ itemType: 'performanceCounter', ...e });

/** Per folder: the table, then for each row (in file order) the columns of each of its records. */
const EXPECTED: ReadonlyArray<readonly [TelemetryType, TableName, ReadonlyArray<readonly Expected[]>]> = [
  [
    'Requests',
    'requests',
    [
      [
        request(
          full(101, {
            itemCount: 1,
            id: '|4bf92f3577b34da6a3ce929d0e0e4736.00f067aa_',
            name: 'POST /Café/カート',
            url: 'https://shop.example.com/Caf%C3%A9/%E3%82%AB%E3%83%BC%E3%83%88?q="x"',
            success: false,
            resultCode: '404',
            duration: 250,
            performanceBucket: '250ms-500ms',
          }),
        ),
      ],
      [
        request(
          minimal(102, {
            itemCount: 1,
            id: '|op-min.1_',
            name: 'GET /tab\tand\\back',
            url: 'http://localhost/tab%09',
            success: true,
            resultCode: '200',
            duration: 0,
            performanceBucket: '<250ms',
          }),
        ),
      ],
      [
        request(
          sampled(103, {
            itemCount: 25,
            id: '|op-sampled.2_',
            name: 'GET /health',
            url: 'http://shop.example.com/health',
            success: false,
            resultCode: '503',
            duration: 123.4567,
            performanceBucket: '<250ms',
          }),
        ),
      ],
    ],
  ],
  [
    'Exceptions',
    'exceptions',
    [
      [
        exception(
          full(201, {
            itemCount: 1,
            problemId: 'System.InvalidOperationException at Shop.Cart.Add',
            handledAt: 'Unhandled',
            type: 'System.InvalidOperationException',
            message: 'カートに追加できません 🛒',
            assembly: 'Shop, Version=1.0.0.0',
            method: 'Shop.Cart.Add',
            outerType: 'Shop.CartException',
            outerMessage: 'カートに追加できません 🛒',
            outerAssembly: 'Shop, Version=1.0.0.0',
            outerMethod: 'Shop.Cart.Add',
            innermostType: 'System.TimeoutException',
            innermostMessage: 'Timeout expired',
            innermostAssembly: 'System.Net.Sockets, Version=8.0.0.0',
            innermostMethod: 'System.Net.Sockets.Socket.Receive',
            severityLevel: 3,
            details: [
              {
                outerId: '0',
                id: '100',
                type: 'Shop.CartException',
                message: 'カートに追加できません 🛒',
                parsedStack: [
                  {
                    level: 0,
                    method: 'Shop.Cart.Add',
                    assembly: 'Shop, Version=1.0.0.0',
                    line: 42,
                    fileName: 'C:\\src\\Cart.cs',
                  },
                ],
              },
              {
                outerId: '100',
                id: '200',
                type: '',
                message: 'wrapped "quote"\nnext line',
                parsedStack: [{ level: 0, method: 'Shop.Db.Save', assembly: 'Shop.Data, Version=1.0.0.0', line: 7 }],
              },
              {
                outerId: '200',
                id: '300',
                type: 'System.TimeoutException',
                message: 'Timeout expired',
                parsedStack: [
                  {
                    level: 0,
                    method: 'System.Net.Sockets.Socket.Receive',
                    assembly: 'System.Net.Sockets, Version=8.0.0.0',
                    line: 0,
                  },
                ],
              },
            ],
          }),
        ),
      ],
      [
        exception(
          browser(202, {
            itemCount: 25,
            problemId: 'TypeError at checkout.js',
            handledAt: 'Unhandled',
            type: 'TypeError',
            message: "Uncaught TypeError: Cannot read properties of undefined (reading 'ü')",
            outerType: 'TypeError',
            outerMessage: 'Uncaught TypeError: outer',
            outerAssembly: 'checkout.js',
            outerMethod: 'onClick',
            innermostType: 'TypeError',
            innermostMessage: 'Uncaught TypeError: inner',
            innermostAssembly: 'cart.js',
            innermostMethod: 'readCart',
            severityLevel: 4,
          }),
        ),
      ],
      [
        exception(
          minimal(203, {
            itemCount: 1,
            problemId: 'System.Exception at Worker.Run',
            handledAt: 'UserCode',
            type: 'System.Exception',
            message: 'boom',
            outerType: 'System.Exception',
            outerMessage: 'boom',
            outerAssembly: 'Worker, Version=1.0.0.0',
            outerMethod: 'Worker.Run',
            innermostType: 'System.Exception',
            innermostMessage: 'boom',
            innermostAssembly: 'Worker, Version=1.0.0.0',
            innermostMethod: 'Worker.Run',
            details: [
              {
                outerId: '0',
                id: '55',
                type: 'System.Exception',
                message: 'boom',
                parsedStack: [{ level: 0, method: 'Worker.Run', assembly: 'Worker, Version=1.0.0.0', line: 9 }],
              },
            ],
          }),
        ),
      ],
    ],
  ],
  [
    'Event',
    'customEvents',
    [
      [customEvent(full(301, { itemCount: 1, name: 'Checkout ✓ e\u0301 完了' }))],
      [customEvent(minimal(302, { itemCount: 1, name: 'tab\tquote"newline\n' }))],
      [
        customEvent(sampled(303, { itemCount: 25, name: 'HealthPing' })),
        customEvent(sampled(303, { itemCount: 25, name: 'HealthPong 🏓' })),
      ],
    ],
  ],
  [
    'Messages',
    'traces',
    [
      [trace(full(401, { itemCount: 1, message: 'Order "A-1" failed:\nline 2\t\\ \u0000 ✓ 注文', severityLevel: 2 }))],
      [trace(minimal(402, { itemCount: 1, message: 'verbose tick', severityLevel: 0 }))],
      [
        trace(sampled(403, { itemCount: 25, message: 'ディスク容量が不足しています', severityLevel: 4 })),
        trace(sampled(403, { itemCount: 25, message: 'unknown level' })),
      ],
    ],
  ],
  [
    'Rdd',
    'dependencies',
    [
      [
        dependency(
          full(501, {
            itemCount: 1,
            id: '|4bf92f3577b34da6a3ce929d0e0e4736.1a2b3c4d_',
            target: 'api.example.com',
            type: 'Http',
            name: 'GET /api/商品',
            data: 'https://api.example.com/api/%E5%95%86%E5%93%81?x=1',
            success: false,
            resultCode: '404',
            duration: 0,
            performanceBucket: '<250ms',
          }),
        ),
      ],
      [
        dependency(
          minimal(502, {
            itemCount: 25,
            id: 'sql-1',
            target: 'tcp:sql.example.net | shop',
            type: 'SQL',
            name: 'SELECT shop.dbo.Products',
            data: "SELECT * FROM [Products] WHERE [Name] = N'Café'\n",
            success: true,
            resultCode: '0',
            duration: 8,
            performanceBucket: '<250ms',
          }),
        ),
      ],
      [
        dependency(
          sampled(503, {
            itemCount: 1,
            id: 'ajax-1',
            target: 'shop.example.com',
            type: 'Ajax',
            name: 'POST /api/cart',
            data: 'https://shop.example.com/api/cart',
            success: true,
            resultCode: '200',
            duration: 7000,
            performanceBucket: '7sec-15sec',
          }),
        ),
      ],
    ],
  ],
  [
    'PageViews',
    'pageViews',
    [
      [
        pageView(
          full(601, {
            itemCount: 1,
            id: 'pv-1',
            name: '商品ページ 🛍️',
            url: 'https://shop.example.com/p/%E5%95%86',
            duration: 1500,
            performanceBucket: '1sec-3sec',
          }),
        ),
      ],
      [pageView(browser(602, { itemCount: 1, name: 'No duration "page"', url: 'https://shop.example.com/' }))],
      [
        pageView(
          sampled(603, {
            itemCount: 25,
            name: 'Home',
            url: 'https://shop.example.com/',
            duration: 0,
            performanceBucket: '<250ms',
          }),
        ),
      ],
    ],
  ],
  [
    'PageViewPerformance',
    'browserTimings',
    [
      [
        browserTiming(
          full(701, {
            itemCount: 1,
            name: 'Checkout',
            url: 'https://shop.example.com/checkout',
            networkDuration: 1,
            sendDuration: 2,
            receiveDuration: 123,
            processingDuration: 345,
            totalDuration: 471,
            performanceBucket: '250ms-500ms',
          }),
        ),
      ],
      [
        browserTiming(
          minimal(702, {
            itemCount: 1,
            name: 'カート',
            url: 'https://shop.example.com/cart',
            networkDuration: 0,
            totalDuration: 0,
            performanceBucket: '<250ms',
          }),
        ),
      ],
      [
        browserTiming(
          sampled(703, {
            itemCount: 25,
            name: 'Home',
            url: 'https://shop.example.com/',
            processingDuration: 500,
            totalDuration: 2000,
            performanceBucket: '1sec-3sec',
          }),
        ),
      ],
    ],
  ],
  [
    'Availability',
    'availabilityResults',
    [
      [
        availabilityResult(
          full(801, {
            itemCount: 1,
            id: '6f1c1d2e-0000-4000-8000-000000000801',
            name: 'ホーム page ✓',
            location: 'apac-jp-kaw-edge',
            success: true,
            message: 'Passed',
            size: 16384,
            duration: 321,
            performanceBucket: '250ms-500ms',
          }),
        ),
      ],
      [
        availabilityResult(
          minimal(802, {
            itemCount: 1,
            id: 'run-802',
            name: 'checkout',
            location: 'emea-nl-ams-azr',
            success: false,
            message: 'Request failed:\n"503" from \\\\server',
          }),
        ),
      ],
      // No context.data.eventTime: the test's own timestamp stands in.
      [
        availabilityResult(
          sampled(803, {
            timestamp: new Date('2024-03-05T13:00:03.500Z'),
            itemCount: 25,
            id: 'run-803',
            name: 'health',
            location: 'us-va-ash-azr',
            success: false,
            duration: 0,
            performanceBucket: '<250ms',
          }),
        ),
      ],
    ],
  ],
  [
    'Metrics',
    'customMetrics',
    [
      [
        customMetric(
          full(
            901,
            {
              itemCount: 1,
              name: 'queue.length',
              value: 12,
              valueCount: 1,
              valueSum: 12,
              valueMin: 12,
              valueMax: 12,
              valueStdDev: 0,
            },
            false,
          ),
        ),
        customMetric(
          full(
            901,
            {
              itemCount: 1,
              name: '温度 🌡',
              value: 21.5,
              valueCount: 4,
              valueSum: 86,
              valueMin: 20,
              valueMax: 23,
              valueStdDev: 1.118,
            },
            false,
          ),
        ),
      ],
      [customMetric(minimal(902, { itemCount: 1, name: 'zero', value: 0, valueCount: 1 }))],
      [customMetric(sampled(903, { itemCount: 25, name: '__proto__', value: 7, valueCount: 1, valueSum: 7 }))],
      // No context.custom at all: a Metrics row without metrics has nothing to report.
      [],
    ],
  ],
  [
    'PerformanceCounters',
    'performanceCounters',
    [
      [
        performanceCounter(
          full(1001, {
            itemCount: 1,
            name: '% Processor Time',
            counter: '% Processor Time',
            category: 'Processor',
            instance: '_Total',
            value: 12.5,
          }),
        ),
        performanceCounter(
          full(1001, {
            itemCount: 1,
            name: 'Available Bytes',
            counter: 'Available Bytes',
            category: 'Memory',
            instance: '',
            value: 1073741824,
          }),
        ),
      ],
      [
        performanceCounter(
          minimal(1002, {
            itemCount: 1,
            name: 'Requests/Sec',
            counter: 'Requests/Sec',
            category: 'ASP.NET Applications',
            instance: '__Total__',
            value: 0,
          }),
        ),
      ],
      [
        performanceCounter(
          sampled(1003, {
            itemCount: 25,
            name: 'Zähler "x" 🧮',
            counter: 'Zähler "x" 🧮',
            category: 'Shop.Counters',
            instance: 'web-1',
            value: 3.25,
          }),
        ),
      ],
    ],
  ],
];

describe.each(EXPECTED)('toRecords on the %s edge fixture', (type, table, rows) => {
  const fixture = readFixtureRows(join(EDGE_APP_FOLDER, type, EDGE_BLOB_PATH));

  it('has one expectation per row', () => {
    expect(fixture).toHaveLength(rows.length);
  });

  it.each(rows.map((expected, i) => [i + 1, expected] as const))(
    'normalizes row %i to exactly the expected columns',
    (line, expected) => {
      // Arrange
      const row = fixture[line - 1];
      if (row === undefined) throw new Error(`fixture has no line ${line}`);

      // Act
      const result = toRecords(row.document, { ...SOURCE, telemetryType: type, line: row.line });

      // Assert
      if (!result.ok) throw new Error(result.error);
      expect(result.value.map((r) => r.table)).toEqual(expected.map(() => table));
      expect(result.value.map((r) => Object.keys(r.columns).sort())).toEqual(
        expected.map((e) => Object.keys(e).sort()),
      );
      expect(result.value.map((r) => r.columns)).toEqual(expected);
      for (const record of result.value) {
        expect(record.raw).toBe(row.document);
        expect(record.line).toBe(row.line);
      }
    },
  );
});
