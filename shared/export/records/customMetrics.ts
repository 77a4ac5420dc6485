import { itemCount } from './context';
import { asArray, asInt, asNumber, asObject, setColumn } from './read';
import type { Columns, JsonObject } from './read';

/**
 * The `customMetrics` records of a Metrics row: its `metric` array is empty and every entry of
 * `context.custom.metrics` (`[{"dispatchRate":{"value":0.001295,"count":1.0,...,"sum":0.001295}}]`) is
 * one metric, named by its key. Each record copies the row's common columns.
 */
export function metricRecords(document: JsonObject, base: Columns, samplingRate: number | undefined): Columns[] {
  const records: Columns[] = [];
  const custom = asObject(asObject(document.context)?.custom);
  const entries = asArray(custom?.metrics);
  if (entries === undefined) return records;
  const count = itemCount(undefined, samplingRate);
  for (const entry of entries) {
    const pairs = asObject(entry);
    if (pairs === undefined) continue;
    for (const name in pairs) {
      const metric = asObject(pairs[name]);
      if (metric === undefined || !Object.prototype.hasOwnProperty.call(pairs, name)) continue;
      const columns: Columns = Object.assign({}, base);
      columns.name = name;
      setColumn(columns, 'itemCount', count);
      setColumn(columns, 'value', asNumber(metric.value));
      setColumn(columns, 'valueCount', asInt(metric.count));
      setColumn(columns, 'valueSum', asNumber(metric.sum));
      setColumn(columns, 'valueMin', asNumber(metric.min));
      setColumn(columns, 'valueMax', asNumber(metric.max));
      setColumn(columns, 'valueStdDev', asNumber(metric.stdDev));
      records.push(columns);
    }
  }
  return records;
}
