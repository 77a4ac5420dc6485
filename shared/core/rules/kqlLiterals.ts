/**
 * Values of KQL literals, read from the literal's text. NOTE: the Kusto parser's own values are wrong
 * for some forms (`time(00:00:02)` and `0x1F` come back as 0, `datetime(2024-13-05)` as year 1 with no
 * diagnostic), so we read the text ourselves and report what we cannot read.
 *
 * Timespans are milliseconds and datetimes are milliseconds since the Unix epoch, as JavaScript counts.
 */

import { type KustoInstant, parseKustoDatetime } from './kqlDatetime';

/** A literal that reads as a value, as KQL's typed `null`, or not at all (`undefined`). */
export type LiteralValue<T> = T | null | undefined;

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  tick: 0.0001,
  ticks: 0.0001,
};

const WITH_UNIT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([a-z]+)$/i;
const CLOCK = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const DAYS_ONLY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Reads a timespan literal's text: `1.5s`, `5m`, `100ms`, `2 min`, `1.02:03:04.5`, `00:00:02`, or a
 * bare number of days (`time(2)`), as milliseconds.
 */
export function parseTimespan(text: string): LiteralValue<number> {
  const value = text.trim();
  if (value === 'null') return null;
  const withUnit = WITH_UNIT.exec(value);
  if (withUnit) {
    const perUnit = MS_PER_UNIT[(withUnit[2] ?? '').toLowerCase()];
    return perUnit === undefined ? undefined : Number(withUnit[1]) * perUnit;
  }
  if (DAYS_ONLY.test(value)) return Number(value) * 86_400_000;
  const clock = CLOCK.exec(value);
  if (!clock) return undefined;
  const [, sign, days, hours, minutes, seconds, fraction] = clock;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return undefined;
  const ms =
    Number(days ?? 0) * 86_400_000 +
    Number(hours) * 3_600_000 +
    Number(minutes) * 60_000 +
    Number(seconds ?? 0) * 1000 +
    Number(`0.${fraction ?? '0'}`) * 1000;
  return sign === '-' ? -ms : ms;
}

/**
 * Reads a datetime literal's text in the formats Kusto documents (see `parseKustoDatetime`), quoted
 * (`datetime('12-02-2022')`) or not, at 100 ns precision; without a zone the time is UTC, as in Kusto.
 */
export function parseDatetimeLiteral(text: string): LiteralValue<KustoInstant> {
  const value = text.trim();
  if (value === 'null') return null;
  const quoted = /^(['"])(.*)\1$/s.exec(value);
  return parseKustoDatetime(quoted ? (quoted[2] ?? '') : value);
}

/** A datetime literal's text as epoch milliseconds (floored); see `parseDatetimeLiteral`. */
export function parseDatetime(text: string): LiteralValue<number> {
  const instant = parseDatetimeLiteral(text);
  return instant === null || instant === undefined ? instant : instant.ms;
}

/** Reads an `int`/`long` literal's text: decimal or `0x` hexadecimal, optionally signed. */
export function parseInteger(text: string): LiteralValue<number> {
  const value = text.trim();
  if (value === 'null') return null;
  if (/^[+-]?\d+$/.test(value)) return Number(value);
  const hex = /^([+-]?)0x([0-9a-f]+)$/i.exec(value);
  if (!hex) return undefined;
  const magnitude = parseInt(hex[2] ?? '', 16);
  return hex[1] === '-' ? -magnitude : magnitude;
}

/** Reads a `real` literal's text (`2.5`, `1e3`, `real(null)`, `real(nan)`, `real(+inf)`). */
export function parseReal(text: string): LiteralValue<number> {
  const value = text.trim().toLowerCase();
  if (value === 'null') return null;
  if (value === 'nan') return NaN;
  if (value === 'inf' || value === '+inf') return Infinity;
  if (value === '-inf') return -Infinity;
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/.test(value) ? Number(value) : undefined;
}
