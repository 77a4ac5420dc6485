import type { TelemetryRecord } from '../export/telemetryRecord';
import { MAX_EVENTS_LIMIT } from '../rules/alertRule';
import type { AlertDigest } from './alertEmail';
import { displayValue, oneLine } from './displayValue';
import { eventColumns } from './eventColumns';
import type { NoticeRecord } from './notice';
import { componentOf, type ComponentRef, itemLink } from './portalLinks';
import type { ZonedClock } from './zonedTime';

/**
 * Most characters of telemetry one e-mail's events hold. HTML escaping at most sextuples it and UTF-8
 * at most triples that, so each body stays a few MB, far under SendGrid's 30 MB limit.
 */
export const MAX_TABLE_CHARS = 250_000;

/** The events an alert e-mail lists, and what it says about the ones it leaves out. */
export interface AlertEvents {
  readonly records: NoticeRecord[];
  readonly notes: string[];
}

/**
 * The first matches of a digest as records: each titled with its time in the e-mail's zone, linked to
 * its transaction where the portal has one, its columns as text.
 *
 * @param component - the resource links open when an event does not name its own (`_ResourceId`)
 */
export function alertEvents(digest: AlertDigest, clock: ZonedClock, component: ComponentRef | undefined): AlertEvents {
  const { rule } = digest;
  const { columns, omitted } = eventColumns(rule);
  const limit = Math.min(rule.maxEvents, MAX_EVENTS_LIMIT, digest.events.length);
  const shown: { event: TelemetryRecord; cells: string[] }[] = [];
  let tableChars = 0;
  for (const event of digest.events.slice(0, limit)) {
    const cells = columns.map((column) => displayValue(column.read(event), column.unit));
    tableChars += cells.reduce((sum, cell) => sum + cell.length, 0);
    if (tableChars > MAX_TABLE_CHARS) break;
    shown.push({ event, cells });
  }

  const records = shown.map(({ event, cells }, i): NoticeRecord => {
    const timestamp = event.columns['timestamp'];
    const at = timestamp instanceof Date && !Number.isNaN(timestamp.getTime()) ? ` · ${clock.seconds(timestamp)}` : '';
    const owner = componentOf(event.columns['_ResourceId']) ?? component;
    const link =
      owner === undefined
        ? undefined
        : itemLink(owner, {
            table: event.table,
            itemId: event.columns['itemId'],
            operationId: event.columns['operation_Id'],
            timestamp,
          });
    return {
      title: `Event ${i + 1} of ${shown.length}${at}`,
      ...(link === undefined ? {} : { link }),
      fields: columns.map((column, c) => [oneLine(column.heading, 100), cells[c] ?? ''] as const),
    };
  });

  const notes: string[] = [];
  const unshown = digest.matched.rows - records.length;
  if (unshown > 0) {
    const why =
      records.length < limit
        ? ' to keep the e-mail small'
        : records.length >= rule.maxEvents
          ? `: the rule shows at most ${rule.maxEvents} (MaxEvents)`
          : '';
    notes.push(`${unshown} more matching record${unshown === 1 ? '' : 's'} not shown${why}.`);
  }
  if (omitted > 0) notes.push(`${omitted} more column${omitted === 1 ? '' : 's'} of the rule's Columns not shown.`);
  return { records, notes };
}
