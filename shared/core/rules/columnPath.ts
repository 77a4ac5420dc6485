import { at } from '../defined';
import type { TelemetryRecord } from '../export/telemetryRecord';
import { querySchemaOf, type QueryTableName } from './querySchema';
import { suggestColumn } from './suggestColumn';

/** A column, or one key of a dynamic column: `resultCode`, `customDimensions.tenant`. */
export interface ColumnPath {
  /** As the rule wrote it (`Properties.tenant`), for headings and group labels. */
  readonly text: string;
  /** The record column (classic name) holding it: `customDimensions` for `Properties`. */
  readonly column: string;
  /** The key inside a dynamic column, when the path names one. */
  readonly key?: string;
}

/**
 * Parses a column reference of a rule's GroupBy or Columns, in the schema of the table its query names
 * (`Properties.tenant` for `AppRequests`, `customDimensions.tenant` for `requests`).
 * `customDimensions.build id` and `customDimensions["build id"]` both name the key `build id`.
 *
 * @param table - the table as the rule's query names it
 * @returns the path, or why it names no column of the table
 */
export function parseColumnPath(text: string, table: QueryTableName): { path?: ColumnPath; problem?: string } {
  const trimmed = text.trim();
  const bracket = /^([A-Za-z_][A-Za-z0-9_]*)\[\s*(["'])(.*)\2\s*\]$/.exec(trimmed);
  const dot = trimmed.indexOf('.');
  const column = bracket ? at(bracket, 1, 'column path match') : dot === -1 ? trimmed : trimmed.slice(0, dot);
  const key = bracket ? bracket[3] : dot === -1 ? undefined : trimmed.slice(dot + 1);
  const schema = querySchemaOf(table);
  if (!schema) return { problem: `unknown table ${table}` };
  const found = schema.columns.get(column);
  if (found === undefined) {
    return { problem: `unknown column '${column}' for table ${table}${suggestColumn(column, schema)}` };
  }
  const { type, recordColumn } = found;
  if (key !== undefined && type !== 'dynamic') {
    return { problem: `column '${column}' is ${type}, only dynamic columns have keys ('${trimmed}')` };
  }
  if (key === '') return { problem: `'${trimmed}' names no key of ${column}` };
  return {
    path: key === undefined ? { text: trimmed, column: recordColumn } : { text: trimmed, column: recordColumn, key },
  };
}

/** Reads a path's value from a record; `undefined` when the record has none. */
export function readColumnPath(record: TelemetryRecord, path: ColumnPath): unknown {
  const value = record.columns[path.column];
  if (path.key === undefined) return value ?? undefined;
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  const bag = value as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(bag, path.key) ? bag[path.key] : undefined;
}

/** Splits a comma- or semicolon-separated list of column paths, keeping brackets intact. */
export function splitColumnList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if ((ch === ',' || ch === ';') && depth === 0) {
      if (current.trim()) items.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items;
}
