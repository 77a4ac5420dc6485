import { setDuration } from './durations';
import { asBool, asResultCode, asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';

/** `requests` columns of one `request[i]` item. */
export function writeRequestColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  setColumn(columns, 'id', asString(item.id));
  // NOTE: not in the export data model; read in case a row has it, absent otherwise.
  setColumn(columns, 'source', asString(item.source));
  setColumn(columns, 'name', asString(item.name));
  setColumn(columns, 'url', asString(item.url));
  setColumn(columns, 'success', asBool(item.success));
  setColumn(columns, 'resultCode', asResultCode(item.responseCode));
  setDuration(columns, item.durationMetric, itemCount);
}
