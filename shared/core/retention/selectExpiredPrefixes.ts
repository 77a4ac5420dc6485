import { type ExportBlobRef, parseExportPath } from '../export/parseExportPath';
import type { TelemetryType } from '../export/telemetryTypes';
import { fail, ok, type Result } from '../result';
import { cutoffFor, DAY_MS, HOUR_MS, isHourExpired, type RetentionPolicy } from './retentionPolicy';

/**
 * What the sweep does with one listed folder:
 * - `descend`: list its children (an app or type folder, or a date that is only partly expired);
 * - `expired`: every blob under it is past retention (a whole date or hour folder);
 * - `retained`: nothing under it is past retention, so it is never listed;
 * - `outside`: not part of the export layout, so nothing under it is ever deleted.
 */
export type PrefixDecision =
  | { readonly action: 'descend' }
  | { readonly action: 'expired' }
  | { readonly action: 'retained' }
  | { readonly action: 'outside'; readonly reason: string };

/** Which telemetry types a sweep covers; all of them when absent. */
export type TypeFilter = ReadonlySet<TelemetryType> | undefined;

// A file name that parseExportPath accepts, so folder names are checked by the same rules as blobs.
const PROBE_FILE = 'probe.blob';

/**
 * Decides a folder of the export layout from its name alone.
 * @param prefix - a listed prefix ending in '/': `app_ikey/`, `…/Type/`, `…/yyyy-MM-dd/` or `…/HH/`
 * @param now - the sweep's clock
 */
export function classifyPrefix(prefix: string, policy: RetentionPolicy, now: Date, types?: TypeFilter): PrefixDecision {
  if (!prefix.endsWith('/')) return outside(`'${prefix}' is not a folder prefix`);
  const segments = prefix.slice(0, -1).split('/');
  if (segments.length > 4) return outside(`'${prefix}' is deeper than <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/`);
  const [folder = '', type = 'Requests', date = '2000-01-01', hour = '00'] = segments;
  const placed = parseExportPath(`${folder}/${type}/${date}/${hour}/${PROBE_FILE}`);
  if (!placed.ok) return outside(placed.error.reason);
  if (segments.length === 1) return { action: 'descend' };
  const ref = placed.value;
  if (types !== undefined && !types.has(ref.telemetryType)) return outside(`type ${ref.telemetryType} is not swept`);
  if (segments.length === 2) return { action: 'descend' };

  const cutoff = cutoffFor(policy, ref.telemetryType, now);
  const hourStart = ref.depositedAt.getTime();
  if (segments.length === 4) return { action: isHourExpired(hourStart, cutoff) ? 'expired' : 'retained' };
  const dayStart = hourStart - ref.depositedAt.getUTCHours() * HOUR_MS;
  if (dayStart + DAY_MS <= cutoff) return { action: 'expired' };
  if (!isHourExpired(dayStart, cutoff)) return { action: 'retained' };
  return { action: 'descend' };
}

/** The prefixes of one listing grouped by decision, in listing order. */
export interface PrefixSelection {
  readonly expired: readonly string[];
  readonly descend: readonly string[];
  readonly retained: readonly string[];
  readonly outside: readonly { readonly prefix: string; readonly reason: string }[];
}

/** Sorts the folders of one hierarchical listing into those to delete, to list further and to leave. */
export function selectExpiredPrefixes(
  prefixes: readonly string[],
  policy: RetentionPolicy,
  now: Date,
  types?: TypeFilter,
): PrefixSelection {
  const selection = {
    expired: [] as string[],
    descend: [] as string[],
    retained: [] as string[],
    outside: [] as { prefix: string; reason: string }[],
  };
  for (const prefix of prefixes) {
    const decision = classifyPrefix(prefix, policy, now, types);
    if (decision.action === 'outside') selection.outside.push({ prefix, reason: decision.reason });
    else selection[decision.action].push(prefix);
  }
  return selection;
}

/**
 * The last word on one blob before it is deleted: in the export layout, of a swept type, and in an
 * hour folder that ended before its type's cutoff. Folder decisions only choose what to list; this
 * check is applied to every blob, so a folder-level mistake can never delete a blob.
 */
export function classifyBlob(
  blobName: string,
  policy: RetentionPolicy,
  now: Date,
  types?: TypeFilter,
): Result<ExportBlobRef, string> {
  const placed = parseExportPath(blobName);
  if (!placed.ok) return fail(placed.error.reason);
  const ref = placed.value;
  if (types !== undefined && !types.has(ref.telemetryType)) return fail(`type ${ref.telemetryType} is not swept`);
  if (!isHourExpired(ref.depositedAt.getTime(), cutoffFor(policy, ref.telemetryType, now))) {
    return fail(`hour ${ref.depositedAt.toISOString()} is inside the ${ref.telemetryType} retention window`);
  }
  return ok(ref);
}

function outside(reason: string): PrefixDecision {
  return { action: 'outside', reason };
}
