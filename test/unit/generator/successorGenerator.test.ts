import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import {
  createRng,
  DEMO_RESOURCE,
  generateSuccessorBlobText,
  generateWorkspaceRows,
  successorBlobPlace,
  successorFolderWindow,
  writeSuccessorBlob,
} from '../../../scripts/exportGenerator';
import { parseCli } from '../../../scripts/generateExport';
import { readWorkspaceRecords } from '../../../shared/core/export/workspace/readWorkspaceRecords';
import {
  classicTableOf,
  WORKSPACE_TABLE_NAMES,
  type WorkspaceTableName,
} from '../../../shared/core/export/workspaceTables';

type Row = Record<string, unknown>;
const rowsOf = (text: string): Row[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
const hour = successorFolderWindow('diagnosticSettings', new Date('2024-03-05T13:20:00Z'));
const fiveMinutes = successorFolderWindow('dataExport', new Date('2024-03-05T13:22:10Z'));
const SEVEN_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

// The Azure Monitor table reference (successor-formats.md §2.3), plus PerformanceBucket, which the
// archive's records carry (New Relic test data) though the reference does not list it.
const COMMON = [
  'AppRoleInstance',
  'AppRoleName',
  'AppVersion',
  '_BilledSize',
  'ClientBrowser',
  'ClientCity',
  'ClientCountryOrRegion',
  'ClientIP',
  'ClientModel',
  'ClientOS',
  'ClientStateOrProvince',
  'ClientType',
  'IKey',
  '_IsBillable',
  'OperationId',
  'OperationName',
  'ParentId',
  'Properties',
  'ResourceGUID',
  '_ResourceId',
  'SDKVersion',
  'SessionId',
  'SourceSystem',
  '_SubscriptionId',
  'SyntheticSource',
  'TenantId',
  'TimeGenerated',
  'Type',
  'UserAccountId',
  'UserAuthenticatedId',
  'UserId',
];
const OWN: Record<WorkspaceTableName, string[]> = {
  AppRequests: [
    'DurationMs',
    'Id',
    'ItemCount',
    'Measurements',
    'Name',
    'ReferencedItemId',
    'ReferencedType',
    'ResultCode',
    'Source',
    'Success',
    'Url',
    'PerformanceBucket',
  ],
  AppExceptions: [
    'Assembly',
    'Details',
    'ExceptionType',
    'HandledAt',
    'InnermostAssembly',
    'InnermostMessage',
    'InnermostMethod',
    'InnermostType',
    'ItemCount',
    'Measurements',
    'Message',
    'Method',
    'OuterAssembly',
    'OuterMessage',
    'OuterMethod',
    'OuterType',
    'ProblemId',
    'SeverityLevel',
  ],
  AppDependencies: [
    'Data',
    'DependencyType',
    'DurationMs',
    'Id',
    'ItemCount',
    'Measurements',
    'Name',
    'ReferencedItemId',
    'ReferencedType',
    'ResultCode',
    'Success',
    'Target',
    'PerformanceBucket',
  ],
  AppTraces: ['ItemCount', 'Measurements', 'Message', 'ReferencedItemId', 'ReferencedType', 'SeverityLevel'],
  AppEvents: ['ItemCount', 'Measurements', 'Name'],
  AppPageViews: ['DurationMs', 'Id', 'ItemCount', 'Measurements', 'Name', 'Url', 'PerformanceBucket'],
  AppBrowserTimings: [
    'ItemCount',
    'Measurements',
    'Name',
    'NetworkDurationMs',
    'ProcessingDurationMs',
    'ReceiveDurationMs',
    'SendDurationMs',
    'TotalDurationMs',
    'Url',
    'PerformanceBucket',
  ],
  AppAvailabilityResults: [
    'DurationMs',
    'Id',
    'ItemCount',
    'Location',
    'Measurements',
    'Message',
    'Name',
    'Success',
    'PerformanceBucket',
  ],
  AppMetrics: ['ItemCount', 'Max', 'Min', 'Name', 'Sum'],
  AppPerformanceCounters: ['Category', 'Counter', 'Instance', 'Name', 'Value'],
};

describe('successor-format generator', () => {
  it('gives the same rows for the same seed and different rows for another seed', () => {
    const text = (seed: number) =>
      WORKSPACE_TABLE_NAMES.map((t) =>
        generateSuccessorBlobText(t, 20, seed, { format: 'diagnosticSettings', window: hour }),
      );
    expect(text(5)).toEqual(text(5));
    expect(text(5)).not.toEqual(text(6));
  });

  describe.each(WORKSPACE_TABLE_NAMES)('%s', (table) => {
    it('writes diagnostic-settings records: time, upper-cased resourceId, Type, table columns only, empty ones left out', () => {
      // Arrange / Act
      const rows = rowsOf(
        generateSuccessorBlobText(table, 300, `ds-${table}`, { format: 'diagnosticSettings', window: hour }),
      );

      // Assert
      // NOTE: one expect per finding, not per row and key: 300 rows × 40 keys of expect calls cost seconds.
      const allowed = new Set(['time', 'resourceId', ...COMMON, ...OWN[table]]);
      const absent = ['TimeGenerated', '_ResourceId', 'TenantId', '_SubscriptionId', '_IsBillable', 'SourceSystem'];
      expect(rows).toHaveLength(300);
      const findings = new Set<string>();
      for (const row of rows) {
        findings.add(`first keys ${Object.keys(row).slice(0, 4).join(',')}`);
        findings.add(`Type ${String(row.Type)}`);
        findings.add(`resourceId ${String(row.resourceId)}`);
        if (!SEVEN_DIGITS.test(String(row.time))) findings.add(`time ${String(row.time)}`);
        for (const key of Object.keys(row)) if (!allowed.has(key)) findings.add(`unknown key ${key}`);
        for (const key of absent) if (key in row) findings.add(`key ${key}`);
        for (const [key, value] of Object.entries(row))
          if (value === null || value === '') findings.add(`empty ${key}`);
      }
      expect([...findings].sort()).toEqual([
        'Type ' + table,
        'first keys time,resourceId,ResourceGUID,Type',
        'resourceId /SUBSCRIPTIONS/5B2F9C1E-0D4A-4E8B-9A67-3C1D2E4F5A6B/RESOURCEGROUPS/CONTOSO-PROD/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/CONTOSO-SHOP',
      ]);
    });

    it('files diagnostic-settings records by the hour received: in the hour, or up to 48 h older', () => {
      const rows = rowsOf(
        generateSuccessorBlobText(table, 600, `stale-${table}`, {
          format: 'diagnosticSettings',
          window: hour,
          staleShare: 0.05,
        }),
      );
      const times = rows.map((r) => Date.parse(r.time as string));
      const stale = times.filter((t) => t < hour.start.getTime());
      expect(stale.length).toBeGreaterThan(0);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(hour.start.getTime() - 48 * 3_600_000);
      expect(Math.max(...times)).toBeLessThan(hour.end.getTime());
    });

    it('writes data-export rows: TenantId, TimeGenerated inside the five minutes, _ResourceId and the system columns', () => {
      // Arrange / Act
      const rows = rowsOf(
        generateSuccessorBlobText(table, 300, `de-${table}`, { format: 'dataExport', window: fiveMinutes }),
      );

      // Assert
      const allowed = new Set([...COMMON, ...OWN[table]]);
      const findings = new Set<string>();
      for (const row of rows) {
        findings.add(`first keys ${Object.keys(row).slice(0, 2).join(',')}`);
        for (const key of ['TenantId', 'Type', '_ResourceId', '_SubscriptionId', 'SourceSystem'])
          findings.add(`${key} ${String(row[key])}`);
        const t = Date.parse(row.TimeGenerated as string);
        if (!(t >= fiveMinutes.start.getTime() && t < fiveMinutes.end.getTime()))
          findings.add(`TimeGenerated ${String(row.TimeGenerated)}`);
        for (const key of Object.keys(row)) if (!allowed.has(key)) findings.add(`unknown key ${key}`);
      }
      expect([...findings].sort()).toEqual(
        [
          'first keys TenantId,TimeGenerated',
          `TenantId ${DEMO_RESOURCE.workspaceId}`,
          `Type ${table}`,
          '_ResourceId /subscriptions/5b2f9c1e-0d4a-4e8b-9a67-3c1d2e4f5a6b/resourcegroups/contoso-prod/providers/microsoft.insights/components/contoso-shop',
          `_SubscriptionId ${DEMO_RESOURCE.subscriptionId}`,
          'SourceSystem Azure',
        ].sort(),
      );
    });
  });

  it('types the columns as the workspace tables do: bool Success, real DurationMs in ms, string ResultCode, dynamic Properties', () => {
    // Arrange
    const rows = rowsOf(
      generateSuccessorBlobText('AppRequests', 200, 'types', { format: 'diagnosticSettings', window: hour }),
    );

    // Assert
    for (const row of rows) {
      expect(typeof row.Success).toBe('boolean');
      expect(typeof row.ResultCode).toBe('string');
      expect(typeof row.DurationMs).toBe('number');
      expect(row.DurationMs as number).toBeLessThan(10 * 60_000);
    }
    expect(
      rows.some((r) => typeof r.Properties === 'object' && r.Properties !== null && !Array.isArray(r.Properties)),
    ).toBe(true);
    expect(rows.some((r) => r.Success === false)).toBe(true);
  });

  it.each([
    ['AppDependencies', ['DependencyType', 'Target']],
    ['AppExceptions', ['ExceptionType', 'Details', 'ProblemId']],
    ['AppBrowserTimings', ['TotalDurationMs', 'NetworkDurationMs']],
    ['AppMetrics', ['Sum', 'Min', 'Max', 'ItemCount']],
    ['AppPerformanceCounters', ['Counter', 'Category', 'Value']],
    ['AppTraces', ['Message', 'SeverityLevel']],
  ] as const)('gives %s its own columns %j', (table, columns) => {
    const rows = rowsOf(generateSuccessorBlobText(table, 50, 'own', { format: 'diagnosticSettings', window: hour }));
    for (const row of rows) for (const column of columns) expect(row).toHaveProperty(column);
  });

  it('writes multi-byte characters, so appends cut mid-character', () => {
    const text = WORKSPACE_TABLE_NAMES.map((t) =>
      generateSuccessorBlobText(t, 100, 'utf8', { format: 'diagnosticSettings', window: hour }),
    ).join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
    expect(text).toMatch(/[\u{10000}-\u{10FFFF}]/u);
  });

  it('applies an injection to its share of rows, chosen by row index', () => {
    // Arrange
    const inject = { rate: 0.1, apply: ({ row }: { row: Row }) => void (row.ResultCode = '599') };

    // Act
    const rng = createRng(1);
    let injected = 0;
    const rows: Row[] = [];
    for (let index = 0; index < 500; index++) {
      const made = generateWorkspaceRows('AppRequests', rng, {
        format: 'dataExport',
        resource: DEMO_RESOURCE,
        window: fiveMinutes,
        inject,
        index,
      });
      injected += made.injected;
      rows.push(...made.rows);
    }

    // Assert
    expect(rows.filter((r) => r.ResultCode === '599')).toHaveLength(injected);
    expect(injected).toBeGreaterThan(20);
    expect(injected).toBeLessThan(80);
  });

  it.each([
    [
      'diagnosticSettings',
      'AppRequests',
      'insights-logs-apprequests',
      'resourceId=/SUBSCRIPTIONS/5B2F9C1E-0D4A-4E8B-9A67-3C1D2E4F5A6B/RESOURCEGROUPS/CONTOSO-PROD/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/CONTOSO-SHOP/y=2024/m=03/d=05/h=13/m=00/PT1H.json',
    ],
    [
      'dataExport',
      'AppTraces',
      'am-apptraces',
      'WorkspaceResourceId=/subscriptions/5b2f9c1e-0d4a-4e8b-9a67-3c1d2e4f5a6b/resourceGroups/contoso-prod/providers/Microsoft.OperationalInsights/workspaces/contoso-logs/y=2024/m=03/d=05/h=13/m=20/PT05M.json',
    ],
  ] as const)('names %s blobs of %s as the exporter does', (format, table, container, blobName) => {
    expect(successorBlobPlace(format, table, new Date('2024-03-05T13:22:10Z'))).toEqual({ container, blobName });
  });

  it('names a data-export blob past its append limit PT05M_<n>.json', () => {
    expect(successorBlobPlace('dataExport', 'AppEvents', fiveMinutes.start, DEMO_RESOURCE, 2).blobName).toMatch(
      /\/m=20\/PT05M_2\.json$/,
    );
  });

  it('streams a file of whole lines close to the target size, byte-identical on a second run', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'successor-gen-'));
    try {
      // Act
      const first = await writeSuccessorBlob(join(dir, 'a', 'PT1H.json'), 'AppExceptions', 64 * 1024, 9, {
        format: 'diagnosticSettings',
        window: hour,
      });
      const second = await writeSuccessorBlob(join(dir, 'b', 'PT1H.json'), 'AppExceptions', 64 * 1024, 9, {
        format: 'diagnosticSettings',
        window: hour,
      });

      // Assert
      const text = await readFile(first.filePath, 'utf8');
      expect(await readFile(second.filePath, 'utf8')).toBe(text);
      expect(Math.abs(first.bytes - 64 * 1024)).toBeLessThan(8 * 1024);
      expect(Buffer.byteLength(text)).toBe(first.bytes);
      expect(rowsOf(text)).toHaveLength(first.rows);
      expect(text.endsWith('\n')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run generate --format', () => {
  it.each([
    [['--out', 'x'], 'continuousExport'],
    [['--out', 'x', '--format', 'diagnosticSettings'], 'diagnosticSettings'],
    [['--out', 'x', '--format', 'dataexport'], 'dataExport'],
  ])('reads %j as %s', (argv, format) => {
    expect(parseCli(argv).plan?.format).toBe(format);
  });

  it('takes workspace tables and export types alike in --types', () => {
    expect(
      parseCli(['--out', 'x', '--format', 'dataExport', '--types', 'AppRequests,traces,Rdd,apptraces']).plan?.types,
    ).toEqual(['Requests', 'Messages', 'Rdd']);
  });

  it('names the formats it takes when given another', () => {
    expect(parseCli(['--out', 'x', '--format', 'eventHub']).problems).toEqual([
      "--format: 'eventHub' is not one of continuousExport, diagnosticSettings, dataExport",
    ]);
  });
});

describe('generated successor rows through the reader', () => {
  it.each(
    WORKSPACE_TABLE_NAMES.flatMap(
      (t) =>
        [
          [t, 'diagnosticSettings'],
          [t, 'dataExport'],
        ] as const,
    ),
  )('reads %s %s rows without a malformed one', async (table, format) => {
    // Arrange
    const text = generateSuccessorBlobText(table, 100, `read-${table}`, {
      format,
      window: format === 'dataExport' ? fiveMinutes : hour,
    });

    // Act
    const records = readWorkspaceRecords({ blobName: 'PT.json', table }, Readable.from([Buffer.from(text)]));
    let count = 0;
    for await (const record of records) if (record.table === classicTableOf(table)) count++;

    // Assert
    expect(records.stats).toMatchObject({ rows: 100, badRows: 0, records: 100 });
    expect(count).toBe(100);
  });
});
