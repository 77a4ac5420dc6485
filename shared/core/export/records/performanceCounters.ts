import type { Result } from '../../result';
import { fail, ok } from '../../result';
import { itemCount } from './context';
import type { Columns } from './read';
import { asNumber, asObject, asString, describeJson } from './read';

/**
 * The `performanceCounters` records of a PerformanceCounters row. Each element is
 * `{"<counterName>": {"value": n}, "categoryName": "...", "instanceName": "..."}` (shape from
 * Tx.AppInsights' reader; no public row). Like Log Analytics, `name` and `counter` are both the
 * counter name.
 *
 * @returns the records, or a message when an element is not an object or has no counter in it.
 */
export function performanceCounterRecords(
  items: readonly unknown[],
  base: Columns,
  samplingRate: number | undefined,
): Result<Columns[], string> {
  const records: Columns[] = [];
  const count = itemCount(undefined, samplingRate);
  for (let i = 0; i < items.length; i++) {
    const element = asObject(items[i]);
    if (element === undefined) {
      return fail(`performanceCounter[${i}] is ${describeJson(items[i])}, expected an object`);
    }
    const category = asString(element.categoryName);
    const instance = asString(element.instanceName);
    const before = records.length;
    for (const name in element) {
      if (name === 'categoryName' || name === 'instanceName') continue;
      const counter = asObject(element[name]);
      if (counter === undefined || !Object.prototype.hasOwnProperty.call(element, name)) continue;
      const columns: Columns = Object.assign({}, base);
      columns.name = name;
      columns.counter = name;
      if (category !== undefined) columns.category = category;
      if (instance !== undefined) columns.instance = instance;
      const value = asNumber(counter.value);
      if (value !== undefined) columns.value = value;
      if (count !== undefined) columns.itemCount = count;
      records.push(columns);
    }
    if (records.length === before) {
      return fail(`performanceCounter[${i}] has no "<counterName>": {"value": n} entry`);
    }
  }
  return ok(records);
}
