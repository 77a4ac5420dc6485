/**
 * Reading one property of a rule as users store it. Storage Explorer, scripts and the SDKs write the
 * same 5 as Edm.Int32, Edm.Int64, Edm.Double or a string, and @azure/data-tables 13 returns Int64 as
 * a BigInt, or as `{ value: '5', type: 'Int64' }` with `disableTypeConversion`; all of them mean 5.
 */

/** A property as the Tables SDK gives it with `disableTypeConversion`, or as a caller may write it. */
export interface EdmValue {
  readonly value: unknown;
  readonly type: string;
}

/** A property read: absent (use the default), a value, or what was found, as written, for the message. */
export type ReadValue<T> =
  { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly found: string };

const EDM_TYPES = new Set(['Binary', 'Boolean', 'DateTime', 'Double', 'Guid', 'Int32', 'Int64', 'String']);
const INTEGER_TEXT = /^[+-]?\d+$/;
/** Whole numbers as people type them, `5.0` included; no hex, exponents or blanks inside. */
const WHOLE_TEXT = /^[+-]?\d+(?:\.0+)?$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Enough of a value to recognise it; a rule's message must not echo a whole document. */
const MAX_SHOWN_CHARS = 80;

const ABSENT = { ok: true, value: undefined } as const;

export function isEdmValue(value: unknown): value is EdmValue {
  if (typeof value !== 'object' || value === null || !('value' in value) || !('type' in value)) return false;
  return typeof value.type === 'string' && EDM_TYPES.has(value.type);
}

/** A whole number in the safe integer range from any numeric type or a numeric string; range checks are the caller's. */
export function readWholeNumber(value: unknown): ReadValue<number> {
  if (isBlank(value)) return ABSENT;
  const found = { ok: false, found: describeRuleValue(value) } as const;
  // `+ 0` turns '-0' into 0, so a rule never shows a window of -0 minutes.
  const read = (number: number): ReadValue<number> =>
    Number.isSafeInteger(number) ? { ok: true, value: number + 0 } : found;
  if (typeof value === 'number') return read(value);
  if (typeof value === 'bigint') return read(safeBigInt(value));
  if (typeof value === 'string') return WHOLE_TEXT.test(value.trim()) ? read(Number(value.trim())) : found;
  if (!isEdmValue(value)) return found;
  const text = String(value.value).trim();
  switch (value.type) {
    case 'Int32':
    case 'Int64':
      return INTEGER_TEXT.test(text) ? read(safeBigInt(BigInt(text))) : found;
    case 'Double':
      return DECIMAL_TEXT.test(text) ? read(Number(text)) : found;
    case 'String':
      return WHOLE_TEXT.test(text) ? read(Number(text)) : found;
    default:
      return found;
  }
}

/** true or false, as a boolean, an Edm.Boolean or the text `true`/`false` in any case. */
export function readFlag(value: unknown): ReadValue<boolean> {
  if (isBlank(value)) return ABSENT;
  if (typeof value === 'boolean') return { ok: true, value };
  const text =
    typeof value === 'string'
      ? value
      : isEdmValue(value) && (value.type === 'String' || value.type === 'Boolean')
        ? String(value.value)
        : undefined;
  if (text !== undefined && /^(true|false)$/i.test(text.trim()))
    return { ok: true, value: text.trim().toLowerCase() === 'true' };
  return { ok: false, found: describeRuleValue(value) };
}

/** Text, as a string or an Edm.String; a number or a flag where text belongs is a problem, not nothing. */
export function readText(value: unknown): ReadValue<string> {
  if (value === undefined || value === null) return ABSENT;
  if (typeof value === 'string') return { ok: true, value };
  if (isEdmValue(value) && value.type === 'String' && typeof value.value === 'string')
    return { ok: true, value: value.value };
  return { ok: false, found: describeRuleValue(value) };
}

/** A value as written, with its storage type when that is not plain text or a plain whole number: `5.5 (Edm.Double)`. */
export function describeRuleValue(value: unknown): string {
  if (typeof value === 'string') return `'${clip(value)}'`;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : `${String(value)} (Edm.Double)`;
  if (typeof value === 'bigint') return `${clip(value.toString())} (Edm.Int64)`;
  if (typeof value === 'boolean') return `${String(value)} (Edm.Boolean)`;
  if (value === undefined || value === null) return 'nothing';
  if (isEdmValue(value)) {
    const text = clip(String(value.value));
    return value.type === 'String' ? `'${text}'` : `${text} (Edm.${value.type})`;
  }
  if (value instanceof Date)
    return `${Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString()} (Edm.DateTime)`;
  if (value instanceof Uint8Array) return `${value.length} bytes (Edm.Binary)`;
  return Array.isArray(value) ? `a list (${clip(safeJson(value))})` : `an object (${clip(safeJson(value))})`;
}

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return isEdmValue(value) && value.type === 'String' && typeof value.value === 'string' && value.value.trim() === '';
}

/** NaN outside the safe range, so one check rejects it: a BigInt of 2^53 + 1 must not round to a valid 2^53. */
function safeBigInt(value: bigint): number {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : NaN;
}

function clip(text: string): string {
  if (text.length <= MAX_SHOWN_CHARS) return text;
  // Never end on half a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(MAX_SHOWN_CHARS - 1)) ? MAX_SHOWN_CHARS - 1 : MAX_SHOWN_CHARS;
  return `${text.slice(0, end)}…`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    // Circular or too deep to stringify: the kind of value is enough to name the problem.
    return '…';
  }
}
