import { setDuration } from './durations';
import type { Columns, JsonObject } from './read';
import { asNumber, asObject } from './read';
import { parseEventTime } from './timestamp';

/** `availabilityResults` columns of one `availability[i]` item. */
export function writeAvailabilityColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  if (typeof item.testRunId === 'string') columns.id = item.testRunId;
  if (typeof item.testName === 'string') columns.name = item.testName;
  if (typeof item.runLocation === 'string') columns.location = item.runLocation;
  const success = availabilitySuccess(item);
  if (success !== undefined) columns.success = success;
  if (typeof item.message === 'string') columns.message = item.message;
  const size = asNumber(asObject(item.dataSizeMetric)?.value);
  if (size !== undefined) columns.size = size;
  setDuration(columns, item.durationMetric, itemCount);
  if (columns.timestamp === undefined && typeof item.testTimestamp === 'string') {
    const timestamp = parseEventTime(item.testTimestamp);
    if (timestamp !== undefined) columns.timestamp = timestamp;
  }
}

/** `result` ("Pass"/"Fail") decides; `availabilityMetric.value` (1.0/0.0) says the same when it is missing. */
function availabilitySuccess(item: JsonObject): boolean | undefined {
  if (item.result === 'Pass') return true;
  if (item.result === 'Fail') return false;
  const value = asNumber(asObject(item.availabilityMetric)?.value);
  return value === 1 ? true : value === 0 ? false : undefined;
}
