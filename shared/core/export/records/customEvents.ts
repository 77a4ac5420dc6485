import type { Columns, JsonObject } from './read';

/** `customEvents` columns of one `event[i]` item: only its name; `url` has no column there. */
export function writeEventColumns(item: JsonObject, columns: Columns): void {
  if (typeof item.name === 'string') columns.name = item.name;
}
