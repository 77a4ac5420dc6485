import type { ColumnValue } from '../telemetryRecord';

/** A parsed JSON object from an export row. */
export type JsonObject = Record<string, unknown>;

/**
 * Columns of one record while it is being built; only columns with a value are ever set.
 *
 * NOTE: writers set columns by name, `if (v !== undefined) columns.url = v`, in a fixed order, never
 * through a helper doing `columns[name] = v`: V8 turns an object into a hash table once a dozen
 * properties were added by computed key, which made toRecords about a third slower. Named stores keep
 * it a fast object of one of a few shapes (one per set of columns present).
 */
export type Columns = Record<string, ColumnValue>;

// Each reader returns the value only when it has the JSON type the column needs: a value of the wrong
// type reads as absent instead of being coerced into something the export never said.

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Finite numbers only: JSON cannot hold NaN or Infinity, but rows built in code can. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Whole numbers only, for Kusto `int` columns; `25.0` in the export parses as the integer 25. */
export function asInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * The first non-empty string among the candidates, else the first string (which is then `''`), else
 * undefined. The export writes `""` where a summary field was not filled in (`basicException[0].message`),
 * so an empty string must not hide a fallback that has the text.
 */
export function firstText(a: unknown, b?: unknown, c?: unknown): string | undefined {
  if (typeof a === 'string' && a !== '') return a;
  if (typeof b === 'string' && b !== '') return b;
  if (typeof c === 'string' && c !== '') return c;
  if (typeof a === 'string') return a;
  if (typeof b === 'string') return b;
  return typeof c === 'string' ? c : undefined;
}

/** Log Analytics keeps result codes as strings; the export has an integer for requests, a string for dependencies. */
export function asResultCode(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isInteger(value) ? String(value) : undefined;
}

/** Names a JSON value's type for error messages without echoing the value itself. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'undefined' ? 'missing' : `a ${type}`;
}
