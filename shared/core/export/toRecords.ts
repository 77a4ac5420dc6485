import type { Result } from '../result';
import { fail, ok } from '../result';
import { writeAvailabilityColumns } from './records/availability';
import { writeBrowserTimingColumns } from './records/browserTimings';
import { contextColumns, itemCount, samplingRateOf } from './records/context';
import { writeEventColumns } from './records/customEvents';
import { metricRecords } from './records/customMetrics';
import { writeDependencyColumns } from './records/dependencies';
import { exceptionColumns } from './records/exceptions';
import { writePageViewColumns } from './records/pageViews';
import { performanceCounterRecords } from './records/performanceCounters';
import type { Columns, JsonObject } from './records/read';
import { asObject, describeJson } from './records/read';
import { writeRequestColumns } from './records/requests';
import { countRowItems } from './records/rowItems';
import { writeTraceColumns } from './records/traces';
import type { TelemetryRecord } from './telemetryRecord';
import type { TelemetryType } from './telemetryTypes';
import { TELEMETRY_TYPE_NAMES, TELEMETRY_TYPES } from './telemetryTypes';

/** Where a row came from: the blob path's parts and the row's line in the blob. */
export interface RecordSource {
  appName?: string;
  instrumentationKey?: string;
  /** The folder the blob is in; the row's type key must agree with it. */
  telemetryType?: TelemetryType;
  /** 1-based line of the row in its blob. */
  line?: number;
}

/**
 * 10,000 items: SDKs send a few per row (a Metrics row's metrics, a PerformanceCounters row's
 * counters, an exception's inner chain run to tens at most); a row past this was made to expand into
 * more records than one invocation should hold.
 */
export const DEFAULT_MAX_ITEMS_PER_ROW = 10_000;

/** Bounds on what one row may expand into. */
export interface RecordLimits {
  /** Rows with more telemetry items are refused as malformed instead of expanded. */
  readonly maxItemsPerRow?: number;
}

/** Writes the table's own columns of one item of the row's type array. */
type ItemWriter = (item: JsonObject, columns: Columns, itemCount: number | undefined) => void;

type ItemType = Exclude<TelemetryType, 'Exceptions' | 'Metrics' | 'PerformanceCounters'>;

/** Types whose rows give one record per element of the type array. */
const ITEM_WRITERS: Readonly<Record<ItemType, ItemWriter>> = {
  Requests: writeRequestColumns,
  Event: writeEventColumns,
  Messages: writeTraceColumns,
  Rdd: writeDependencyColumns,
  PageViews: writePageViewColumns,
  PageViewPerformance: writeBrowserTimingColumns,
  Availability: writeAvailabilityColumns,
};

// A Map rather than a linear find over TELEMETRY_TYPES: this lookup runs for every top-level key of every row.
const TYPES_BY_ROW_KEY = new Map<string, TelemetryType>(
  TELEMETRY_TYPE_NAMES.map((t) => [TELEMETRY_TYPES[t].rowKey, t]),
);
const ROW_KEY_LIST = TELEMETRY_TYPE_NAMES.map((t) => `"${TELEMETRY_TYPES[t].rowKey}"`).join(', ');

/**
 * Normalizes one continuous-export row into Log Analytics-style records of its table: one per item
 * of the type array, one per exception (the whole `basicException` array), one per entry of
 * `context.custom.metrics` in the Metrics folder, one per counter in the PerformanceCounters folder.
 *
 * @param document - the parsed row.
 * @param source - blob path parts for `appName`/`iKey`, the folder to check the row against, the line.
 * @param limits - `maxItemsPerRow`, default `DEFAULT_MAX_ITEMS_PER_ROW`.
 * @returns the records (none for an empty type array), or a message naming the keys found when the
 *   row has no known type key, two of them, one that disagrees with `source.telemetryType`, a
 *   malformed type array, or more items than `limits.maxItemsPerRow`.
 */
export function toRecords(
  document: Record<string, unknown>,
  source?: RecordSource,
  limits?: RecordLimits,
): Result<TelemetryRecord[], string> {
  const typeFound = findTelemetryType(document, source?.telemetryType);
  if (!typeFound.ok) return typeFound;
  const type = typeFound.value;
  const { table, rowKey } = TELEMETRY_TYPES[type];
  const items = document[rowKey];
  if (!Array.isArray(items)) return fail(`"${rowKey}" is ${describeJson(items)}, expected an array of items`);
  const maxItems = limits?.maxItemsPerRow ?? DEFAULT_MAX_ITEMS_PER_ROW;
  const itemsHeld = countRowItems(
    type === 'Metrics' ? 'metrics' : type === 'PerformanceCounters' ? 'counters' : 'items',
    items,
    document,
  );
  if (itemsHeld > maxItems) return fail(`row holds ${itemsHeld} items, over the cap of ${maxItems}`);

  const base = contextColumns(document, table, source?.appName, source?.instrumentationKey);
  const samplingRate = samplingRateOf(document);
  let columnSets: Columns[];
  if (type === 'Metrics') {
    columnSets = metricRecords(document, base, samplingRate);
  } else if (type === 'PerformanceCounters') {
    const built = performanceCounterRecords(items, base, samplingRate);
    if (!built.ok) return built;
    columnSets = built.value;
  } else if (type === 'Exceptions') {
    if (items.length === 0) return ok([]);
    const built = exceptionColumns(items, base, samplingRate);
    if (!built.ok) return built;
    columnSets = [built.value];
  } else {
    const built = itemColumns(items, rowKey, base, samplingRate, ITEM_WRITERS[type]);
    if (!built.ok) return built;
    columnSets = built.value;
  }

  const records: TelemetryRecord[] = [];
  const line = source?.line;
  for (const columns of columnSets) {
    records.push(line === undefined ? { table, columns, raw: document } : { table, columns, raw: document, line });
  }
  return ok(records);
}

function itemColumns(
  items: readonly unknown[],
  rowKey: string,
  base: Columns,
  samplingRate: number | undefined,
  write: ItemWriter,
): Result<Columns[], string> {
  const sets: Columns[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = asObject(items[i]);
    if (item === undefined) return fail(`${rowKey}[${i}] is ${describeJson(items[i])}, expected an object`);
    // A row nearly always holds one item; copy the shared columns only when it holds more.
    const columns = items.length === 1 ? base : Object.assign({}, base);
    const count = itemCount(item.count, samplingRate);
    if (count !== undefined) columns.itemCount = count;
    write(item, columns, count);
    sets.push(columns);
  }
  return ok(sets);
}

function findTelemetryType(
  document: Record<string, unknown>,
  expected: TelemetryType | undefined,
): Result<TelemetryType, string> {
  let found: TelemetryType | undefined;
  for (const key in document) {
    if (!Object.prototype.hasOwnProperty.call(document, key)) continue;
    const type = TYPES_BY_ROW_KEY.get(key);
    if (type === undefined) continue;
    if (found !== undefined) {
      const first = TELEMETRY_TYPES[found].rowKey;
      return fail(`row has two telemetry type keys, "${first}" and "${key}"; expected exactly one`);
    }
    found = type;
  }
  if (found === undefined) {
    return fail(`row has no telemetry type key (found keys ${listKeys(document)}); expected one of ${ROW_KEY_LIST}`);
  }
  if (expected !== undefined && expected !== found) {
    return fail(
      `row has type key "${TELEMETRY_TYPES[found].rowKey}" but its blob is in the ${expected} folder, whose rows ` +
        `have "${TELEMETRY_TYPES[expected].rowKey}" (found keys ${listKeys(document)})`,
    );
  }
  return ok(found);
}

const MAX_LISTED_KEYS = 10;
const MAX_KEY_LENGTH = 40;

/** The row's top-level keys for an error message, bounded so a hostile row cannot flood the log. */
function listKeys(document: Record<string, unknown>): string {
  const keys = Object.keys(document);
  if (keys.length === 0) return 'none';
  const shown = keys
    .slice(0, MAX_LISTED_KEYS)
    .map((k) => JSON.stringify(k.length > MAX_KEY_LENGTH ? `${k.slice(0, MAX_KEY_LENGTH)}…` : k));
  const listed = shown.join(', ');
  return keys.length > MAX_LISTED_KEYS ? `${listed} and ${keys.length - MAX_LISTED_KEYS} more` : listed;
}
