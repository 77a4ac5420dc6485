import type { TableName } from '../../export/telemetryTypes';
import { WORKSPACE_COLUMNS } from '../../export/workspace/workspaceSchema';
import { workspaceTableOf } from '../../export/workspaceTables';

/** The raw export format a row's bytes are in. */
export type RawFormat = 'continuousExport' | 'workspace';

/**
 * How a record value relates to the raw text of its row, which decides the needles it may give:
 * - `verbatim`: always the content of one JSON string of the row, copied as is (`"name":"GET /"`);
 * - `numberText`: such a string, or the text of a JSON number (`"responseCode":5e2` gives `"500"`),
 *   under a known key;
 * - `looseText`: a string, a number's text or `true`/`false` written without quotes, under a known key.
 * Any other value (derived, converted, taken from the blob path) gives no needle.
 */
export type RawSource =
  | { readonly kind: 'verbatim' }
  | { readonly kind: 'numberText' | 'looseText'; /** The JSON key the value is read from. */ readonly key: string };

const VERBATIM: RawSource = { kind: 'verbatim' };

// Continuous Export: the shared `context` columns and the requests item's strings are copied from a
// JSON string of the row (docs/COLUMNS.md). Left out on purpose: iKey and appName (from the blob path,
// iKey re-cased), itemType (the table), performanceBucket (derived), timestamp (parsed).
const CE_VERBATIM_COMMON = new Set([
  'itemId',
  'operation_Name',
  'operation_Id',
  'operation_ParentId',
  'operation_SyntheticSource',
  'session_Id',
  'user_Id',
  'user_AuthenticatedId',
  'user_AccountId',
  'application_Version',
  'client_Type',
  'client_Model',
  'client_OS',
  'client_IP',
  'client_City',
  'client_StateOrProvince',
  'client_CountryOrRegion',
  'client_Browser',
  'cloud_RoleName',
  'cloud_RoleInstance',
  'sdkVersion',
]);
const CE_VERBATIM_TABLE: Partial<Record<TableName, ReadonlySet<string>>> = {
  requests: new Set(['id', 'source', 'name', 'url']),
};

// Workspace string columns are copied as written, except these: ResultCode may be an integer,
// PerformanceBucket is derived when absent, Type is replaced by the table name.
const WORKSPACE_NOT_VERBATIM = new Set(['ResultCode', 'PerformanceBucket', 'Type', 'TimeGenerated']);

/** How the value of a record column (classic name) appears in a raw row of `format`, if known. */
export function columnSource(format: RawFormat, table: TableName, column: string): RawSource | undefined {
  if (column === 'resultCode' && table === 'requests')
    return { kind: 'numberText', key: format === 'continuousExport' ? 'responseCode' : 'ResultCode' };
  if (format === 'continuousExport') {
    return CE_VERBATIM_COMMON.has(column) || CE_VERBATIM_TABLE[table]?.has(column) === true ? VERBATIM : undefined;
  }
  // `_ResourceId` is read from `_ResourceId` or `resourceId`, both strings kept as written.
  if (column === '_ResourceId') return VERBATIM;
  // Every workspace column filling the record column must copy a string, or the value may be derived.
  const filling = WORKSPACE_COLUMNS[workspaceTableOf(table)].filter((c) => (c.classic ?? c.name) === column);
  const copied = filling.length > 0 && filling.every((c) => c.type === 'string' && !WORKSPACE_NOT_VERBATIM.has(c.name));
  return copied ? VERBATIM : undefined;
}

/**
 * How the value under one key of a dynamic record column appears. Continuous Export's
 * customDimensions keep string values only; the workspace `Properties` also turn numbers and booleans
 * into their text.
 */
export function propertySource(format: RawFormat, column: string, key: string): RawSource | undefined {
  if (column !== 'customDimensions') return undefined;
  return format === 'continuousExport' ? VERBATIM : { kind: 'looseText', key };
}

/**
 * The JSON key a bool column is read from when that key alone fills it: requests `success`, which
 * Continuous Export writes as a JSON boolean and the workspace formats as a boolean or as the string
 * `"True"`/`"false"` in any case.
 */
export function boolKey(format: RawFormat, table: TableName, column: string): string | undefined {
  if (table !== 'requests' || column !== 'success') return undefined;
  return format === 'continuousExport' ? 'success' : 'Success';
}
