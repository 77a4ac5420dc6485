import { asInt, asNumber, asResultCode } from '../records/read';
import type { ColumnValue } from '../telemetryRecord';
import type { WorkspaceColumn } from './workspaceSchema';

type Dynamic = { [key: string]: unknown } | readonly unknown[];

/**
 * A workspace row's value as the record column's classic value, or undefined when it is missing or of
 * a JSON type the column cannot hold (it is then absent, never coerced into something the row never
 * said). `TimeGenerated` is read by the caller, which must refuse a row without a time.
 *
 * NOTE: exporters disagree on a few encodings and no public data-export row settles them, so both
 * readings are accepted: `Success` as a boolean or `"True"`/`"false"`, a `dynamic` column as JSON or as
 * a string holding JSON, `ResultCode` as a string or an integer.
 */
export function readWorkspaceValue(column: WorkspaceColumn, value: unknown): ColumnValue | undefined {
  if (value === undefined || value === null) return undefined;
  switch (column.type) {
    case 'string':
      return column.name === 'ResultCode' ? asResultCode(value) : typeof value === 'string' ? value : undefined;
    case 'int':
    case 'long':
      return asInt(value);
    case 'real':
      return asNumber(value);
    case 'bool':
      return readBool(value);
    case 'dynamic':
      return readDynamic(column.classic, value);
    case 'datetime':
      return undefined;
  }
}

function readBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function readDynamic(classic: string | undefined, value: unknown): ColumnValue | undefined {
  const parsed = typeof value === 'string' ? parseJsonText(value) : value;
  if (classic === 'customDimensions') return dimensionsOf(parsed);
  if (classic === 'customMeasurements') return measurementsOf(parsed);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Dynamic) : undefined;
}

function parseJsonText(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON after all: the column is absent, as for any value of the wrong type.
    return undefined;
  }
}

function plainObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * `Properties` as classic `customDimensions`: string values, in an object without a prototype (see
 * records/custom.ts for why). Numbers and booleans become their text, since classic dimensions are
 * strings; nested values are skipped. An empty object reads as absent, like the classic `[]`.
 */
function dimensionsOf(value: unknown): Record<string, string> | undefined {
  const source = plainObject(value);
  if (source === undefined) return undefined;
  let result: Record<string, string> | undefined;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const v = source[key];
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    if (text === undefined) continue;
    if (result === undefined) result = Object.create(null) as Record<string, string>;
    result[key] = text;
  }
  return result;
}

/** `Measurements` as classic `customMeasurements`: finite numbers only, same null-prototype object. */
function measurementsOf(value: unknown): Record<string, number> | undefined {
  const source = plainObject(value);
  if (source === undefined) return undefined;
  let result: Record<string, number> | undefined;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const v = asNumber(source[key]);
    if (v === undefined) continue;
    if (result === undefined) result = Object.create(null) as Record<string, number>;
    result[key] = v;
  }
  return result;
}
