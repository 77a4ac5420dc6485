import { type ColumnType, TABLE_COLUMNS } from '../export/tableSchemas';
import { TABLE_NAMES, type TableName } from '../export/telemetryTypes';
import { recordColumnOf, WORKSPACE_COLUMNS } from '../export/workspace/workspaceSchema';
import { classicTableOf, WORKSPACE_TABLE_NAMES, type WorkspaceTableName } from '../export/workspaceTables';

/** A table a rule's query may start with: a classic one (`requests`) or a workspace one (`AppRequests`). */
export type QueryTableName = TableName | WorkspaceTableName;

/** A column as a query names it, and where a record keeps its value. */
export interface QueryColumn {
  /** Its Kusto type in the query's schema. */
  readonly type: ColumnType;
  /** The key of `TelemetryRecord.columns` that answers it (`ResultCode` → `resultCode`). */
  readonly recordColumn: string;
}

/**
 * The columns a query on one table can name. Records are always kept under classic column names, so a
 * workspace schema is a renaming resolved here, once per compile, never per record.
 */
export interface QuerySchema {
  readonly name: QueryTableName;
  readonly kind: 'classic' | 'workspace';
  /** The table of the records the query reads (classic, whatever the schema). */
  readonly table: TableName;
  readonly columns: ReadonlyMap<string, QueryColumn>;
  /**
   * Names of the other schema's same table that mean one of our columns, and which: in a workspace
   * schema `resultCode` → `ResultCode`, in a classic one `ResultCode` → `resultCode`. For hints.
   */
  readonly otherNames: ReadonlyMap<string, string>;
  /** The same table in the other schema (`requests` for `AppRequests`), for hints. */
  readonly otherTable: QueryTableName;
}

function classicSchema(table: TableName): QuerySchema {
  const columns = new Map<string, QueryColumn>();
  for (const [name, type] of Object.entries(TABLE_COLUMNS[table])) columns.set(name, { type, recordColumn: name });
  const otherNames = new Map<string, string>();
  for (const column of WORKSPACE_COLUMNS[workspaceTableFor(table)]) {
    if (column.classic !== undefined && columns.has(column.classic)) otherNames.set(column.name, column.classic);
  }
  return { name: table, kind: 'classic', table, columns, otherNames, otherTable: workspaceTableFor(table) };
}

function workspaceSchema(table: WorkspaceTableName): QuerySchema {
  const columns = new Map<string, QueryColumn>();
  const otherNames = new Map<string, string>();
  for (const column of WORKSPACE_COLUMNS[table]) {
    columns.set(column.name, { type: column.type, recordColumn: recordColumnOf(table, column.name) ?? column.name });
    if (column.classic !== undefined) otherNames.set(column.classic, column.name);
  }
  const classic = classicTableOf(table);
  return { name: table, kind: 'workspace', table: classic, columns, otherNames, otherTable: classic };
}

function workspaceTableFor(table: TableName): WorkspaceTableName {
  const found = WORKSPACE_TABLE_NAMES.find((t) => classicTableOf(t) === table);
  if (!found) throw new Error(`no workspace table replaces classic table ${table}`);
  return found;
}

const SCHEMAS: ReadonlyMap<string, QuerySchema> = new Map<string, QuerySchema>([
  ...TABLE_NAMES.map((t) => [t, classicSchema(t)] as const),
  ...WORKSPACE_TABLE_NAMES.map((t) => [t, workspaceSchema(t)] as const),
]);

/** Every table name a query may start with: the ten classic ones, then the ten workspace ones. */
export const QUERY_TABLE_NAMES: readonly QueryTableName[] = [...TABLE_NAMES, ...WORKSPACE_TABLE_NAMES];

/** The schema of a table by its exact name (KQL table names are case-sensitive), or undefined. */
export function querySchemaOf(table: string): QuerySchema | undefined {
  return SCHEMAS.get(table);
}
