import type { TableName } from './telemetryTypes';

/** A value as Log Analytics would show it in a column; `customDimensions` and friends are objects. */
export type ColumnValue =
  string | number | boolean | Date | null | { readonly [key: string]: unknown } | readonly unknown[];

/**
 * One row of a Log Analytics table built from one export item. `columns` holds only the columns the
 * export actually had a value for: a missing value stays missing, never a made-up default.
 */
export interface TelemetryRecord {
  readonly table: TableName;
  readonly columns: Readonly<Record<string, ColumnValue | undefined>>;
  /** The export row the record came from, for e-mail bodies and debugging. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** 1-based line of the row in its blob, when the record came from a blob. */
  readonly line?: number;
}
