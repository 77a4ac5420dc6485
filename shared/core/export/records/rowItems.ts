import type { JsonObject } from './read';
import { asArray, asObject } from './read';

/**
 * How many telemetry items a row holds, counted without building any record, so a row that would
 * expand into a million records can be refused first: elements of the type array (of
 * `basicException` for an exception), counters over the `performanceCounter` elements, and metrics
 * over the entries of `context.custom.metrics` for a Metrics row.
 */
export function countRowItems(
  kind: 'items' | 'counters' | 'metrics',
  items: readonly unknown[],
  document: JsonObject,
): number {
  if (kind === 'items') return items.length;
  if (kind === 'counters') {
    let count = 0;
    for (const element of items) {
      const object = asObject(element);
      // An element without a counter still counts once: it becomes a malformed-row message, not a record.
      count += object === undefined ? 1 : Math.max(1, countObjectEntries(object, COUNTER_LABELS));
    }
    return count;
  }
  const entries = asArray(asObject(asObject(document.context)?.custom)?.metrics);
  let count = 0;
  for (const entry of entries ?? []) {
    const pairs = asObject(entry);
    if (pairs !== undefined) count += countObjectEntries(pairs, NO_LABELS);
  }
  return count;
}

const COUNTER_LABELS: ReadonlySet<string> = new Set(['categoryName', 'instanceName']);
const NO_LABELS: ReadonlySet<string> = new Set();

/** Own keys holding an object, as the record builders read them; labels excluded. */
function countObjectEntries(object: JsonObject, labels: ReadonlySet<string>): number {
  let count = 0;
  for (const key in object) {
    if (labels.has(key) || !Object.prototype.hasOwnProperty.call(object, key)) continue;
    if (asObject(object[key]) !== undefined) count++;
  }
  return count;
}
