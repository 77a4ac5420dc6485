import type { TelemetryType } from '../export/telemetryTypes';
import type { WorkspaceTableName } from '../export/workspaceTables';

/** How long export data is kept: a default and optional per-type and per-table overrides, in days. */
export interface RetentionPolicy {
  readonly defaultDays: number;
  /** Continuous Export folders (`RETENTION_DAYS_Requests`). */
  readonly daysByType: Readonly<Partial<Record<TelemetryType, number>>>;
  /**
   * Successor-format tables (`RETENTION_DAYS_AppRequests`). Absent means none: a per-type override
   * never carries over to the workspace table, so each format keeps what its own setting says.
   */
  readonly daysByTable?: Readonly<Partial<Record<WorkspaceTableName, number>>>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function retentionDaysFor(policy: RetentionPolicy, type: TelemetryType): number {
  return policy.daysByType[type] ?? policy.defaultDays;
}

export function retentionDaysForTable(policy: RetentionPolicy, table: WorkspaceTableName): number {
  return policy.daysByTable?.[table] ?? policy.defaultDays;
}

/**
 * The instant before which a whole hour folder of `type` must end to be expired: `now - days`.
 * @param now - the sweep's clock; the age of a blob comes from its path, never from Last-Modified
 */
export function cutoffFor(policy: RetentionPolicy, type: TelemetryType, now: Date): number {
  return now.getTime() - retentionDaysFor(policy, type) * DAY_MS;
}

/** The same cutoff for a successor table: a period must end by it to be expired. */
export function cutoffForTable(policy: RetentionPolicy, table: WorkspaceTableName, now: Date): number {
  return now.getTime() - retentionDaysForTable(policy, table) * DAY_MS;
}

/** An hour folder starting at `hourStart` is expired once its last instant lies before the cutoff. */
export function isHourExpired(hourStart: number, cutoff: number): boolean {
  return hourStart + HOUR_MS <= cutoff;
}

export { DAY_MS, HOUR_MS };
