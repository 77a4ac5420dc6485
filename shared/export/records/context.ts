import type { TableName } from '../telemetryTypes';
import { customDimensions, customMeasurements } from './custom';
import { asInt, asNumber, asObject, asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';
import { parseEventTime } from './timestamp';

/** `itemType` as Log Analytics fills it for each table. */
const ITEM_TYPES: Readonly<Record<TableName, string>> = {
  requests: 'request',
  exceptions: 'exception',
  customEvents: 'customEvent',
  traces: 'trace',
  dependencies: 'dependency',
  pageViews: 'pageView',
  browserTimings: 'browserTiming',
  availabilityResults: 'availabilityResult',
  customMetrics: 'customMetric',
  performanceCounters: 'performanceCounter',
};

const EMPTY: JsonObject = {};

/**
 * The columns every table shares, read from the row's `context` and `internal` sections. Every section
 * is optional; a missing one leaves its columns absent.
 *
 * @param appName - the application folder name, for `appName`.
 * @param instrumentationKey - for `iKey`; the 32-hex-digit form of the blob path gets its dashes back.
 */
export function contextColumns(
  document: JsonObject,
  table: TableName,
  appName: string | undefined,
  instrumentationKey: string | undefined,
): Columns {
  const context = asObject(document.context) ?? EMPTY;
  const data = asObject(context.data) ?? EMPTY;
  const operation = asObject(context.operation) ?? EMPTY;
  const user = asObject(context.user) ?? EMPTY;
  const device = asObject(context.device) ?? EMPTY;
  const location = asObject(context.location) ?? EMPTY;
  const custom = asObject(context.custom) ?? EMPTY;
  const internal = asObject(asObject(document.internal)?.data) ?? EMPTY;

  const columns: Columns = { itemType: ITEM_TYPES[table] };
  const eventTime = asString(data.eventTime);
  setColumn(columns, 'timestamp', eventTime === undefined ? undefined : parseEventTime(eventTime));
  setColumn(columns, 'itemId', asString(internal.id));
  setColumn(columns, 'operation_Name', asString(operation.name));
  setColumn(columns, 'operation_Id', asString(operation.id));
  setColumn(columns, 'operation_ParentId', asString(operation.parentId));
  setColumn(columns, 'operation_SyntheticSource', asString(operation.syntheticSource));
  setColumn(columns, 'session_Id', asString(asObject(context.session)?.id));
  setColumn(columns, 'user_Id', asString(user.anonId));
  setColumn(columns, 'user_AuthenticatedId', asString(user.authId));
  setColumn(columns, 'user_AccountId', asString(user.accountId));
  setColumn(columns, 'application_Version', asString(asObject(context.application)?.version));
  setColumn(columns, 'client_Type', asString(device.type));
  setColumn(columns, 'client_Model', asString(device.deviceModel));
  setColumn(columns, 'client_OS', asString(device.osVersion) ?? asString(device.os));
  setColumn(columns, 'client_IP', asString(location.clientip));
  setColumn(columns, 'client_City', asString(location.city));
  setColumn(columns, 'client_StateOrProvince', asString(location.province));
  setColumn(columns, 'client_CountryOrRegion', asString(location.country));
  setColumn(columns, 'client_Browser', asString(device.browserVersion) ?? asString(device.browser));
  setColumn(columns, 'cloud_RoleName', asString(device.roleName));
  setColumn(columns, 'cloud_RoleInstance', asString(device.roleInstance));
  setColumn(columns, 'appName', appName);
  setColumn(columns, 'iKey', instrumentationKey === undefined ? undefined : withDashes(instrumentationKey));
  // NOTE: no public export row or document shows an SDK version; these are the places it would be.
  setColumn(columns, 'sdkVersion', asString(internal.sdkVersion) ?? asString(device.sdkVersion));
  setColumn(columns, 'customDimensions', customDimensions(custom.dimensions));
  // In the Metrics folder `context.custom.metrics` holds the metrics themselves, one record each.
  if (table !== 'customMetrics') setColumn(columns, 'customMeasurements', customMeasurements(custom.metrics));
  return columns;
}

/** `context.data.samplingRate`, the percentage of items kept, when it is a usable percentage. */
export function samplingRateOf(document: JsonObject): number | undefined {
  const rate = asNumber(asObject(asObject(document.context)?.data)?.samplingRate);
  return rate !== undefined && rate > 0 && rate <= 100 ? rate : undefined;
}

/**
 * `itemCount`: the item's own `count` (`100/samplingRate`), or that quotient from
 * `context.data.samplingRate` when the item has none (Metrics, PerformanceCounters).
 * A `count` of 0 marks an exception-chain element, not an item, so it does not count.
 */
export function itemCount(count: unknown, samplingRate: number | undefined): number | undefined {
  const own = asInt(count);
  if (own !== undefined && own > 0) return own;
  return samplingRate === undefined ? undefined : Math.round(100 / samplingRate);
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** Log Analytics shows the iKey as a dashed GUID; the export path drops the dashes. */
function withDashes(key: string): string {
  if (key.length !== 32) return key;
  for (let i = 0; i < 32; i++) if (!isHex(key.charCodeAt(i))) return key;
  const k = key.toLowerCase();
  return `${k.slice(0, 8)}-${k.slice(8, 12)}-${k.slice(12, 16)}-${k.slice(16, 20)}-${k.slice(20)}`;
}
