import { subMillisecondTicksOfDate } from '../export/records/subMillisecondTicks';

export { SUB_MS_TICKS, withSubMillisecondTicks } from '../export/records/subMillisecondTicks';

/**
 * Kusto's datetime text formats and its 100 ns precision, over JavaScript's millisecond `Date`.
 *
 * The formats are the tables of https://learn.microsoft.com/kusto/query/scalar-data-types/datetime
 * ("Supported formats": ISO 8601, RFC 822, RFC 850, sortable), which both `datetime()` literals and
 * `todatetime()` accept, plus the `MM-dd-yyyy` form of the `todatetime()` example at
 * https://learn.microsoft.com/kusto/query/todatetime-function (`todatetime('12-02-2022')`).
 *
 * Precision: Kusto counts 100 ns ticks. An epoch tick count does not fit a double exactly (2^53 ticks
 * is 28 years), so a datetime stays epoch milliseconds, floored, as everywhere else in the rules, and
 * the ticks below the millisecond (0..9999) are carried beside it and read only when two datetimes
 * share a millisecond: ordinary comparisons never look at them.
 */

import type { CompiledExpression, Evaluate } from './compiledExpression';

/** A datetime at Kusto's precision: floored epoch milliseconds plus the 100 ns ticks past them. */
export interface KustoInstant {
  readonly ms: number;
  /** Ticks past `ms`, 0..9999. */
  readonly subMsTicks: number;
}

export const TICKS_PER_MS = 10_000;

/** The ticks past the millisecond of a datetime column's value: from a marked `Date` or from text. */
export function subMillisecondTicksOf(value: unknown): number {
  if (value instanceof Date) return subMillisecondTicksOfDate(value);
  if (typeof value === 'string') return parseKustoDatetime(value)?.subMsTicks ?? 0;
  return 0;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const FULL_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** RFC 822 §5.1 zones (military letters left out: RFC 1123 notes their signs were specified wrongly). */
const ZONE_MINUTES: Readonly<Record<string, number>> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?`;
const ZONE = String.raw`(Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,3})`;
/** ISO 8601 and the sortable table: `2014-05-25T08:20:03.123456Z`, `2014-11-08 15:05 GMT`, `2014-11-08`. */
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]${TIME}\s*${ZONE}?)?$`, 'i');
/** RFC 822 and RFC 850: `Sat, 8 Nov 14 15:05:02 GMT`, `Saturday, 08-Nov-14 15:05`. */
const RFC = new RegExp(
  String.raw`^(?:([A-Za-z]+),\s*)?(\d{1,2})([ -])([A-Za-z]{3})\3(\d{2})\s+${TIME}(?:\s+${ZONE})?$`,
  'i',
);
/** The `todatetime('12-02-2022')` example: month first, as .NET's invariant culture reads it. */
const MONTH_FIRST = new RegExp(String.raw`^(\d{1,2})-(\d{1,2})-(\d{4})(?:\s+${TIME})?$`);

/**
 * Reads datetime text in a format Kusto documents; without a zone the time is UTC, as in Kusto.
 * Returns `undefined` for text it cannot convert (Kusto's `todatetime()` gives null for it).
 */
export function parseKustoDatetime(text: string): KustoInstant | undefined {
  const value = text.trim();
  const iso = ISO.exec(value);
  if (iso) {
    const [, y, mo, d, h, mi, s, f, zone] = iso;
    return instant(Number(y), Number(mo), Number(d), h, mi, s, f, zone);
  }
  const rfc = RFC.exec(value);
  if (rfc) {
    const [, weekday, d, , monthName, yearText, h, mi, s, f, zone] = rfc;
    const month = MONTHS[(monthName ?? '').toLowerCase()];
    if (month === undefined || yearText === undefined) return undefined;
    const result = instant(fullYear(yearText), month, Number(d), h, mi, s, f, zone);
    return result && (weekday === undefined || weekdayMatches(weekday, result.ms)) ? result : undefined;
  }
  const monthFirst = MONTH_FIRST.exec(value);
  if (monthFirst) {
    const [, mo, d, y, h, mi, s, f] = monthFirst;
    return instant(Number(y), Number(mo), Number(d), h, mi, s, f, undefined);
  }
  return undefined;
}

/**
 * The documented RFC 822/850 forms have a two-digit year (`%r`), read with .NET's default window
 * (00-29 is 20xx, 30-99 is 19xx). NOTE: a four-digit year is not in Kusto's tables, so it is not read.
 */
function fullYear(text: string): number {
  const year = Number(text);
  return year < 30 ? 2000 + year : 1900 + year;
}

/** .NET (and so Kusto) refuses a day name that is not the date's: `Fri, 8 Nov 14` does not convert. */
function weekdayMatches(name: string, ms: number): boolean {
  const day = new Date(Math.floor(ms / 86_400_000) * 86_400_000).getUTCDay();
  const lower = name.toLowerCase();
  return lower === WEEKDAYS[day] || lower === FULL_WEEKDAYS[day];
}

function instant(
  year: number,
  month: number,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  fraction: string | undefined,
  zone: string | undefined,
): KustoInstant | undefined {
  const [h, mi, s] = [hour, minute, second].map((p) => Number(p ?? 0)) as [number, number, number];
  // Kusto's range is years 1 to 9999.
  if (year < 1 || month < 1 || month > 12 || day < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  // NOTE: setUTCFullYear, unlike Date.UTC, keeps years 1-99 as they are rather than adding 1900.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // 2024-02-30 rolls over to March; a real calendar date survives the round trip.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return undefined;
  const ticks = Number((fraction ?? '').padEnd(7, '0'));
  const ms = date.getTime() + ((h * 60 + mi - offset) * 60 + s) * 1000 + Math.floor(ticks / TICKS_PER_MS);
  return { ms, subMsTicks: ticks % TICKS_PER_MS };
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0;
  const named = ZONE_MINUTES[zone.toLowerCase()];
  if (named !== undefined) return named;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!numeric) return undefined;
  const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
  return numeric[1] === '-' ? -minutes : minutes;
}

/** Orders two instants at tick precision: negative, zero or positive. */
export function compareInstants(aMs: number, aTicks: number, bMs: number, bTicks: number): number {
  return aMs !== bMs ? aMs - bMs : aTicks - bTicks;
}

/** Sub-millisecond ticks of datetime expressions other than bare columns, by their `evaluate`. */
const SUB_MS_EVALUATORS = new WeakMap<Evaluate<number | null>, Evaluate<number>>();

/**
 * Records how to read the ticks past the millisecond of a datetime expression's value (a literal's,
 * `todatetime()`'s); returns `evaluate` itself. Keyed by the closure, so a compiled expression needs
 * no extra field and a copy of it (`{ ...arg, node }`) keeps its precision.
 */
export function withSubMsTicks(evaluate: Evaluate<number | null>, ticks: Evaluate<number>): Evaluate<number | null> {
  SUB_MS_EVALUATORS.set(evaluate, ticks);
  return evaluate;
}

const NO_TICKS: Evaluate<number> = () => 0;

/** How to read a datetime expression's ticks past its millisecond; 0 where it has none. */
export function subMsTicksOf(expression: CompiledExpression): Evaluate<number> {
  if (expression.type !== 'datetime') return NO_TICKS;
  const registered = SUB_MS_EVALUATORS.get(expression.evaluate);
  if (registered) return registered;
  const name = expression.column;
  return name === undefined ? NO_TICKS : (record) => subMillisecondTicksOf(record.columns[name]);
}
