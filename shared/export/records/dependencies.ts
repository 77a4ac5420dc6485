import { setDuration } from './durations';
import { asBool, asObject, asResultCode, asString, firstText, setColumn } from './read';
import type { Columns, JsonObject } from './read';

/** `dependencies` columns of one `remoteDependency[i]` item. */
export function writeDependencyColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  setColumn(columns, 'id', asString(item.id));
  // Log Analytics' target is the host of an HTTP call; `baseName` is the export's only other candidate.
  setColumn(columns, 'target', firstText(asObject(item.urlData)?.host, item.baseName));
  setColumn(columns, 'type', firstText(item.dependencyTypeName, item.type));
  setColumn(columns, 'name', asString(item.name));
  setColumn(columns, 'data', firstText(item.commandName, item.url));
  setColumn(columns, 'success', asBool(item.success));
  setColumn(columns, 'resultCode', asResultCode(item.resultCode));
  setDuration(columns, item.durationMetric, itemCount);
}
