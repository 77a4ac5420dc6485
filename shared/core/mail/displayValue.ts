import { boundedStringify } from '../json/boundedStringify';

/** Longest telemetry value shown in one cell; long URLs, messages and stacks are cut there. */
export const MAX_VALUE_CHARS = 300;
export const CUT_MARKER = '…[cut]';

// Control characters (C0, DEL, C1) and the Unicode line separators break header and table layout;
// bidi overrides and marks can disguise text (`exe.txt` shown as `txt.exe`).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A telemetry value as one line of plain text: dates as ISO UTC, durations as ms, objects as JSON,
 * control characters replaced, cut at `maxChars` with a marker. Not HTML-escaped: renderers escape.
 *
 * @param unit - `ms` for columns that hold milliseconds
 * @returns '' for a missing value
 */
export function displayValue(value: unknown, unit?: 'ms', maxChars = MAX_VALUE_CHARS): string {
  return oneLine(toText(value, unit, maxChars), maxChars);
}

/**
 * Text safe for a mail header: no CR/LF or other control characters, whitespace collapsed, at most
 * `maxChars` characters (cut with `…`).
 */
export function headerText(text: string, maxChars: number): string {
  const clean = text
    .slice(0, maxChars * 4)
    .replace(CONTROL, ' ')
    .replace(BIDI, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length <= maxChars ? clean : `${cutAt(clean, maxChars - 1).trimEnd()}…`;
}

/** One line of text without control characters, cut at `maxChars` with `…[cut]`. */
export function oneLine(text: string, maxChars: number): string {
  // NOTE: scan a bounded prefix only, so a multi-megabyte value costs no more than a short one.
  const scanned = text.length > maxChars * 4 ? text.slice(0, maxChars * 4) : text;
  const clean = scanned.replace(CONTROL, ' ').replace(BIDI, '');
  if (clean.length <= maxChars && scanned.length === text.length) return clean;
  return `${cutAt(clean, maxChars)}${CUT_MARKER}`;
}

/** The first `maxChars` UTF-16 units, never splitting a surrogate pair. */
function cutAt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
}

function toText(value: unknown, unit: 'ms' | undefined, maxChars: number): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid date' : value.toISOString();
  if (typeof value === 'number') {
    if (unit !== 'ms' || !Number.isFinite(value)) return String(value);
    return `${Math.round(value * 1000) / 1000} ms`;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // The cell shows at most `maxChars` and oneLine scans four times that: more text would be wasted.
  return boundedStringify(value, { maxChars: maxChars * 4 + 1 });
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};
