/**
 * The ten Continuous Export folders, the top-level key of their rows, and the classic Application
 * Insights table (Log Analytics name) users query the same data by.
 */
export const TELEMETRY_TYPES = {
  Requests: { table: 'requests', rowKey: 'request' },
  Exceptions: { table: 'exceptions', rowKey: 'basicException' },
  Event: { table: 'customEvents', rowKey: 'event' },
  Messages: { table: 'traces', rowKey: 'message' },
  Rdd: { table: 'dependencies', rowKey: 'remoteDependency' },
  PageViews: { table: 'pageViews', rowKey: 'view' },
  PageViewPerformance: { table: 'browserTimings', rowKey: 'clientPerformance' },
  Availability: { table: 'availabilityResults', rowKey: 'availability' },
  Metrics: { table: 'customMetrics', rowKey: 'metric' },
  PerformanceCounters: { table: 'performanceCounters', rowKey: 'performanceCounter' },
} as const;

export type TelemetryType = keyof typeof TELEMETRY_TYPES;
export type TableName = (typeof TELEMETRY_TYPES)[TelemetryType]['table'];

export const TELEMETRY_TYPE_NAMES = Object.keys(TELEMETRY_TYPES) as TelemetryType[];
export const TABLE_NAMES = TELEMETRY_TYPE_NAMES.map((t) => TELEMETRY_TYPES[t].table);

export function isTelemetryType(name: string): name is TelemetryType {
  return Object.prototype.hasOwnProperty.call(TELEMETRY_TYPES, name);
}

export function tableForType(type: TelemetryType): TableName {
  return TELEMETRY_TYPES[type].table;
}

export function typeForTable(table: string): TelemetryType | undefined {
  return TELEMETRY_TYPE_NAMES.find((t) => TELEMETRY_TYPES[t].table === table);
}
