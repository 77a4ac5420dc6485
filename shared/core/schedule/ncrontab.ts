import { at } from '../defined';
import { fail, ok, type Result } from '../result';

/** A parsed six-field NCRONTAB expression: `{second} {minute} {hour} {day} {month} {day-of-week}`. */
export interface CronSchedule {
  readonly expression: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday. */
  readonly weekdays: ReadonlySet<number>;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: WEEKDAYS },
];

/**
 * Reads a six-field NCRONTAB expression as the Functions timer trigger does: `*`, values, ranges
 * `a-b`, steps (`*`, a value or a range, then `/n`), lists, and month and weekday names (`Jan`, `Mon`).
 * @returns the schedule, or what is wrong with the expression
 */
export function parseNcrontab(expression: string): Result<CronSchedule, string> {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    return fail(
      `'${expression}' has ${fields.length} fields; NCRONTAB needs six: {second} {minute} {hour} {day} {month} {day-of-week}`,
    );
  }
  const sets: Set<number>[] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const parsed = parseField(at(fields, index, 'cron fields'), spec);
    if (typeof parsed === 'string') return fail(`'${expression}': ${parsed}`);
    sets.push(parsed);
  }
  const [seconds, minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return ok({ expression, seconds, minutes, hours, days, months, weekdays });
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) return `${spec.name} field '${text}' has more than one '/'`;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0)
      return `${spec.name} field '${text}' has step '${stepText}', expected a positive whole number`;
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else {
      const [low = '', high] = range.split('-');
      from = valueOf(low, spec);
      to = high === undefined ? (stepText === undefined ? from : spec.max) : valueOf(high, spec);
    }
    if (from === undefined || to === undefined || from > to) {
      return `${spec.name} field '${text}' is not a value, range or step within ${spec.min}-${spec.max}`;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  if (spec.names !== undefined && /^[a-z]{3,}$/i.test(text)) {
    const index = spec.names.indexOf(text.slice(0, 3).toLowerCase());
    return index >= 0 ? spec.min + index : undefined;
  }
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** Searching further than this means the expression names a date that never comes (`0 0 0 31 2 *`). */
const SEARCH_YEARS = 5;

/**
 * The first occurrence strictly after `after`, in UTC (the Functions default; WEBSITE_TIME_ZONE is
 * not applied locally). Day and weekday must both match, as in NCrontab.
 * @returns undefined when no occurrence falls within five years
 */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date | undefined {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + SEARCH_YEARS * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0);
    } else if (!schedule.days.has(t.getUTCDate()) || !schedule.weekdays.has(t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0);
    } else if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0);
    } else if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0);
    } else if (!schedule.seconds.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1);
    } else {
      return t;
    }
  }
  return undefined;
}

/**
 * The last occurrence at or before `atOrBefore`, in UTC: `nextOccurrence` run backwards. Field values
 * are read from the Date's UTC fields, so a caller may pass a zone's wall-clock time as "naive" epoch
 * ms (zonedSchedule.ts does).
 * @returns undefined when no occurrence falls within five years before
 */
export function previousOccurrence(schedule: CronSchedule, atOrBefore: Date): Date | undefined {
  const t = new Date(Math.floor(atOrBefore.getTime() / 1000) * 1000);
  const limit = atOrBefore.getTime() - SEARCH_YEARS * 366 * 86_400_000;
  const back = (): void => void t.setTime(t.getTime() - 1000);
  while (t.getTime() >= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCDate(1);
      t.setUTCHours(0, 0, 0);
      back();
    } else if (!schedule.days.has(t.getUTCDate()) || !schedule.weekdays.has(t.getUTCDay())) {
      t.setUTCHours(0, 0, 0);
      back();
    } else if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCMinutes(0, 0);
      back();
    } else if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCSeconds(0);
      back();
    } else if (!schedule.seconds.has(t.getUTCSeconds())) {
      back();
    } else {
      return t;
    }
  }
  return undefined;
}

/**
 * Whether the host would keep this timer's schedule status in storage: `useMonitor` defaults to true
 * only for schedules whose occurrences are at least a minute apart.
 */
export function monitorsSchedule(schedule: CronSchedule, from: Date): boolean {
  const first = nextOccurrence(schedule, from);
  const second = first && nextOccurrence(schedule, first);
  return first !== undefined && second !== undefined && second.getTime() - first.getTime() >= 60_000;
}
