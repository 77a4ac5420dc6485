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

/** The table's name for one of its items, as a subject counts them: `1 request`, `1 customEvent`. */
const SINGULAR_NAMES: Readonly<Record<TableName, string>> = {
  requests: 'request',
  exceptions: 'exception',
  customEvents: 'customEvent',
  traces: 'trace',
  dependencies: 'dependency',
  pageViews: 'pageView',
  browserTimings: 'browserTiming',
  availabilityResults: 'availabilityResult',
  customMetrics: 'customMetric',
  performanceCounters: 'performanceCounter',
};

/** `1 request`, `12 requests`, `1 custom event`: a count of a table's items in words. */
export function countedItems(count: number, table: TableName): string {
  const [one, many] = WORDS[table];
  return `${count} ${count === 1 ? one : many}`;
}

/** `1 request`, `2 requests`, `1 customEvent`: a count in the table's own name, as subjects write it. */
export function countedTableItems(count: number, table: TableName): string {
  return `${count} ${count === 1 ? SINGULAR_NAMES[table] : table}`;
}
