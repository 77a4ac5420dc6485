import { itemCount } from './context';
import type { Columns, JsonObject } from './read';
import { asArray, asInt, asNumber, asObject } from './read';

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
      if (count !== undefined) columns.itemCount = count;
      const value = asNumber(metric.value);
      if (value !== undefined) columns.value = value;
      const valueCount = asInt(metric.count);
      if (valueCount !== undefined) columns.valueCount = valueCount;
      const sum = asNumber(metric.sum);
      if (sum !== undefined) columns.valueSum = sum;
      const min = asNumber(metric.min);
      if (min !== undefined) columns.valueMin = min;
      const max = asNumber(metric.max);
      if (max !== undefined) columns.valueMax = max;
      const stdDev = asNumber(metric.stdDev);
      if (stdDev !== undefined) columns.valueStdDev = stdDev;
      records.push(columns);
    }
  }
  return records;
}
