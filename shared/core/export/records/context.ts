import type { TableName } from '../telemetryTypes';
import { customDimensions, customMeasurements } from './custom';
import type { Columns, JsonObject } from './read';
import { asInt, asNumber, asObject, asString } from './read';
import { parseEventTime } from './timestamp';

/** `itemType` as Log Analytics fills it for each table: the table's name for one of its items. */
export const ITEM_TYPES: Readonly<Record<TableName, string>> = {
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
  const session = asObject(context.session) ?? EMPTY;
  const application = asObject(context.application) ?? EMPTY;
  const custom = asObject(context.custom) ?? EMPTY;
  const internal = asObject(asObject(document.internal)?.data) ?? EMPTY;

  const columns: Columns = { itemType: ITEM_TYPES[table] };
  const timestamp = typeof data.eventTime === 'string' ? parseEventTime(data.eventTime) : undefined;
  if (timestamp !== undefined) columns.timestamp = timestamp;
  if (typeof internal.id === 'string') columns.itemId = internal.id;
  if (typeof operation.name === 'string') columns.operation_Name = operation.name;
  if (typeof operation.id === 'string') columns.operation_Id = operation.id;
  if (typeof operation.parentId === 'string') columns.operation_ParentId = operation.parentId;
  if (typeof operation.syntheticSource === 'string') columns.operation_SyntheticSource = operation.syntheticSource;
  if (typeof session.id === 'string') columns.session_Id = session.id;
  if (typeof user.anonId === 'string') columns.user_Id = user.anonId;
  if (typeof user.authId === 'string') columns.user_AuthenticatedId = user.authId;
  if (typeof user.accountId === 'string') columns.user_AccountId = user.accountId;
  if (typeof application.version === 'string') columns.application_Version = application.version;
  if (typeof device.type === 'string') columns.client_Type = device.type;
  if (typeof device.deviceModel === 'string') columns.client_Model = device.deviceModel;
  const os = asString(device.osVersion) ?? asString(device.os);
  if (os !== undefined) columns.client_OS = os;
  if (typeof location.clientip === 'string') columns.client_IP = location.clientip;
  if (typeof location.city === 'string') columns.client_City = location.city;
  if (typeof location.province === 'string') columns.client_StateOrProvince = location.province;
  if (typeof location.country === 'string') columns.client_CountryOrRegion = location.country;
  const browser = asString(device.browserVersion) ?? asString(device.browser);
  if (browser !== undefined) columns.client_Browser = browser;
  if (typeof device.roleName === 'string') columns.cloud_RoleName = device.roleName;
  if (typeof device.roleInstance === 'string') columns.cloud_RoleInstance = device.roleInstance;
  if (appName !== undefined) columns.appName = appName;
  if (instrumentationKey !== undefined) columns.iKey = withDashes(instrumentationKey);
  // NOTE: no public export row or document shows an SDK version; these are the places it would be.
  const sdkVersion = asString(internal.sdkVersion) ?? asString(device.sdkVersion);
  if (sdkVersion !== undefined) columns.sdkVersion = sdkVersion;
  const dimensions = customDimensions(custom.dimensions);
  if (dimensions !== undefined) columns.customDimensions = dimensions;
  // In the Metrics folder `context.custom.metrics` holds the metrics themselves, one record each.
  const measurements = table === 'customMetrics' ? undefined : customMeasurements(custom.metrics);
  if (measurements !== undefined) columns.customMeasurements = measurements;
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

// Every row of a blob has the same key: remember the last one instead of re-checking it per row.
let lastKey = '';
let lastDashed = '';

/** Log Analytics shows the iKey as a dashed GUID; the export path drops the dashes. */
function withDashes(key: string): string {
  if (key === lastKey) return lastDashed;
  lastDashed = dashed(key);
  lastKey = key;
  return lastDashed;
}

function dashed(key: string): string {
  if (key.length !== 32) return key;
  for (let i = 0; i < 32; i++) if (!isHex(key.charCodeAt(i))) return key;
  const k = key.toLowerCase();
  return `${k.slice(0, 8)}-${k.slice(8, 12)}-${k.slice(12, 16)}-${k.slice(16, 20)}-${k.slice(20)}`;
}
