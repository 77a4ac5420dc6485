import { metricMs, performanceBucket } from './durations';
import type { Columns, JsonObject } from './read';

/** `browserTimings` columns of one `clientPerformance[i]` item; each timing is a metric-value object in ticks. */
export function writeBrowserTimingColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  if (typeof item.name === 'string') columns.name = item.name;
  if (typeof item.url === 'string') columns.url = item.url;
  const network = metricMs(item.networkConnection, itemCount);
  if (network !== undefined) columns.networkDuration = network;
  const send = metricMs(item.sendRequest, itemCount);
  if (send !== undefined) columns.sendDuration = send;
  const receive = metricMs(item.receiveRequest, itemCount);
  if (receive !== undefined) columns.receiveDuration = receive;
  const processing = metricMs(item.clientProcess, itemCount);
  if (processing !== undefined) columns.processingDuration = processing;
  const total = metricMs(item.total, itemCount);
  if (total === undefined) return;
  columns.totalDuration = total;
  // Log Analytics buckets a page load by its total time.
  columns.performanceBucket = performanceBucket(total);
}
