import { fail, ok, type Result } from '../../result';
import { performanceBucket } from '../records/durations';
import type { Columns } from '../records/read';
import { describeJson } from '../records/read';
import { parseEventTime } from '../records/timestamp';
import type { TelemetryRecord } from '../telemetryRecord';
import { DEFAULT_MAX_ITEMS_PER_ROW, type RecordLimits } from '../toRecords';
import { classicTableOf, type WorkspaceTableName, workspaceTableNamed } from '../workspaceTables';
import { readWorkspaceValue } from './readWorkspaceValue';
import { WORKSPACE_COLUMNS } from './workspaceSchema';

/** Where a workspace row came from: the table its container holds, and its line in the blob. */
export interface WorkspaceRowSource {
  readonly table: WorkspaceTableName;
  /** 1-based line of the row in its blob. */
  readonly line?: number;
}

/** Classic `itemType` per table, which the classic reader always fills; `Type` keeps the table name. */
const ITEM_TYPES: Readonly<Record<WorkspaceTableName, string>> = {
  AppRequests: 'request',
  AppExceptions: 'exception',
  AppEvents: 'customEvent',
  AppTraces: 'trace',
  AppDependencies: 'dependency',
  AppPageViews: 'pageView',
  AppBrowserTimings: 'browserTiming',
  AppAvailabilityResults: 'availabilityResult',
  AppMetrics: 'customMetric',
  AppPerformanceCounters: 'performanceCounter',
};

/** Columns read by hand rather than from the schema's list. */
const SPECIAL = new Set(['TimeGenerated', '_ResourceId', 'Type']);

/**
 * Normalizes one row of a successor export into the classic record of the same telemetry: `table` is
 * the classic table, `columns` are keyed by classic names with classic types (see
 * `workspaceSchema.ts` and docs/COLUMNS.md), workspace-only columns keep their workspace names.
 * Reads both shapes: diagnostic settings (`time`, `resourceId`, empty columns omitted) and workspace
 * data export (`TimeGenerated`, `_ResourceId`, `TenantId`, ...). A row is always one record.
 *
 * @param document - the parsed row.
 * @param source - the container's table (the row's `Type` must agree) and the row's line.
 * @param limits - `maxItemsPerRow` bounds an exception's `Details` chain.
 * @returns the record, or a message when the row is not an object, names another table in `Type`,
 *   has no usable time, or holds more exception details than the cap.
 */
export function workspaceRowToRecords(
  document: Record<string, unknown>,
  source: WorkspaceRowSource,
  limits?: RecordLimits,
): Result<TelemetryRecord[], string> {
  const { table } = source;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return fail(`row is ${describeJson(document)}, expected a JSON object`);
  }
  const typeProblem = checkType(document.Type, table);
  if (typeProblem !== undefined) return fail(typeProblem);
  const time = readTime(document);
  if (!time.ok) return time;

  const columns: Columns = { timestamp: time.value, itemType: ITEM_TYPES[table], Type: table };
  const resourceId = typeof document._ResourceId === 'string' ? document._ResourceId : document.resourceId;
  if (typeof resourceId === 'string') columns._ResourceId = resourceId;
  for (const column of WORKSPACE_COLUMNS[table]) {
    if (SPECIAL.has(column.name)) continue;
    const value = readWorkspaceValue(column, document[column.name]);
    if (value !== undefined) columns[column.classic ?? column.name] = value;
  }
  const capProblem = checkDetails(columns.details, limits);
  if (capProblem !== undefined) return fail(capProblem);
  fillDerived(table, columns);

  const record: TelemetryRecord =
    source.line === undefined
      ? { table: classicTableOf(table), columns, raw: document }
      : { table: classicTableOf(table), columns, raw: document, line: source.line };
  return ok([record]);
}

function checkType(type: unknown, table: WorkspaceTableName): string | undefined {
  // NOTE: data export rows may leave `Type` out (the container names the table); only a contradiction fails.
  if (type === undefined) return undefined;
  if (typeof type !== 'string') return `"Type" is ${describeJson(type)}, expected the table name ${table}`;
  if (workspaceTableNamed(type) === table) return undefined;
  return `row is of table ${quote(type)} ("Type"), but its container holds ${table} rows`;
}

/** `TimeGenerated` (data export, the table itself), else `time` (diagnostic settings). */
function readTime(document: Record<string, unknown>): Result<Date, string> {
  const key = document.TimeGenerated !== undefined ? 'TimeGenerated' : document.time !== undefined ? 'time' : undefined;
  if (key === undefined) return fail('row has no time: neither "TimeGenerated" nor "time" is present');
  const value = document[key];
  if (typeof value !== 'string') return fail(`"${key}" is ${describeJson(value)}, expected a UTC date-time string`);
  const time = parseEventTime(value) ?? parseIsoWithOffset(value);
  return time === undefined
    ? fail(`"${key}" is ${quote(value)}, not a date-time (expected yyyy-MM-ddTHH:mm:ss[.fffffff]Z)`)
    : ok(time);
}

const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?([+-]\d\d:\d\d)$/;

/** An ISO date-time with a numeric offset instead of `Z`, which some serializers write. */
function parseIsoWithOffset(text: string): Date | undefined {
  if (!ISO_WITH_OFFSET.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function checkDetails(details: unknown, limits: RecordLimits | undefined): string | undefined {
  const max = limits?.maxItemsPerRow ?? DEFAULT_MAX_ITEMS_PER_ROW;
  if (!Array.isArray(details) || details.length <= max) return undefined;
  return `row holds ${details.length} items, over the cap of ${max}`;
}

/** Columns the classic reader fills for the same telemetry, derived where the row lacks them. */
function fillDerived(table: WorkspaceTableName, columns: Columns): void {
  if (columns.performanceBucket === undefined) {
    const ms = table === 'AppBrowserTimings' ? columns.totalDuration : columns.duration;
    if (typeof ms === 'number') columns.performanceBucket = performanceBucket(ms);
  }
  // Classic `value` of a single measurement is that measurement; of an aggregate it has no workspace
  // counterpart (the guide removes it), so it stays absent.
  if (table === 'AppMetrics' && columns.valueCount === 1 && typeof columns.valueSum === 'number') {
    columns.value = columns.valueSum;
  }
  // Classic names a counter in both `name` and `counter`; a row without `Counter` still answers it.
  if (table === 'AppPerformanceCounters' && columns.counter === undefined && typeof columns.name === 'string') {
    columns.counter = columns.name;
  }
}

const MAX_QUOTED = 40;

/** A row's string for a message, cut so a hostile row cannot flood the log. */
function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}
