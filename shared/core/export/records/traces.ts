import type { Columns, JsonObject } from './read';
import { severityLevel } from './severity';

/** `traces` columns of one `message[i]` item: the log text is `raw`, the level a name. */
export function writeTraceColumns(item: JsonObject, columns: Columns): void {
  if (typeof item.raw === 'string') columns.message = item.raw;
  const level = severityLevel(item.severityLevel);
  if (level !== undefined) columns.severityLevel = level;
}
