import {
  parseSuccessorPath,
  placeFolders,
  SUCCESSOR_GRACE_MS,
  type SuccessorBlobRef,
  type SuccessorFormat,
} from '../export/successorPath';
import type { WorkspaceTableName } from '../export/workspaceTables';
import { fail, ok, type Result } from '../result';
import { cutoffForTable, type RetentionPolicy } from './retentionPolicy';
import type { PrefixDecision } from './selectExpiredPrefixes';

/** One successor container as the sweep sees it: its name, and the format and table the name says. */
export interface SuccessorContainerRef {
  readonly container: string;
  readonly format: SuccessorFormat;
  readonly table: WorkspaceTableName;
}

const MINUTE_MS = 60_000;

/**
 * A period that ended at `periodEnd` may go: it ended before its table's cutoff, and its blob can no
 * longer be appended to (canStillGrowUntil). With the grace of data export (60 h) the second rule
 * outlasts a short window (RETENTION_DAYS=1), so both are checked, never one implied by the other.
 */
function isPeriodExpired(
  periodEnd: number,
  source: SuccessorContainerRef,
  policy: RetentionPolicy,
  now: Date,
): boolean {
  return (
    periodEnd <= cutoffForTable(policy, source.table, now) &&
    periodEnd + SUCCESSOR_GRACE_MS[source.format] <= now.getTime()
  );
}

/**
 * Decides a folder of a successor layout from its name alone: the resource-id folders are descended,
 * a y=/m=/d=/h=/m= folder is expired when its last period is, retained when its first period is
 * not, and descended otherwise.
 * @param prefix - a listed prefix ending in '/'
 */
export function classifySuccessorPrefix(
  source: SuccessorContainerRef,
  prefix: string,
  policy: RetentionPolicy,
  now: Date,
): PrefixDecision {
  if (!prefix.endsWith('/')) return { action: 'outside', reason: `'${prefix}' is not a folder prefix` };
  const placed = placeFolders(source.format, prefix.slice(0, -1).split('/'));
  if (!placed.ok) return { action: 'outside', reason: placed.error };
  const { periodStart, periodEnd } = placed.value;
  if (periodStart === undefined || periodEnd === undefined) return { action: 'descend' };
  const periodMs = (source.format === 'diagnosticSettings' ? 60 : 5) * MINUTE_MS;
  if (isPeriodExpired(periodEnd.getTime(), source, policy, now)) return { action: 'expired' };
  if (!isPeriodExpired(periodStart.getTime() + periodMs, source, policy, now)) return { action: 'retained' };
  return { action: 'descend' };
}

/**
 * The last word on one blob before it is deleted: in its container's layout, and of a period that
 * is past retention and can no longer grow. Applied to every blob, so a folder-level mistake can
 * never delete one.
 */
export function classifySuccessorBlob(
  source: SuccessorContainerRef,
  blobName: string,
  policy: RetentionPolicy,
  now: Date,
): Result<SuccessorBlobRef, string> {
  const placed = parseSuccessorPath(source.container, blobName);
  if (!placed.ok) return fail(placed.error.reason);
  const ref = placed.value;
  const periodEnd = ref.periodStart.getTime() + ref.periodMinutes * MINUTE_MS;
  if (!isPeriodExpired(periodEnd, source, policy, now)) {
    return fail(
      `period ${ref.periodStart.toISOString()} is inside the ${ref.table} retention window or can still be appended to`,
    );
  }
  return ok(ref);
}
