import type { ColumnType } from '../columnType';
import type { WorkspaceTableName } from '../workspaceTables';

/** One column of a workspace `App*` table, and where a record keeps its value. */
export interface WorkspaceColumn {
  /** The workspace column, e.g. `ResultCode`. */
  readonly name: string;
  /** Its Kusto type in the workspace table. */
  readonly type: ColumnType;
  /** The classic column holding the same value; undefined = workspace-only (stored under `name`). */
  readonly classic: string | undefined;
}

const col = (name: string, type: ColumnType, classic?: string): WorkspaceColumn => ({ name, type, classic });

/**
 * Columns of all ten tables (Azure Monitor table reference). Classic names follow the migration
 * guide's "Table schemas": same name in other case, plus its renames. `ResourceGUID` answers the
 * classic `appId` (the guide's `appId|string|ResourceGUID`), so both schemas read one key; `Type` holds
 * the table name (`AppRequests`), not classic `itemType`'s `request`, so it stays workspace-only.
 */
const COMMON: readonly WorkspaceColumn[] = [
  col('TimeGenerated', 'datetime', 'timestamp'),
  col('TenantId', 'string'),
  col('_ResourceId', 'string'),
  col('_SubscriptionId', 'string'),
  col('_BilledSize', 'real'),
  col('_IsBillable', 'string'),
  col('SourceSystem', 'string'),
  col('Type', 'string'),
  col('ResourceGUID', 'string', 'appId'),
  col('IKey', 'string', 'iKey'),
  col('AppRoleInstance', 'string', 'cloud_RoleInstance'),
  col('AppRoleName', 'string', 'cloud_RoleName'),
  col('AppVersion', 'string', 'application_Version'),
  col('ClientBrowser', 'string', 'client_Browser'),
  col('ClientCity', 'string', 'client_City'),
  col('ClientCountryOrRegion', 'string', 'client_CountryOrRegion'),
  col('ClientIP', 'string', 'client_IP'),
  col('ClientModel', 'string', 'client_Model'),
  col('ClientOS', 'string', 'client_OS'),
  col('ClientStateOrProvince', 'string', 'client_StateOrProvince'),
  col('ClientType', 'string', 'client_Type'),
  col('OperationId', 'string', 'operation_Id'),
  col('OperationName', 'string', 'operation_Name'),
  col('ParentId', 'string', 'operation_ParentId'),
  col('SyntheticSource', 'string', 'operation_SyntheticSource'),
  col('SessionId', 'string', 'session_Id'),
  col('UserId', 'string', 'user_Id'),
  col('UserAuthenticatedId', 'string', 'user_AuthenticatedId'),
  col('UserAccountId', 'string', 'user_AccountId'),
  col('SDKVersion', 'string', 'sdkVersion'),
  col('Properties', 'dynamic', 'customDimensions'),
];

const ITEM_COUNT = col('ItemCount', 'int', 'itemCount');
const MEASUREMENTS = col('Measurements', 'dynamic', 'customMeasurements');
const REFERENCED = [col('ReferencedItemId', 'string'), col('ReferencedType', 'string')] as const;
const DURATION = col('DurationMs', 'real', 'duration');
// NOTE: not in the table reference's lists, but the diagnostic-settings samples carry it for requests
// and dependencies and classic has it on every table with a duration; when a row lacks it the
// normalizer derives it from the duration, as the classic reader does.
const BUCKET = col('PerformanceBucket', 'string', 'performanceBucket');

export const WORKSPACE_COLUMNS: Readonly<Record<WorkspaceTableName, readonly WorkspaceColumn[]>> = {
  AppRequests: [
    ...COMMON,
    col('Id', 'string', 'id'),
    col('Name', 'string', 'name'),
    col('Url', 'string', 'url'),
    col('Source', 'string', 'source'),
    col('Success', 'bool', 'success'),
    col('ResultCode', 'string', 'resultCode'),
    DURATION,
    BUCKET,
    ITEM_COUNT,
    MEASUREMENTS,
    ...REFERENCED,
  ],
  AppExceptions: [
    ...COMMON,
    col('ProblemId', 'string', 'problemId'),
    col('HandledAt', 'string', 'handledAt'),
    col('ExceptionType', 'string', 'type'),
    col('Message', 'string', 'message'),
    col('Assembly', 'string', 'assembly'),
    col('Method', 'string', 'method'),
    col('OuterType', 'string', 'outerType'),
    col('OuterMessage', 'string', 'outerMessage'),
    col('OuterAssembly', 'string', 'outerAssembly'),
    col('OuterMethod', 'string', 'outerMethod'),
    col('InnermostType', 'string', 'innermostType'),
    col('InnermostMessage', 'string', 'innermostMessage'),
    col('InnermostAssembly', 'string', 'innermostAssembly'),
    col('InnermostMethod', 'string', 'innermostMethod'),
    col('SeverityLevel', 'int', 'severityLevel'),
    col('Details', 'dynamic', 'details'),
    ITEM_COUNT,
    MEASUREMENTS,
  ],
  AppEvents: [...COMMON, col('Name', 'string', 'name'), ITEM_COUNT, MEASUREMENTS],
  AppTraces: [
    ...COMMON,
    col('Message', 'string', 'message'),
    col('SeverityLevel', 'int', 'severityLevel'),
    ITEM_COUNT,
    MEASUREMENTS,
    ...REFERENCED,
  ],
  AppDependencies: [
    ...COMMON,
    col('Id', 'string', 'id'),
    col('Target', 'string', 'target'),
    col('DependencyType', 'string', 'type'),
    col('Name', 'string', 'name'),
    col('Data', 'string', 'data'),
    col('Success', 'bool', 'success'),
    col('ResultCode', 'string', 'resultCode'),
    DURATION,
    BUCKET,
    ITEM_COUNT,
    MEASUREMENTS,
    ...REFERENCED,
  ],
  AppPageViews: [
    ...COMMON,
    col('Id', 'string', 'id'),
    col('Name', 'string', 'name'),
    col('Url', 'string', 'url'),
    DURATION,
    BUCKET,
    ITEM_COUNT,
    MEASUREMENTS,
  ],
  AppBrowserTimings: [
    ...COMMON,
    col('Name', 'string', 'name'),
    col('Url', 'string', 'url'),
    col('NetworkDurationMs', 'real', 'networkDuration'),
    col('SendDurationMs', 'real', 'sendDuration'),
    col('ReceiveDurationMs', 'real', 'receiveDuration'),
    col('ProcessingDurationMs', 'real', 'processingDuration'),
    col('TotalDurationMs', 'real', 'totalDuration'),
    BUCKET,
    ITEM_COUNT,
    MEASUREMENTS,
  ],
  AppAvailabilityResults: [
    ...COMMON,
    col('Id', 'string', 'id'),
    col('Name', 'string', 'name'),
    col('Location', 'string', 'location'),
    col('Success', 'bool', 'success'),
    col('Message', 'string', 'message'),
    // NOTE: like PerformanceBucket, missing from the reference's list; classic has `size`.
    col('Size', 'real', 'size'),
    DURATION,
    BUCKET,
    ITEM_COUNT,
    MEASUREMENTS,
  ],
  // The guide maps `valueCount` to ItemCount (the number of measurements aggregated), so AppMetrics'
  // ItemCount is not classic `itemCount`; `value` and `valueStdDev` are removed.
  AppMetrics: [
    ...COMMON,
    col('Name', 'string', 'name'),
    col('Sum', 'real', 'valueSum'),
    col('Min', 'real', 'valueMin'),
    col('Max', 'real', 'valueMax'),
    col('ItemCount', 'int', 'valueCount'),
  ],
  // NOTE: the guide marks classic `counter` removed, yet the reference lists `Counter` and sample rows
  // carry it: it maps to `counter`.
  AppPerformanceCounters: [
    ...COMMON,
    col('Name', 'string', 'name'),
    col('Category', 'string', 'category'),
    col('Counter', 'string', 'counter'),
    col('Instance', 'string', 'instance'),
    col('Value', 'real', 'value'),
  ],
};

const BY_NAME = new Map<WorkspaceTableName, ReadonlyMap<string, WorkspaceColumn>>(
  (Object.keys(WORKSPACE_COLUMNS) as WorkspaceTableName[]).map((table) => [
    table,
    new Map(WORKSPACE_COLUMNS[table].map((c) => [c.name, c])),
  ]),
);

/** The workspace column of a table by its exact name, or undefined. */
export function workspaceColumnOf(table: WorkspaceTableName, column: string): WorkspaceColumn | undefined {
  return BY_NAME.get(table)?.get(column);
}

/**
 * The key in `record.columns` that answers a workspace column: its classic name, else its own.
 *
 * @returns undefined when the table has no such column (names are case-sensitive, as in KQL).
 */
export function recordColumnOf(table: WorkspaceTableName, column: string): string | undefined {
  const found = workspaceColumnOf(table, column);
  return found === undefined ? undefined : (found.classic ?? found.name);
}
