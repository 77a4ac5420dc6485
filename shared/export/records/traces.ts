import { asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';
import { severityLevel } from './severity';

/** `traces` columns of one `message[i]` item: the log text is `raw`, the level a name. */
export function writeTraceColumns(item: JsonObject, columns: Columns): void {
  setColumn(columns, 'message', asString(item.raw));
  setColumn(columns, 'severityLevel', severityLevel(item.severityLevel));
}
