import { setDuration } from './durations';
import type { Columns, JsonObject } from './read';
import { asResultCode } from './read';

/** `requests` columns of one `request[i]` item. */
export function writeRequestColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  if (typeof item.id === 'string') columns.id = item.id;
  // NOTE: not in the export data model; read in case a row has it, absent otherwise.
  if (typeof item.source === 'string') columns.source = item.source;
  if (typeof item.name === 'string') columns.name = item.name;
  if (typeof item.url === 'string') columns.url = item.url;
  if (typeof item.success === 'boolean') columns.success = item.success;
  const resultCode = asResultCode(item.responseCode);
  if (resultCode !== undefined) columns.resultCode = resultCode;
  setDuration(columns, item.durationMetric, itemCount);
}
