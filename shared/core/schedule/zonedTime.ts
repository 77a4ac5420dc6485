/**
 * Wall-clock time in an IANA time zone, through `Intl` alone: pure, whatever zone the process runs in.
 * A wall time travels as "naive" epoch ms, a number whose UTC fields are the zone's wall-clock fields
 * (13:05 in Berlin is `Date.UTC(…, 13, 5)`), so the UTC-field arithmetic of ncrontab.ts applies to it.
 */

const DAY_MS = 86_400_000;

/**
 * Formatters by zone. NOTE: building one costs tens of microseconds, reading with one a few; a process
 * sees a handful of zones (one per rule at most), and the cap keeps a stream of odd names from growing it.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * The zone's wall-clock time at `instant`, as naive epoch ms.
 * @throws RangeError when `zone` is not a time zone (rules are validated before they get here)
 */
export function wallTimeOf(instant: number, zone: string): number {
  const ms = ((instant % 1000) + 1000) % 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(instant - ms)) fields[part.type] = Number(part.value);
  const field = (name: string): number => fields[name] ?? 0;
  return (
    Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second')) + ms
  );
}

/** How far the zone's clock is ahead of UTC at `instant`, ms (Berlin in summer: 7,200,000). */
export function zoneOffset(instant: number, zone: string): number {
  return wallTimeOf(instant, zone) - instant;
}

/**
 * The instant a wall-clock time names in the zone. A time the clocks pass twice (fall back) is the first
 * of the two; a time they skip (spring forward, 02:30 in Berlin on the last Sunday of March) is the
 * moment they skip it (03:00 CEST), as cron daemons run a job of the skipped hour. So later wall times
 * never map to earlier instants, and a quiet time from 02:30 to 03:30 that night lasts 03:00–03:30.
 * NOTE: assumes at most one offset change within a day either side, as every zone since 1970 has.
 */
export function instantOfWallTime(wall: number, zone: string): number {
  const before = zoneOffset(wall - DAY_MS, zone);
  const after = zoneOffset(wall + DAY_MS, zone);
  const earlier = Math.min(wall - before, wall - after);
  const later = Math.max(wall - before, wall - after);
  if (wallTimeOf(earlier, zone) === wall) return earlier;
  if (wallTimeOf(later, zone) === wall) return later;
  // In the gap: the change happened in (wall - after, wall - before]; find its second.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (zoneOffset(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}
