import type { TelemetryRecord } from '../export/telemetryRecord';
import type { TableName } from '../export/telemetryTypes';
import { WORKSPACE_COLUMNS } from '../export/workspace/workspaceSchema';
import { workspaceTableNamed } from '../export/workspaceTables';
import type { AlertRule } from '../rules/alertRule';
import { readColumnPath } from '../rules/columnPath';

/** One column of the events table of an alert e-mail. */
export interface EventColumn {
  readonly heading: string;
  readonly unit?: 'ms';
  read(record: TelemetryRecord): unknown;
}

/** Most columns one e-mail shows: with the value cap, this bounds a row's size. */
export const MAX_EVENT_COLUMNS = 20;

/**
 * Columns shown when a rule names none: what an on-call engineer looks at first in Log Analytics.
 * An entry `a/b` shows column `a`, or `b` when the record has no `a`.
 */
export const DEFAULT_EVENT_COLUMNS: Readonly<Record<TableName, readonly string[]>> = {
  requests: ['timestamp', 'name', 'resultCode', 'duration', 'url', 'operation_Id', 'cloud_RoleName'],
  exceptions: ['timestamp', 'type', 'outerMessage/message', 'problemId', 'operation_Name', 'cloud_RoleName'],
  customEvents: ['timestamp', 'name', 'operation_Name', 'user_Id', 'customDimensions', 'cloud_RoleName'],
  traces: ['timestamp', 'severityLevel', 'message', 'operation_Name', 'operation_Id', 'cloud_RoleName'],
  dependencies: [
    'timestamp',
    'type',
    'target',
    'name',
    'resultCode',
    'success',
    'duration',
    'data',
    'operation_Id',
    'cloud_RoleName',
  ],
  pageViews: ['timestamp', 'name', 'url', 'duration', 'client_Browser', 'client_CountryOrRegion', 'cloud_RoleName'],
  browserTimings: [
    'timestamp',
    'name',
    'url',
    'totalDuration',
    'networkDuration',
    'processingDuration',
    'client_Browser',
  ],
  availabilityResults: ['timestamp', 'name', 'location', 'success', 'duration', 'message', 'id'],
  customMetrics: ['timestamp', 'name', 'value', 'valueCount', 'valueMin', 'valueMax', 'cloud_RoleName'],
  performanceCounters: ['timestamp', 'category', 'counter', 'instance', 'value', 'cloud_RoleInstance'],
};

/**
 * The columns of a rule's e-mail: its Columns, else the table's defaults, at most
 * `MAX_EVENT_COLUMNS` of them.
 *
 * @returns the columns, and how many of the rule's were left out
 */
export function eventColumns(rule: AlertRule): { columns: EventColumn[]; omitted: number } {
  const all: EventColumn[] =
    rule.columns.length > 0
      ? rule.columns.map((path) => ({
          heading: path.text,
          ...(path.key === undefined && isDuration(path.column) ? { unit: 'ms' as const } : {}),
          read: (record: TelemetryRecord) => readColumnPath(record, path),
        }))
      : DEFAULT_EVENT_COLUMNS[rule.table].map((spec) => defaultColumn(spec, headingFor(rule)));
  return { columns: all.slice(0, MAX_EVENT_COLUMNS), omitted: Math.max(0, all.length - MAX_EVENT_COLUMNS) };
}

/**
 * How a rule names a record column: a rule written in the workspace schema reads `ResultCode`, not
 * `resultCode`, in its e-mails too.
 */
function headingFor(rule: AlertRule): (column: string) => string {
  const workspace = workspaceTableNamed(rule.queryTable);
  if (workspace === undefined) return (column) => column;
  const names = new Map(WORKSPACE_COLUMNS[workspace].map((c) => [c.classic ?? c.name, c.name]));
  return (column) => names.get(column) ?? column;
}

function defaultColumn(spec: string, heading: (column: string) => string): EventColumn {
  const names = spec.split('/');
  const column = names[0] ?? spec;
  return {
    heading: heading(column),
    ...(isDuration(column) ? { unit: 'ms' as const } : {}),
    read: (record) => {
      for (const name of names) {
        const value = record.columns[name];
        if (value !== undefined && value !== null && value !== '') return value;
      }
      return undefined;
    },
  };
}

/** Columns the export reader fills in milliseconds. */
function isDuration(column: string): boolean {
  return column === 'duration' || column.endsWith('Duration');
}
