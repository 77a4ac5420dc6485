import { classicTableOf, WORKSPACE_TABLE_NAMES, type WorkspaceTableName } from '../workspaceTables';
import { WORKSPACE_COLUMNS, type WorkspaceColumn } from './workspaceSchema';

export const COLUMNS_DOC_BEGIN = '<!-- workspace-columns:begin (generated from workspaceSchema.ts; do not edit) -->';
export const COLUMNS_DOC_END = '<!-- workspace-columns:end -->';

/** What `workspaceRowToRecords` does beyond copying a value, per workspace column. */
const COMMON_NOTES: Readonly<Record<string, string>> = {
  TimeGenerated:
    '`TimeGenerated`, else `time` (diagnostic settings). Required: a row without a usable time is malformed.',
  _ResourceId: '`_ResourceId`, else `resourceId` (diagnostic settings, upper-cased path), kept as written.',
  Type: 'Always the table name; a row whose `Type` names another table is malformed.',
  ResourceGUID: 'The migration guide maps classic `appId` to it.',
  Properties: 'String values (numbers and booleans as text); nested values skipped; `{}` is absent.',
  Measurements: 'Numbers only; `{}` is absent.',
  PerformanceBucket: 'Not in the table reference; the samples carry it. Derived from the duration when absent.',
  Success: '`true`/`false`, or the strings `"True"`/`"false"` (any case).',
  ResultCode: 'An integer becomes its text.',
};

const TABLE_NOTES: Partial<Record<WorkspaceTableName, Readonly<Record<string, string>>>> = {
  AppBrowserTimings: { PerformanceBucket: 'Derived from TotalDurationMs when absent.' },
  AppAvailabilityResults: { Size: 'Not in the table reference; classic has `size`.' },
  AppMetrics: {
    ItemCount: 'The number of measurements aggregated (the guide maps `valueCount`); not classic `itemCount`.',
    Sum: 'Also classic `value` when ItemCount is 1; otherwise `value` is absent (the guide removes it).',
  },
  AppPerformanceCounters: {
    Counter: 'The guide says "removed", the reference lists it. When absent, `counter` is Name.',
  },
};

const HEADER = ['| workspace column | Kusto type | record column | notes |', '|---|---|---|---|'];

/** `name type classic` of a column, to tell a column shared by every table from a same-named one that differs. */
const signature = (c: WorkspaceColumn): string => `${c.name} ${c.type} ${c.classic ?? ''}`;

/**
 * The workspace-table part of docs/COLUMNS.md, between its markers, from `WORKSPACE_COLUMNS`: the
 * columns all ten tables share once, then each table's own.
 */
export function renderWorkspaceColumns(): string {
  const everywhere = new Set(WORKSPACE_COLUMNS.AppRequests.map(signature));
  for (const table of WORKSPACE_TABLE_NAMES) {
    const own = new Set(WORKSPACE_COLUMNS[table].map(signature));
    for (const s of everywhere) if (!own.has(s)) everywhere.delete(s);
  }
  const parts: string[] = [COLUMNS_DOC_BEGIN, '', '### Columns of every workspace table', '', ...HEADER];
  for (const column of WORKSPACE_COLUMNS.AppRequests) {
    if (everywhere.has(signature(column))) parts.push(row(undefined, column));
  }
  for (const table of WORKSPACE_TABLE_NAMES) {
    parts.push('', `### ${table} (classic \`${classicTableOf(table)}\`)`, '', ...HEADER);
    for (const column of WORKSPACE_COLUMNS[table]) {
      if (!everywhere.has(signature(column))) parts.push(row(table, column));
    }
  }
  parts.push('', COLUMNS_DOC_END);
  return parts.join('\n');
}

function row(table: WorkspaceTableName | undefined, column: WorkspaceColumn): string {
  const note =
    (table === undefined ? undefined : TABLE_NOTES[table]?.[column.name]) ??
    COMMON_NOTES[column.name] ??
    (column.classic === undefined ? 'Workspace-only.' : '');
  return `| ${column.name} | ${column.type} | ${column.classic ?? column.name} | ${note} |`;
}
