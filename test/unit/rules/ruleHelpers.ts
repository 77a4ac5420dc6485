import type { ColumnValue, TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import type { TableName } from '../../../shared/core/export/telemetryTypes';
import { type CompiledQuery, compileQuery } from '../../../shared/core/rules/compileQuery';
import { formatRuleDiagnostic } from '../../../shared/core/rules/ruleDiagnostic';

/** The evaluation time tests run queries at (what `ago()` and `now()` count from): 2024-03-05T13:00:00Z. */
export const NOW = Date.UTC(2024, 2, 5, 13, 0, 0);

/** A record of `table` holding exactly the given columns, as `toRecord` builds them. */
export function record(
  columns: Record<string, ColumnValue | undefined> = {},
  table: TableName = 'requests',
): TelemetryRecord {
  return { table, columns, raw: {} };
}

/** A `customDimensions` bag the way the export parser makes one: string values, no prototype. */
export function dimensions(values: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, values);
}

/** Compiles a query that must compile, failing the test with its diagnostics otherwise. */
export function compiled(query: string): CompiledQuery {
  const result = compileQuery(query);
  if (!result.ok)
    throw new Error(`expected ${query} to compile:\n${result.error.map(formatRuleDiagnostic).join('\n')}`);
  return result.value;
}

/** Whether the query keeps the record. */
export function keeps(query: string, row: TelemetryRecord): boolean {
  return compiled(query).predicate(row, NOW);
}

/** The formatted diagnostics of a query that must not compile. */
export function problemsOf(query: string): string[] {
  const result = compileQuery(query);
  if (result.ok) throw new Error(`expected ${query} not to compile`);
  return result.error.map(formatRuleDiagnostic);
}
