import { asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';

/** `customEvents` columns of one `event[i]` item: only its name; `url` has no column there. */
export function writeEventColumns(item: JsonObject, columns: Columns): void {
  setColumn(columns, 'name', asString(item.name));
}
