import {
  canStillGrowUntil,
  parseSuccessorPath,
  placeFolders,
  successorContainerTable,
} from '../../../shared/core/export/successorPath';

// The resource id of the notes' diagnostic-settings sample (newrelic test data), as the path writes it.
const COMPONENT =
  '/SUBSCRIPTIONS/0b1f6471-1bf0-4dda-aec3-cb9272f09590/RESOURCEGROUPS/SHOP-RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP-PROD';
const WORKSPACE =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourcegroups/shop-rg/providers/microsoft.operationalinsights/workspaces/shop-logs';
const DS = `resourceId=${COMPONENT}/y=2024/m=02/d=29/h=23/m=00/PT1H.json`;
const DE = `WorkspaceResourceId=${WORKSPACE}/y=2024/m=02/d=29/h=23/m=55/PT05M.json`;

describe('successorContainerTable', () => {
  it.each([
    ['insights-logs-apprequests', 'diagnosticSettings', 'AppRequests'],
    ['INSIGHTS-LOGS-AppExceptions', 'diagnosticSettings', 'AppExceptions'],
    ['insights-logs-appperformancecounters', 'diagnosticSettings', 'AppPerformanceCounters'],
    ['am-AppRequests', 'dataExport', 'AppRequests'],
    ['am-appbrowsertimings', 'dataExport', 'AppBrowserTimings'],
    ['AM-APPMETRICS', 'dataExport', 'AppMetrics'],
  ])('reads %s as %s of %s', (container, format, table) => {
    expect(successorContainerTable(container)).toEqual({ format, table });
  });

  it.each([
    'export',
    'insights-logs-functionapplogs',
    'insights-logs-',
    'am-SecurityEvent',
    'am-apprequestsx',
    'xam-apprequests',
    'insights-metrics-pt1m',
  ])('is undefined for %s', (container) => expect(successorContainerTable(container)).toBeUndefined());
});

describe('parseSuccessorPath', () => {
  it('reads a diagnostic-settings PT1H.json: table from the container, component from the path, the hour as its period', () => {
    expect(parseSuccessorPath('insights-logs-apprequests', DS)).toEqual({
      ok: true,
      value: {
        format: 'diagnosticSettings',
        container: 'insights-logs-apprequests',
        blobName: DS,
        table: 'AppRequests',
        resourceId: COMPONENT,
        componentName: 'SHOP-PROD',
        periodStart: new Date('2024-02-29T23:00:00Z'),
        periodMinutes: 60,
      },
    });
  });

  it('reads a data-export PT05M.json: the workspace as its resource, the 5-minute folder as its period', () => {
    const parsed = parseSuccessorPath('am-AppRequests', DE);
    expect(parsed).toEqual({
      ok: true,
      value: {
        format: 'dataExport',
        container: 'am-AppRequests',
        blobName: DE,
        table: 'AppRequests',
        resourceId: WORKSPACE,
        periodStart: new Date('2024-02-29T23:55:00Z'),
        periodMinutes: 5,
      },
    });
    expect(parsed.ok && 'componentName' in parsed.value).toBe(false);
  });

  it.each(['PT05M.json', 'PT05M_1.json', 'PT05M_3.json', 'PT05M_12.json', 'PT5M.json'])(
    'accepts the data-export file name %s',
    (file) => {
      const parsed = parseSuccessorPath('am-appevents', DE.replace('PT05M.json', file));
      expect(parsed).toMatchObject({ ok: true, value: { table: 'AppEvents', periodMinutes: 5 } });
    },
  );

  it('matches key names and the provider path in any case, and keeps the resource id as written', () => {
    const lower = `resourceid=${COMPONENT.toLowerCase()}/Y=2024/M=02/D=29/H=23/M=00/PT1H.json`;
    expect(parseSuccessorPath('insights-logs-apprequests', lower)).toMatchObject({
      ok: true,
      value: {
        resourceId: COMPONENT.toLowerCase(),
        componentName: 'shop-prod',
        periodStart: new Date('2024-02-29T23:00:00Z'),
      },
    });
    const upper = `WORKSPACERESOURCEID=${WORKSPACE.toUpperCase()}/y=2024/m=02/d=29/h=23/m=00/PT5M.json`;
    expect(parseSuccessorPath('am-apprequests', upper)).toMatchObject({
      ok: true,
      value: { resourceId: WORKSPACE.toUpperCase() },
    });
  });

  it.each([
    [
      'insights-logs-apprequests',
      DS.replace('y=2024/m=02/d=29', 'y=2023/m=02/d=29'),
      'y=2023/m=02/d=29 is not a calendar date',
    ],
    ['insights-logs-apprequests', DS.replace('d=29', 'd=31'), 'y=2024/m=02/d=31 is not a calendar date'],
    ['insights-logs-apprequests', DS.replace('m=02', 'm=13'), 'm=13 is not a month (01-12)'],
    ['insights-logs-apprequests', DS.replace('m=02', 'm=00'), 'm=00 is not a month (01-12)'],
    ['insights-logs-apprequests', DS.replace('h=23', 'h=24'), 'h=24 is not an hour (00-23)'],
    ['insights-logs-apprequests', DS.replace('y=2024', 'y=0099'), 'y=0099/m=02/d=29 is not a calendar date'],
    ['insights-logs-apprequests', DS.replace('h=23', 'h=7'), "'h=7' is not a h=NN folder"],
    [
      'insights-logs-apprequests',
      DS.replace('h=23/m=00', 'h=23/m=30'),
      'm=30 is not m=00: diagnostic settings write one blob per hour',
    ],
    ['am-apprequests', DE.replace('m=55', 'm=07'), 'm=07 is not a 5-minute folder (00, 05, … 55)'],
    ['am-apprequests', DE.replace('m=55', 'm=60'), 'm=60 is not a 5-minute folder (00, 05, … 55)'],
  ])('refuses an impossible date: %s %s', (container, blobName, reason) => {
    expect(parseSuccessorPath(container, blobName)).toEqual({ ok: false, error: { container, blobName, reason } });
  });

  it.each([
    ['export', DS, "container 'export' is not insights-logs-<App table> or am-<App table>"],
    ['insights-logs-apprequests', DS.replace('PT1H.json', 'PT1H.json.tmp'), "'PT1H.json.tmp' is not PT1H.json"],
    ['insights-logs-apprequests', DS.replace('PT1H.json', 'PT05M.json'), "'PT05M.json' is not PT1H.json"],
    [
      'am-apprequests',
      DE.replace('PT05M.json', 'PT1H.json'),
      "'PT1H.json' is not PT05M.json, PT05M_<n>.json or PT5M.json",
    ],
    ['am-apprequests', DE.replace('PT05M.json', 'PT05M_.json'), "'PT05M_.json' is not PT05M.json"],
    [
      'insights-logs-apprequests',
      DS.replace('/PT1H.json', '/extra/PT1H.json'),
      'expected 15 path segments resourceId=/SUBSCRIPTIONS/',
    ],
    ['insights-logs-apprequests', 'readme.txt', 'expected 15 path segments'],
    [
      'insights-logs-apprequests',
      DS.replace('resourceId=', 'resource='),
      "'resource=' is not the 'resourceId=' folder",
    ],
    [
      'insights-logs-apprequests',
      DS.replace('MICROSOFT.INSIGHTS', 'MICROSOFT.WEB'),
      "'MICROSOFT.WEB' in the resource id is not 'microsoft.insights' (any case)",
    ],
    ['insights-logs-apprequests', DE, "'WorkspaceResourceId=' is not the 'resourceId=' folder"],
    ['am-apprequests', DS, "'resourceId=' is not the 'WorkspaceResourceId=' folder"],
    ['insights-logs-apprequests', DS.replace('/SHOP-RG/', '//'), 'the resource id has an empty segment at position 4'],
    ['insights-logs-apprequests', DS.replace('y=2024', 'year=2024'), "'year=2024' is not a y=NNNN folder"],
  ])('refuses a name outside the layout: %s %s', (container, blobName, reason) => {
    const parsed = parseSuccessorPath(container, blobName);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error.reason).toContain(reason);
  });
});

describe('placeFolders', () => {
  it('says which span a folder prefix covers, down to the period folder', () => {
    const folders = DS.split('/').slice(0, -1);
    const spans = [10, 11, 12, 13, 14].map((n) => {
      const placed = placeFolders('diagnosticSettings', folders.slice(0, n));
      return placed.ok
        ? [placed.value.dateDepth, placed.value.periodStart?.toISOString(), placed.value.periodEnd?.toISOString()]
        : placed.error;
    });
    expect(spans).toEqual([
      [1, '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
      [2, '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      [3, '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      [4, '2024-02-29T23:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      [5, '2024-02-29T23:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ]);
    expect(placeFolders('dataExport', DE.split('/').slice(0, -1))).toMatchObject({
      ok: true,
      value: {
        dateDepth: 5,
        periodStart: new Date('2024-02-29T23:55:00Z'),
        periodEnd: new Date('2024-03-01T00:00:00Z'),
      },
    });
  });

  it('accepts the folders above the dates without a span, and refuses a wrong one at its depth', () => {
    expect(placeFolders('diagnosticSettings', ['resourceId=', 'SUBSCRIPTIONS', 'x'])).toMatchObject({
      ok: true,
      value: { dateDepth: 0, periodStart: undefined },
    });
    expect(placeFolders('diagnosticSettings', ['resourceId=', 'SUBSCRIPTIONS', 'x', 'RESOURCES'])).toEqual({
      ok: false,
      error: "'RESOURCES' in the resource id is not 'resourcegroups' (any case)",
    });
  });
});

describe('canStillGrowUntil', () => {
  it('is two hours after the hour for diagnostic settings, and 60 hours after the 5 minutes for data export', () => {
    const ds = parseSuccessorPath('insights-logs-apprequests', DS);
    const de = parseSuccessorPath('am-apprequests', DE);
    if (!ds.ok || !de.ok) throw new Error('fixture paths must parse');
    expect(canStillGrowUntil(ds.value)).toEqual(new Date('2024-03-01T02:00:00Z'));
    expect(canStillGrowUntil(de.value)).toEqual(new Date('2024-03-03T12:00:00Z'));
  });
});
