import type { WorkspaceTableName } from '../../shared/core/export/workspaceTables';

/**
 * Classic column → workspace column, as the migration guide's "Table schemas" section renames them.
 * `null` drops a column the workspace table does not have. Kept here, apart from the reader's mapping,
 * so a generated row does not agree with the reader merely because both used the same table.
 */
const COMMON: Readonly<Record<string, string | null>> = {
  timestamp: null, // the time column differs by exporter; the row writer sets it
  itemType: null, // becomes Type, the table name
  itemId: null,
  appId: null,
  appName: null,
  iKey: null,
  operation_Name: 'OperationName',
  operation_Id: 'OperationId',
  operation_ParentId: 'ParentId',
  operation_SyntheticSource: 'SyntheticSource',
  session_Id: 'SessionId',
  user_Id: 'UserId',
  user_AuthenticatedId: 'UserAuthenticatedId',
  user_AccountId: 'UserAccountId',
  client_Type: 'ClientType',
  client_Model: 'ClientModel',
  client_OS: 'ClientOS',
  client_IP: 'ClientIP',
  client_City: 'ClientCity',
  client_StateOrProvince: 'ClientStateOrProvince',
  client_CountryOrRegion: 'ClientCountryOrRegion',
  client_Browser: 'ClientBrowser',
  cloud_RoleName: 'AppRoleName',
  cloud_RoleInstance: 'AppRoleInstance',
  application_Version: 'AppVersion',
  sdkVersion: 'SDKVersion',
  customDimensions: 'Properties',
  customMeasurements: 'Measurements',
  itemCount: 'ItemCount',
  duration: 'DurationMs',
};

const PER_TABLE: Readonly<Partial<Record<WorkspaceTableName, Readonly<Record<string, string | null>>>>> = {
  AppDependencies: { type: 'DependencyType' },
  AppExceptions: { type: 'ExceptionType' },
  AppBrowserTimings: {
    networkDuration: 'NetworkDurationMs',
    sendDuration: 'SendDurationMs',
    receiveDuration: 'ReceiveDurationMs',
    processingDuration: 'ProcessingDurationMs',
    totalDuration: 'TotalDurationMs',
  },
  AppAvailabilityResults: { size: null },
  // NOTE: the guide removes value and valueStdDev and maps valueCount to ItemCount; the classic
  // itemCount of a metric row (its sampling weight) has no workspace column.
  AppMetrics: {
    value: null,
    valueStdDev: null,
    itemCount: null,
    valueCount: 'ItemCount',
    valueSum: 'Sum',
    valueMin: 'Min',
    valueMax: 'Max',
  },
  AppPerformanceCounters: { itemCount: null },
};

/** The workspace name of a classic column of `table`: renamed, PascalCased, or null when dropped. */
export function workspaceColumnOf(table: WorkspaceTableName, classic: string): string | null {
  const own = PER_TABLE[table];
  if (own !== undefined && classic in own) return own[classic] ?? null;
  if (classic in COMMON) return COMMON[classic] ?? null;
  return classic.charAt(0).toUpperCase() + classic.slice(1);
}
