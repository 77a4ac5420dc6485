import { setDuration } from './durations';
import { asNumber, asObject, asString, setColumn } from './read';
import type { Columns, JsonObject } from './read';
import { parseEventTime } from './timestamp';

/** `availabilityResults` columns of one `availability[i]` item. */
export function writeAvailabilityColumns(item: JsonObject, columns: Columns, itemCount: number | undefined): void {
  setColumn(columns, 'id', asString(item.testRunId));
  setColumn(columns, 'name', asString(item.testName));
  setColumn(columns, 'location', asString(item.runLocation));
  setColumn(columns, 'success', availabilitySuccess(item));
  setColumn(columns, 'message', asString(item.message));
  setColumn(columns, 'size', asNumber(asObject(item.dataSizeMetric)?.value));
  setDuration(columns, item.durationMetric, itemCount);
  if (columns.timestamp === undefined) {
    const testTimestamp = asString(item.testTimestamp);
    setColumn(columns, 'timestamp', testTimestamp === undefined ? undefined : parseEventTime(testTimestamp));
  }
}

/** `result` ("Pass"/"Fail") decides; `availabilityMetric.value` (1.0/0.0) says the same when it is missing. */
function availabilitySuccess(item: JsonObject): boolean | undefined {
  if (item.result === 'Pass') return true;
  if (item.result === 'Fail') return false;
  const value = asNumber(asObject(item.availabilityMetric)?.value);
  return value === 1 ? true : value === 0 ? false : undefined;
}
