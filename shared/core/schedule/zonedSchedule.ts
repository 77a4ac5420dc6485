import { type CronSchedule, nextOccurrence, previousOccurrence } from './ncrontab';
import { instantOfWallTime, wallTimeOf, zoneOffset } from './zonedTime';

/** One recurring quiet time, as instants (epoch ms): from `start` until just before `end`. */
export interface QuietTime {
  readonly start: number;
  readonly end: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The quiet time holding `now`, if any. Each occurrence of `schedule`, read on the zone's wall clock,
 * starts one that lasts `minutes` of that wall clock: `0 0 22 * * *` with 600 minutes is 22:00–08:00
 * local every night, the nights the clocks change included (then it lasts 9 or 11 hours). A start or
 * end the clocks skip or pass twice is read as `instantOfWallTime` says.
 *
 * Later wall times never map to earlier instants, so the latest start by `now` is the only candidate:
 * a quiet time that began earlier ends no later. One lookup, whatever the schedule.
 */
export function quietTimeAt(schedule: CronSchedule, minutes: number, zone: string, now: number): QuietTime | undefined {
  const start = previousOccurrence(schedule, new Date(lastWallTimeBy(now, zone)))?.getTime();
  if (start === undefined) return undefined;
  const quiet = { start: instantOfWallTime(start, zone), end: instantOfWallTime(start + minutes * MINUTE_MS, zone) };
  return now < quiet.end ? quiet : undefined;
}

/** The first quiet time starting after `after`: what `rules show` announces. */
export function nextQuietTime(
  schedule: CronSchedule,
  minutes: number,
  zone: string,
  after: number,
): QuietTime | undefined {
  const start = nextOccurrence(schedule, new Date(lastWallTimeBy(after, zone)))?.getTime();
  return start === undefined
    ? undefined
    : { start: instantOfWallTime(start, zone), end: instantOfWallTime(start + minutes * MINUTE_MS, zone) };
}

/**
 * The latest wall time (to the second) whose instant is at or before `now`: the wall clock now, except
 * in the second pass of a repeated hour, when the rest of that hour was already shown once.
 */
function lastWallTimeBy(now: number, zone: string): number {
  const wall = Math.floor(wallTimeOf(now, zone) / 1000) * 1000;
  const ahead = zoneOffset(now - DAY_MS, zone) - zoneOffset(now, zone);
  if (ahead <= 0 || instantOfWallTime(wall + 1000, zone) > now) return wall;
  let lo = wall;
  let hi = wall + ahead;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (instantOfWallTime(mid, zone) <= now) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** `22:00` on the zone's clock, with the date when it is not `now`'s day there: for messages. */
export function formatWallTime(instant: number, zone: string, now: number): string {
  const wall = new Date(wallTimeOf(instant, zone)).toISOString();
  const today = new Date(wallTimeOf(now, zone)).toISOString().slice(0, 10);
  const clock = wall.slice(11, 16);
  return `${wall.slice(0, 10) === today ? clock : `${wall.slice(0, 10)} ${clock}`} ${zone}`;
}
