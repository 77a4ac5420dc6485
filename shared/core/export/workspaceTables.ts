import { defined } from '../defined';
import type { TableName } from './telemetryTypes';

/**
 * The ten Application Insights tables of a Log Analytics workspace, and the classic table each one
 * replaced (Azure Monitor's "Table schemas" mapping in the classic-to-workspace migration guide). The
 * successor exports (diagnostic settings, workspace data export) write rows of these tables.
 */
export const WORKSPACE_TABLES = {
  AppRequests: 'requests',
  AppExceptions: 'exceptions',
  AppEvents: 'customEvents',
  AppTraces: 'traces',
  AppDependencies: 'dependencies',
  AppPageViews: 'pageViews',
  AppBrowserTimings: 'browserTimings',
  AppAvailabilityResults: 'availabilityResults',
  AppMetrics: 'customMetrics',
  AppPerformanceCounters: 'performanceCounters',
} as const satisfies Record<string, TableName>;

export type WorkspaceTableName = keyof typeof WORKSPACE_TABLES;

export const WORKSPACE_TABLE_NAMES = Object.keys(WORKSPACE_TABLES) as WorkspaceTableName[];

/** The workspace table of a name in any case (`apprequests` → `AppRequests`), or undefined. */
export function workspaceTableNamed(name: string): WorkspaceTableName | undefined {
  const lower = name.toLowerCase();
  return WORKSPACE_TABLE_NAMES.find((t) => t.toLowerCase() === lower);
}

export function classicTableOf(table: WorkspaceTableName): TableName {
  return WORKSPACE_TABLES[table];
}

export function workspaceTableOf(table: TableName): WorkspaceTableName {
  return defined(
    WORKSPACE_TABLE_NAMES.find((t) => WORKSPACE_TABLES[t] === table),
    `the workspace table of ${table}`,
  );
}
