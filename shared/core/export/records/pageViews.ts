import { setDuration } from './durations';
import type { Columns, JsonObject } from './read';

/** `pageViews` columns of one `view[i]` item. */
export function writePageViewColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  // NOTE: `id` is not in the export data model; read in case a row has it, absent otherwise.
  if (typeof item.id === 'string') columns.id = item.id;
  if (typeof item.name === 'string') columns.name = item.name;
  if (typeof item.url === 'string') columns.url = item.url;
  setDuration(columns, item.durationMetric, itemCount);
}
