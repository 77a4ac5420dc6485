import { metricMs, performanceBucket } from './durations';
import { asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';

/** `browserTimings` columns of one `clientPerformance[i]` item; each timing is a metric-value object in ticks. */
export function writeBrowserTimingColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  setColumn(columns, 'name', asString(item.name));
  setColumn(columns, 'url', asString(item.url));
  setColumn(columns, 'networkDuration', metricMs(item.networkConnection, itemCount));
  setColumn(columns, 'sendDuration', metricMs(item.sendRequest, itemCount));
  setColumn(columns, 'receiveDuration', metricMs(item.receiveRequest, itemCount));
  setColumn(columns, 'processingDuration', metricMs(item.clientProcess, itemCount));
  const total = metricMs(item.total, itemCount);
  setColumn(columns, 'totalDuration', total);
  // Log Analytics buckets a page load by its total time.
  setColumn(columns, 'performanceBucket', total === undefined ? undefined : performanceBucket(total));
}
