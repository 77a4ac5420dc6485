import { InvariantError } from './errors';

/**
 * The element at `index`, which the caller knows is there: a checked `items[index]` where
 * `noUncheckedIndexedAccess` types it `T | undefined`. An `undefined` element counts as missing.
 * @param what - the array's name in the message: `exception chain`, `cron fields`
 * @throws InvariantError when there is no element at `index`
 */
export function at<T>(items: ArrayLike<T>, index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw missingElement(what, index, items.length);
  return item;
}

/**
 * `value`, which the caller knows is set: a checked `value as T`.
 * @param what - the value's name in the message: `the setting EXPORT_STORAGE`, `the rule's entity`
 * @throws InvariantError when `value` is undefined
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InvariantError(`${what}: expected a value, found undefined`);
  return value;
}

/**
 * The error `at` throws, for hot loops that check `items[index] === undefined` inline instead: V8
 * folds that check away where it knows the element's type, and the message is built only on a throw.
 */
export function missingElement(what: string, index: number, length: number): InvariantError {
  return new InvariantError(`${what}: expected an element at index ${index}, found none (length ${length})`);
}
