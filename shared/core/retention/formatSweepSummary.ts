import { plural } from '../plural';
import type { BlobProblems, SweepSummary } from './sweepSummary';

/** Problems shown per kind in the log line; the returned summary carries up to MAX_EXAMPLES. */
const SHOWN = 10;

/**
 * The run's one log entry: a headline, then one line per app and type and per kind of problem.
 * Blob names appear only for problems; a dry run's full list is in the returned summary.
 */
export function formatSweepSummary(summary: SweepSummary): string {
  if (summary.status === 'refused') {
    return [`retention sweep refused, nothing deleted:`, ...summary.problems.map((p) => `- ${p}`)].join('\n');
  }
  const verb = summary.dryRun ? 'would delete' : 'deleted';
  const budget =
    summary.budget.reachedBy === undefined
      ? 'within budget'
      : `budget reached (${summary.budget.reachedBy === 'max-deletes' ? `${summary.budget.maxDeletes} deletes` : `${summary.budget.maxSeconds} s`}): the next run continues`;
  const lines = [
    `retention sweep${summary.dryRun ? ' (dry run)' : ''} at ${summary.now}: ${plural(summary.expiredPrefixes.length, 'expired folder')}, ` +
      `${verb} ${plural(summary.deleted.blobs, 'blob')} (${formatBytes(summary.deleted.bytes)}), ${summary.deleted.alreadyGone} already gone, ` +
      `${summary.skipped.count} skipped, ${summary.failed.count} failed, ${summary.ignored.count} outside the layout left alone; ` +
      `${budget}; ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  ];
  for (const t of summary.deleted.byFolderType)
    lines.push(`  ${verb} ${t.folder}/${t.type}: ${plural(t.blobs, 'blob')}, ${formatBytes(t.bytes)}`);
  for (const c of summary.deleted.bySuccessorContainer)
    lines.push(`  ${verb} ${c.container} (${c.table}): ${plural(c.blobs, 'blob')}, ${formatBytes(c.bytes)}`);
  if (summary.successorContainers.length > 0)
    lines.push(`  successor containers swept: ${summary.successorContainers.join(', ')}`);
  problemLines(lines, 'skipped', summary.skipped);
  problemLines(lines, 'failed', summary.failed);
  problemLines(lines, 'left alone', summary.ignored);
  problemLines(lines, 'deleted, cursor left', summary.hookFailed);
  return lines.join('\n');
}

function problemLines(lines: string[], label: string, problems: BlobProblems): void {
  for (const p of problems.examples.slice(0, SHOWN)) lines.push(`  ${label} ${p.blobName}: ${p.reason}`);
  if (problems.count > SHOWN) lines.push(`  … and ${problems.count - SHOWN} more ${label}`);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
