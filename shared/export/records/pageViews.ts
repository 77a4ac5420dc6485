import { setDuration } from './durations';
import { asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';

/** `pageViews` columns of one `view[i]` item. */
export function writePageViewColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  // NOTE: `id` is not in the export data model; read in case a row has it, absent otherwise.
  setColumn(columns, 'id', asString(item.id));
  setColumn(columns, 'name', asString(item.name));
  setColumn(columns, 'url', asString(item.url));
  setDuration(columns, item.durationMetric, itemCount);
}
