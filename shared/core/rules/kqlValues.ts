import { boundedStringify } from '../json/boundedStringify';
import { parseKustoDatetime, subMillisecondTicksOf } from './kqlDatetime';

/**
 * KQL's value conversions over the JavaScript values of a `TelemetryRecord`: strings are never null
 * (missing is `""`), every other type has a null, timespans are milliseconds and datetimes are
 * milliseconds since the Unix epoch.
 */

const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * `tostring()` of a dynamic (or any) value: `""` for null, JSON for objects and arrays. The JSON is
 * bounded (see `boundedStringify`): a row's value nested thousands deep or megabytes long gives cut
 * text with a marker rather than a stack overflow that would fail the blob.
 */
export function valueToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      if (value instanceof Date)
        return Number.isNaN(value.getTime()) ? '' : formatDatetime(value.getTime(), subMillisecondTicksOf(value));
      return boundedStringify(value);
  }
}

/**
 * A datetime as Kusto prints it: `2024-03-05T13:00:00Z`, or with seven fraction digits when it has any.
 *
 * @param subMsTicks - the 100 ns ticks past `ms` (0..9999), the last four of the seven digits
 */
export function formatDatetime(ms: number, subMsTicks = 0): string {
  const iso = new Date(ms).toISOString();
  if (subMsTicks === 0) return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : `${iso.slice(0, -1)}0000Z`;
  return `${iso.slice(0, -1)}${String(subMsTicks).padStart(4, '0')}Z`;
}

/** A timespan as Kusto prints it: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ms: number): string {
  const ticks = Math.round(Math.abs(ms) * 10_000);
  const days = Math.floor(ticks / 864_000_000_000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const clock = [
    pad(Math.floor(ticks / 36_000_000_000) % 24),
    pad(Math.floor(ticks / 600_000_000) % 60),
    pad(Math.floor(ticks / 10_000_000) % 60),
  ].join(':');
  const fraction = ticks % 10_000_000;
  return `${ms < 0 ? '-' : ''}${days > 0 ? `${days}.` : ''}${clock}${fraction ? `.${pad(fraction, 7)}` : ''}`;
}

/** `todouble()`: numbers as they are, numeric text parsed, booleans as 1/0, anything else null. */
export function valueToReal(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return isDigits(value) || NUMBER_TEXT.test(value) ? Number(value) : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** Whether `text` is only ASCII digits, the common numeric text, which `NUMBER_TEXT` also accepts. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** `toint()`: truncated towards zero; null when out of the signed 32-bit range or not a number. */
export function valueToInt(value: unknown): number | null {
  const real = valueToReal(value);
  if (real === null || !Number.isFinite(real)) return null;
  const int = Math.trunc(real);
  return int < INT32_MIN || int > INT32_MAX ? null : int;
}

/** `tolong()`: truncated towards zero. NOTE: JavaScript numbers hold integers exactly only up to 2^53. */
export function valueToLong(value: unknown): number | null {
  const real = valueToReal(value);
  return real === null || !Number.isFinite(real) ? null : Math.trunc(real);
}

/** `tobool()`: `true`/`false` in any case, numbers as non-zero; anything else null. */
export function valueToBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value !== 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    return text === 'true' ? true : text === 'false' ? false : null;
  }
  return null;
}

/**
 * A datetime column's value in epoch milliseconds (floored), or null; text is read in the formats
 * Kusto documents (`parseKustoDatetime`). Ticks past the millisecond: `subMillisecondTicksOf`.
 */
export function valueToDatetime(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  return typeof value === 'string' ? (parseKustoDatetime(value)?.ms ?? null) : null;
}

/**
 * `value.key` or `value["key"]` on a dynamic value: only the object's own properties, so a property
 * bag with a prototype never yields `constructor` or `__proto__`; null when absent.
 */
export function dynamicProperty(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.prototype.hasOwnProperty.call(value, key) ? ((value as Record<string, unknown>)[key] ?? null) : null;
}

/** `value[i]` on a dynamic array; a negative index counts from the end, as in Kusto. */
export function dynamicIndex(value: unknown, index: number): unknown {
  if (!Array.isArray(value)) return null;
  const item: unknown = value[index < 0 ? value.length + index : index];
  return item ?? null;
}
