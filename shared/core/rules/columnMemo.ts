import type { Evaluate } from './compiledExpression';
import { valueToString } from './kqlValues';

/**
 * Derived values of a column (its lower-cased text, its `toint()`) shared by every rule that reads
 * them: many rules test the same column, and each record passes through all of them in turn, so the
 * last raw string and what it became are kept per (column, derivation). A hit needs the very same
 * string value, and the derivation is a pure function of it, so results never differ from computing
 * afresh; non-string values are never cached.
 */
interface Slot<T> {
  raw: string | undefined;
  result: T;
}

// Process-wide on purpose: rules compiled at different times (each catalog reload) share slots. The
// map only hands out slots; a compiled rule holds its slot itself, so clearing the map when rules over
// months have named many columns costs sharing, never a result, and keeps the map bounded.
const SLOTS = new Map<string, Slot<unknown>>();
const MAX_SLOTS = 10_000;

function slotFor<T>(key: string, initial: T): Slot<T> {
  let slot = SLOTS.get(key) as Slot<T> | undefined;
  if (!slot) {
    if (SLOTS.size >= MAX_SLOTS) SLOTS.clear();
    slot = { raw: undefined, result: initial };
    SLOTS.set(key, slot);
  }
  return slot;
}

/** `tolower(tostring(column))` of a string column, memoized per column. */
export function lowerCasedColumn(name: string): Evaluate<string> {
  const slot = slotFor(`lower\u0000${name}`, '');
  return (record) => {
    const value = record.columns[name];
    if (typeof value !== 'string') return valueToString(value).toLowerCase();
    if (value === slot.raw) return slot.result;
    const lower = value.toLowerCase();
    slot.raw = value;
    slot.result = lower;
    return lower;
  };
}

/**
 * `convert(column)` of a string column, memoized per (conversion, column).
 *
 * @param conversion - names `convert`, so that different conversions never share a slot
 * @param unmemoized - the same value computed afresh, used when the record holds no string
 */
export function convertedColumn<T>(
  name: string,
  conversion: string,
  convert: (text: string) => T,
  unmemoized: Evaluate<T>,
): Evaluate<T> {
  const slot = slotFor<T | undefined>(`${conversion}\u0000${name}`, undefined);
  return (record) => {
    const value = record.columns[name];
    if (typeof value !== 'string') return unmemoized(record);
    if (value === slot.raw) return slot.result as T;
    const result = convert(value);
    slot.raw = value;
    slot.result = result;
    return result;
  };
}
