import { ITEM_TYPES } from '../export/records/context';
import type { TableName } from '../export/telemetryTypes';

/** What one item of each table is called in a sentence: singular, plural. */
const WORDS: Readonly<Record<TableName, readonly [string, string]>> = {
  requests: ['request', 'requests'],
  exceptions: ['exception', 'exceptions'],
  customEvents: ['custom event', 'custom events'],
  traces: ['trace', 'traces'],
  dependencies: ['dependency call', 'dependency calls'],
  pageViews: ['page view', 'page views'],
  browserTimings: ['browser timing', 'browser timings'],
  availabilityResults: ['availability result', 'availability results'],
  customMetrics: ['custom metric', 'custom metrics'],
  performanceCounters: ['performance counter', 'performance counters'],
};

/** `1 request`, `12 requests`, `1 custom event`: a count of a table's items in words. */
export function countedItems(count: number, table: TableName): string {
  const [one, many] = WORDS[table];
  return `${count} ${count === 1 ? one : many}`;
}

/** `1 request`, `2 requests`, `1 customEvent`: a count in the table's own name, as subjects write it. */
export function countedTableItems(count: number, table: TableName): string {
  return `${count} ${count === 1 ? ITEM_TYPES[table] : table}`;
}
