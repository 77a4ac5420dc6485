import { type CronSchedule, parseNcrontab, previousOccurrence } from '../../../shared/core/schedule/ncrontab';
import { nextQuietTime, quietTimeAt } from '../../../shared/core/schedule/zonedSchedule';
import { instantOfWallTime, wallTimeOf } from '../../../shared/core/schedule/zonedTime';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const at = (text: string) => Date.parse(text);

function schedule(expression: string): CronSchedule {
  const parsed = parseNcrontab(expression);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('instantOfWallTime', () => {
  it.each([
    ['an ordinary winter time in Berlin', 'Europe/Berlin', '2024-01-15T22:00:00Z', '2024-01-15T21:00:00.000Z'],
    ['an ordinary summer time in Berlin', 'Europe/Berlin', '2024-07-15T22:00:00Z', '2024-07-15T20:00:00.000Z'],
    [
      'a time Berlin skips (02:30, spring forward) as the moment it jumps',
      'Europe/Berlin',
      '2024-03-31T02:30:00Z',
      '2024-03-31T01:00:00.000Z',
    ],
    [
      'a time Berlin passes twice (02:30, fall back) as the first',
      'Europe/Berlin',
      '2024-10-27T02:30:00Z',
      '2024-10-27T00:30:00.000Z',
    ],
    [
      'a time New York skips (02:30) as the moment it jumps',
      'America/New_York',
      '2024-03-10T02:30:00Z',
      '2024-03-10T07:00:00.000Z',
    ],
    [
      'a time New York passes twice (01:30) as the first',
      'America/New_York',
      '2024-11-03T01:30:00Z',
      '2024-11-03T05:30:00.000Z',
    ],
    ['UTC', 'UTC', '2024-03-31T02:30:00Z', '2024-03-31T02:30:00.000Z'],
  ])('reads %s', (_case, zone, wall, instant) => {
    expect(iso(instantOfWallTime(at(wall), zone))).toBe(instant);
  });

  it('gives the wall clock back for every minute of a DST night in Berlin', () => {
    // Arrange: every minute from 00:00Z to 03:00Z of the autumn change, the hour 02:00–03:00 twice
    const walls: string[] = [];

    // Act
    for (let t = at('2024-10-27T00:00:00Z'); t < at('2024-10-27T03:00:00Z'); t += 30 * 60_000)
      walls.push(iso(wallTimeOf(t, 'Europe/Berlin'))?.slice(11, 16) ?? '');

    // Assert
    expect(walls).toEqual(['02:00', '02:30', '02:00', '02:30', '03:00', '03:30']);
  });
});

describe('previousOccurrence', () => {
  it.each([
    ['0 0 22 * * Fri', '2024-03-09T10:00:00Z', '2024-03-08T22:00:00.000Z'],
    ['0 0 22 * * Fri', '2024-03-08T22:00:00Z', '2024-03-08T22:00:00.000Z'],
    ['0 */15 * * * *', '2024-03-08T22:14:59Z', '2024-03-08T22:00:00.000Z'],
    ['0 0 0 1 Jan *', '2024-03-08T22:00:00Z', '2024-01-01T00:00:00.000Z'],
    ['0 0 0 29 2 *', '2024-03-08T22:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0 0 0 31 2 *', '2024-03-08T22:00:00Z', undefined],
  ])('finds the last %s at or before %s', (expression, before, expected) => {
    expect(iso(previousOccurrence(schedule(expression), new Date(before))?.getTime())).toBe(expected);
  });
});

describe('quietTimeAt', () => {
  // A nightly quiet time 22:00–08:00 on the rule's wall clock.
  const nightly = schedule('0 0 22 * * *');

  it.each([
    // Berlin, spring forward on 2024-03-31: 22:00 CET (21:00Z) to 08:00 CEST (06:00Z), 9 hours.
    ['Europe/Berlin', '2024-03-30T20:59:59Z', undefined],
    ['Europe/Berlin', '2024-03-30T21:00:00Z', '2024-03-30T21:00:00.000Z – 2024-03-31T06:00:00.000Z'],
    ['Europe/Berlin', '2024-03-31T05:59:59Z', '2024-03-30T21:00:00.000Z – 2024-03-31T06:00:00.000Z'],
    ['Europe/Berlin', '2024-03-31T06:00:00Z', undefined],
    // Berlin, fall back on 2024-10-27: 22:00 CEST (20:00Z) to 08:00 CET (07:00Z), 11 hours.
    ['Europe/Berlin', '2024-10-26T19:59:59Z', undefined],
    ['Europe/Berlin', '2024-10-26T20:00:00Z', '2024-10-26T20:00:00.000Z – 2024-10-27T07:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T06:30:00Z', '2024-10-26T20:00:00.000Z – 2024-10-27T07:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T07:00:00Z', undefined],
    // New York, spring forward on 2024-03-10: 22:00 EST (03:00Z) to 08:00 EDT (12:00Z), 9 hours.
    ['America/New_York', '2024-03-10T02:59:59Z', undefined],
    ['America/New_York', '2024-03-10T03:00:00Z', '2024-03-10T03:00:00.000Z – 2024-03-10T12:00:00.000Z'],
    ['America/New_York', '2024-03-10T11:59:59Z', '2024-03-10T03:00:00.000Z – 2024-03-10T12:00:00.000Z'],
    ['America/New_York', '2024-03-10T12:00:00Z', undefined],
    // New York, fall back on 2024-11-03: 22:00 EDT (02:00Z) to 08:00 EST (13:00Z), 11 hours.
    ['America/New_York', '2024-11-03T01:59:59Z', undefined],
    ['America/New_York', '2024-11-03T02:00:00Z', '2024-11-03T02:00:00.000Z – 2024-11-03T13:00:00.000Z'],
    ['America/New_York', '2024-11-03T12:59:59Z', '2024-11-03T02:00:00.000Z – 2024-11-03T13:00:00.000Z'],
    ['America/New_York', '2024-11-03T13:00:00Z', undefined],
  ])('in %s at %s: %s', (zone, now, expected) => {
    const quiet = quietTimeAt(nightly, 600, zone, at(now));
    expect(quiet === undefined ? undefined : `${iso(quiet.start)} – ${iso(quiet.end)}`).toBe(expected);
  });

  it.each([
    // 02:30–03:30 Berlin on the spring-forward night: only 03:00–03:30 CEST exists.
    [
      '0 30 2 * * *',
      60,
      'Europe/Berlin',
      '2024-03-31T01:10:00Z',
      '2024-03-31T01:00:00.000Z – 2024-03-31T01:30:00.000Z',
    ],
    // 01:30 for 60 minutes in New York on the fall-back night: 01:30 EDT to 02:30 EST, two hours.
    [
      '0 30 1 * * *',
      60,
      'America/New_York',
      '2024-11-03T07:00:00Z',
      '2024-11-03T05:30:00.000Z – 2024-11-03T07:30:00.000Z',
    ],
    // 02:45 for 30 minutes in Berlin on the fall-back night: 02:45 CEST to 03:15 CET, still holding at
    // 02:10 CET, in the second pass of the repeated hour.
    [
      '0 45 2 * * *',
      30,
      'Europe/Berlin',
      '2024-10-27T01:10:00Z',
      '2024-10-27T00:45:00.000Z – 2024-10-27T02:15:00.000Z',
    ],
    // A week-long quiet time from Friday 18:00 Berlin, still holding on Thursday.
    [
      '0 0 18 * * Fri',
      7 * 1440 - 60,
      'Europe/Berlin',
      '2024-03-14T12:00:00Z',
      '2024-03-08T17:00:00.000Z – 2024-03-15T16:00:00.000Z',
    ],
  ])('%s for %i minutes in %s at %s: %s', (expression, minutes, zone, now, expected) => {
    const quiet = quietTimeAt(schedule(expression), minutes, zone, at(now));
    expect(quiet === undefined ? undefined : `${iso(quiet.start)} – ${iso(quiet.end)}`).toBe(expected);
  });

  it('finds the quiet time of a schedule that starts every second', () => {
    // Act: an every-second schedule, one minute long, far from any DST change
    const quiet = quietTimeAt(schedule('* * * * * *'), 1, 'Europe/Berlin', at('2024-06-01T12:00:00.500Z'));

    // Assert
    expect(quiet).toEqual({ start: at('2024-06-01T12:00:00Z'), end: at('2024-06-01T12:01:00Z') });
  });
});

describe('nextQuietTime', () => {
  it.each([
    ['Europe/Berlin', '2024-03-29T12:00:00Z', '2024-03-29T21:00:00.000Z – 2024-03-30T07:00:00.000Z'],
    ['Europe/Berlin', '2024-03-30T12:00:00Z', '2024-03-30T21:00:00.000Z – 2024-03-31T06:00:00.000Z'],
    ['America/New_York', '2024-11-02T12:00:00Z', '2024-11-03T02:00:00.000Z – 2024-11-03T13:00:00.000Z'],
  ])('in %s after %s: %s', (zone, after, expected) => {
    const next = nextQuietTime(schedule('0 0 22 * * *'), 600, zone, at(after));
    expect(next === undefined ? undefined : `${iso(next.start)} – ${iso(next.end)}`).toBe(expected);
  });
});
