/** Kusto scalar types of the columns, as Log Analytics declares them. */
import type { ColumnType } from './columnType';
import type { TableName } from './telemetryTypes';
import { WORKSPACE_COLUMNS } from './workspace/workspaceSchema';
import { classicTableOf, WORKSPACE_TABLE_NAMES } from './workspaceTables';

export type { ColumnType } from './columnType';

const COMMON_COLUMNS = {
  timestamp: 'datetime',
  itemId: 'string',
  itemType: 'string',
  itemCount: 'int',
  operation_Name: 'string',
  operation_Id: 'string',
  operation_ParentId: 'string',
  operation_SyntheticSource: 'string',
  session_Id: 'string',
  user_Id: 'string',
  user_AuthenticatedId: 'string',
  user_AccountId: 'string',
  application_Version: 'string',
  client_Type: 'string',
  client_Model: 'string',
  client_OS: 'string',
  client_IP: 'string',
  client_City: 'string',
  client_StateOrProvince: 'string',
  client_CountryOrRegion: 'string',
  client_Browser: 'string',
  cloud_RoleName: 'string',
  cloud_RoleInstance: 'string',
  appName: 'string',
  iKey: 'string',
  sdkVersion: 'string',
  customDimensions: 'dynamic',
  customMeasurements: 'dynamic',
  // The workspace's ResourceGUID (migration guide: `appId|string|ResourceGUID`); CE rows never fill it.
  appId: 'string',
} as const satisfies Record<string, ColumnType>;

/**
 * Every column a record of each table can have. Rule validation checks column names against this,
 * and `docs/COLUMNS.md` says which export field fills each one.
 */
const CLASSIC_COLUMNS: Readonly<Record<TableName, Readonly<Record<string, ColumnType>>>> = {
  requests: {
    ...COMMON_COLUMNS,
    id: 'string',
    source: 'string',
    name: 'string',
    url: 'string',
    success: 'bool',
    resultCode: 'string',
    duration: 'real',
    performanceBucket: 'string',
  },
  exceptions: {
    ...COMMON_COLUMNS,
    problemId: 'string',
    handledAt: 'string',
    type: 'string',
    message: 'string',
    assembly: 'string',
    method: 'string',
    outerType: 'string',
    outerMessage: 'string',
    outerAssembly: 'string',
    outerMethod: 'string',
    innermostType: 'string',
    innermostMessage: 'string',
    innermostAssembly: 'string',
    innermostMethod: 'string',
    severityLevel: 'int',
    details: 'dynamic',
  },
  customEvents: { ...COMMON_COLUMNS, name: 'string' },
  traces: { ...COMMON_COLUMNS, message: 'string', severityLevel: 'int' },
  dependencies: {
    ...COMMON_COLUMNS,
    id: 'string',
    target: 'string',
    type: 'string',
    name: 'string',
    data: 'string',
    success: 'bool',
    resultCode: 'string',
    duration: 'real',
    performanceBucket: 'string',
  },
  pageViews: {
    ...COMMON_COLUMNS,
    id: 'string',
    name: 'string',
    url: 'string',
    duration: 'real',
    performanceBucket: 'string',
  },
  browserTimings: {
    ...COMMON_COLUMNS,
    name: 'string',
    url: 'string',
    networkDuration: 'real',
    sendDuration: 'real',
    receiveDuration: 'real',
    processingDuration: 'real',
    totalDuration: 'real',
    performanceBucket: 'string',
  },
  availabilityResults: {
    ...COMMON_COLUMNS,
    id: 'string',
    name: 'string',
    location: 'string',
    success: 'bool',
    message: 'string',
    size: 'real',
    duration: 'real',
    performanceBucket: 'string',
  },
  customMetrics: {
    ...COMMON_COLUMNS,
    name: 'string',
    value: 'real',
    valueCount: 'int',
    valueSum: 'real',
    valueMin: 'real',
    valueMax: 'real',
    valueStdDev: 'real',
  },
  performanceCounters: {
    ...COMMON_COLUMNS,
    name: 'string',
    category: 'string',
    counter: 'string',
    instance: 'string',
    value: 'real',
  },
};

/**
 * The classic columns plus, per table, the workspace-only columns of its workspace table (`_ResourceId`,
 * `TenantId`, `Type`, ...) under their workspace names, so a classic query reads them too. Appended
 * after the classic ones, so the classic columns keep their order.
 */
export const TABLE_COLUMNS: Readonly<Record<TableName, Readonly<Record<string, ColumnType>>>> =
  withWorkspaceOnly(CLASSIC_COLUMNS);

function withWorkspaceOnly(
  classic: Readonly<Record<TableName, Readonly<Record<string, ColumnType>>>>,
): Readonly<Record<TableName, Readonly<Record<string, ColumnType>>>> {
  const tables = { ...classic } as Record<TableName, Record<string, ColumnType>>;
  for (const workspaceTable of WORKSPACE_TABLE_NAMES) {
    const table = classicTableOf(workspaceTable);
    const columns: Record<string, ColumnType> = { ...tables[table] };
    for (const column of WORKSPACE_COLUMNS[workspaceTable]) {
      if (column.classic === undefined) columns[column.name] = column.type;
    }
    tables[table] = columns;
  }
  return tables;
}
