/**
 * JSON text of telemetry values that a hostile row cannot turn into a stack overflow or a huge string.
 *
 * For ordinary values (nested at most `maxDepth` deep, no cycle, text within `maxChars`) the result
 * is exactly `JSON.stringify(value)`. Beyond that:
 * - a container nested deeper than `maxDepth` is written as the JSON string `DEPTH_MARKER`;
 * - a container that contains itself is written, where it recurs, as the JSON string `CYCLE_MARKER`;
 * - past `maxChars` characters the text stops and `TRUNCATED_MARKER` is appended (the result is then
 *   no longer valid JSON, and at most `maxChars + TRUNCATED_MARKER.length` characters long);
 * - a value JSON.stringify would throw on is written anyway: a BigInt as its digits; a getter or
 *   `toJSON` that throws ends the text with `UNPRINTABLE_MARKER`;
 * - where JSON.stringify returns `undefined` (undefined, a function or a symbol at the top) it is `''`.
 * The walk is iterative and stops once the text is full, so its cost is bounded by `maxChars` and
 * `maxDepth`, not by the value's size.
 */

import { at } from '../defined';

/** 64 levels: far deeper than any SDK's telemetry, shallow enough to keep the walk's stack small. */
export const DEFAULT_MAX_DEPTH = 64;
/** 64 KiB of text: more than a predicate or an e-mail cell needs, far less than a hostile row holds. */
export const DEFAULT_MAX_CHARS = 64 * 1024;
export const DEPTH_MARKER = '"[nested too deep]"';
export const CYCLE_MARKER = '"[cycle]"';
export const TRUNCATED_MARKER = '…[truncated]';
export const UNPRINTABLE_MARKER = '…[unprintable]';

export interface StringifyLimits {
  /** Containers (objects, arrays) open at once; a deeper one is written as `DEPTH_MARKER`. */
  readonly maxDepth?: number;
  /** Characters of JSON text before the text is cut with `TRUNCATED_MARKER`. */
  readonly maxChars?: number;
}

type Frame =
  | { readonly kind: 'array'; readonly value: readonly unknown[]; next: number }
  | {
      readonly kind: 'object';
      readonly value: Readonly<Record<string, unknown>>;
      readonly keys: readonly string[];
      next: number;
      wrote: boolean;
    };

const OMIT = Symbol('omit');

/**
 * @param value - any value; records' values are what JSON.parse returns, plus Dates.
 * @param limits - depth and length bounds; defaults `DEFAULT_MAX_DEPTH` and `DEFAULT_MAX_CHARS`.
 * @returns JSON text, `JSON.stringify`'s own for ordinary values (see the module comment).
 */
export function boundedStringify(value: unknown, limits: StringifyLimits = {}): string {
  const maxDepth = Math.max(0, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  const maxChars = Math.max(0, limits.maxChars ?? DEFAULT_MAX_CHARS);
  // NOTE: the native serializer is an order of magnitude faster than any walk in JavaScript, so a
  // value a cheap scan shows to be shallow, acyclic and short goes to it; the walk is for the rest.
  if (fitsNative(value, Math.min(maxDepth, NATIVE_DEPTH), maxChars)) {
    const native = JSON.stringify(value) ?? '';
    return native.length <= maxChars ? native : cutText(native, maxChars) + TRUNCATED_MARKER;
  }
  return walk(value, maxDepth, maxChars);
}

/** The deepest value the scan for the native path recurses into; deeper ones take the walk. */
const NATIVE_DEPTH = 64;
/** Characters counted for a number or a date: the longest either prints as. */
const SCALAR_CHARS = 26;

/**
 * Whether `value` is plain JSON data (strings, finite or not numbers, booleans, null, arrays, plain
 * objects, Dates) at most `depth` containers deep whose text, escapes aside, fits `maxChars`. Once
 * it returns true, JSON.stringify writes what the walk would, and its output is at most a few times
 * `maxChars` (an escape is at most six characters).
 */
function fitsNative(value: unknown, depth: number, maxChars: number): boolean {
  try {
    return scan(value, depth, maxChars) >= 0;
  } catch {
    return false;
  }
}

/** The budget left after `value`'s text, or -1 once it is over or the value is not plain. */
function scan(value: unknown, depth: number, budget: number): number {
  switch (typeof value) {
    case 'string':
      return budget - value.length - 2;
    case 'number':
    case 'boolean':
      return budget - SCALAR_CHARS;
    case 'undefined':
      return budget - 4;
    case 'object': {
      if (value === null) return budget - 4;
      if (value instanceof Date) return budget - SCALAR_CHARS;
      if (depth === 0) return -1;
      let left = budget - 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && left >= 0; i++) left = scan(value[i], depth - 1, left - 1);
        return left;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return -1;
      for (const key in value) {
        if (left < 0) return -1;
        if (!Object.prototype.hasOwnProperty.call(value, key)) return -1;
        left = scan((value as Record<string, unknown>)[key], depth - 1, left - key.length - 4);
      }
      return left;
    }
    default:
      return -1;
  }
}

function walk(value: unknown, maxDepth: number, maxChars: number): string {
  const text = new TextBudget(maxChars);
  const stack: Frame[] = [];
  const open = new Set<object>();

  const write = (item: unknown): void => {
    if (item === null) return text.add('null');
    switch (typeof item) {
      case 'string':
        return text.add(quote(item, text.remaining));
      case 'number':
        return text.add(Number.isFinite(item) ? String(item) : 'null');
      case 'boolean':
      case 'bigint':
        return text.add(String(item));
      case 'object':
        if (open.has(item)) return text.add(CYCLE_MARKER);
        if (stack.length >= maxDepth) return text.add(DEPTH_MARKER);
        open.add(item);
        if (Array.isArray(item)) {
          stack.push({ kind: 'array', value: item, next: 0 });
          return text.add('[');
        }
        stack.push({
          kind: 'object',
          value: item as Record<string, unknown>,
          keys: Object.keys(item),
          next: 0,
          wrote: false,
        });
        return text.add('{');
      default:
        return text.add('null');
    }
  };

  try {
    const root = prepare(value, '');
    if (root === OMIT) return '';
    write(root);
    while (!text.full) {
      // No top frame once the stack is empty: the walk is done.
      const frame = stack[stack.length - 1];
      if (frame === undefined) break;
      if (frame.kind === 'array') {
        if (frame.next >= frame.value.length) {
          close(frame, ']');
          continue;
        }
        const index = frame.next++;
        if (index > 0) text.add(',');
        const item = prepare(frame.value[index], String(index));
        write(item === OMIT ? null : item);
        continue;
      }
      let item: unknown = OMIT;
      let key = '';
      while (item === OMIT) {
        const next = frame.keys[frame.next];
        if (next === undefined) break;
        frame.next++;
        key = next;
        item = prepare(frame.value[key], key);
      }
      if (item === OMIT) {
        close(frame, '}');
        continue;
      }
      text.add(`${frame.wrote ? ',' : ''}${quote(key, text.remaining)}:`);
      frame.wrote = true;
      write(item);
    }
  } catch {
    // NOTE: only a hostile getter, proxy or toJSON lands here; a predicate must not throw for it.
    return text.toString() + UNPRINTABLE_MARKER;
  }
  return text.toString();

  function close(frame: Frame, bracket: string): void {
    stack.pop();
    open.delete(frame.value);
    text.add(bracket);
  }
}

/** What JSON.stringify writes for a property: after `toJSON`, boxed primitives unwrapped, or OMIT. */
function prepare(value: unknown, key: string): unknown {
  let item = value;
  if (typeof item === 'object' && item !== null && typeof (item as { toJSON?: unknown }).toJSON === 'function') {
    item = (item as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  if (item instanceof Number) return Number(item);
  if (item instanceof String) return String(item);
  if (item instanceof Boolean || item instanceof BigInt) return item.valueOf();
  return item === undefined || typeof item === 'function' || typeof item === 'symbol' ? OMIT : item;
}

/** A JSON string literal, of a prefix only when the whole could not fit anyway. */
function quote(text: string, room: number): string {
  // Quoting adds at least two characters, so a prefix one longer than the room still overflows it.
  return JSON.stringify(text.length > room ? text.slice(0, room + 1) : text);
}

/** Text that stops growing at its limit, never splitting a surrogate pair. */
class TextBudget {
  private readonly parts: string[] = [];
  private length = 0;
  full = false;

  constructor(private readonly maxChars: number) {}

  get remaining(): number {
    return this.maxChars - this.length;
  }

  add(part: string): void {
    if (this.full) return;
    if (this.length + part.length <= this.maxChars) {
      this.parts.push(part);
      this.length += part.length;
      return;
    }
    this.parts.push(cutText(part, this.maxChars - this.length));
    this.length = this.maxChars;
    this.full = true;
  }

  toString(): string {
    const joined = this.parts.length === 1 ? at(this.parts, 0, 'text parts') : this.parts.join('');
    return this.full ? joined + TRUNCATED_MARKER : joined;
  }
}

/** The first `chars` UTF-16 units of `text`, one fewer where the last would split a surrogate pair. */
function cutText(text: string, chars: number): string {
  const last = text.charCodeAt(chars - 1);
  return text.slice(0, chars > 0 && last >= 0xd800 && last <= 0xdbff ? chars - 1 : chars);
}
