import { setDuration } from './durations';
import type { Columns, JsonObject } from './read';
import { asObject, asResultCode, firstText } from './read';

/** `dependencies` columns of one `remoteDependency[i]` item. */
export function writeDependencyColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  if (typeof item.id === 'string') columns.id = item.id;
  // Log Analytics' target is the host of an HTTP call; `baseName` is the export's only other candidate.
  const target = firstText(asObject(item.urlData)?.host, item.baseName);
  if (target !== undefined) columns.target = target;
  const type = firstText(item.dependencyTypeName, item.type);
  if (type !== undefined) columns.type = type;
  if (typeof item.name === 'string') columns.name = item.name;
  const data = firstText(item.commandName, item.url);
  if (data !== undefined) columns.data = data;
  if (typeof item.success === 'boolean') columns.success = item.success;
  const resultCode = asResultCode(item.resultCode);
  if (resultCode !== undefined) columns.resultCode = resultCode;
  setDuration(columns, item.durationMetric, itemCount);
}
