import { isTimeZone, zonedClock } from '../../../shared/core/mail/zonedTime';

const at = (iso: string) => new Date(iso);

describe('zonedClock', () => {
  it.each([
    ['UTC', '13:05 UTC'],
    ['Europe/Berlin', '14:05 CET'],
    ['Europe/London', '13:05 GMT'],
    ['America/New_York', '08:05 EST'],
    ['Asia/Kolkata', '18:35 UTC+5:30'],
    ['America/Sao_Paulo', '10:05 UTC-3'],
    ['Australia/Sydney', '00:05 UTC+11'],
  ])('writes a time in %s with its abbreviation, else its UTC offset', (zone, expected) => {
    expect(zonedClock(zone).time(at('2024-03-05T13:05:01Z'))).toBe(expected);
  });

  it.each([
    [
      'Europe/Berlin, spring forward',
      'Europe/Berlin',
      '2024-03-31T00:59:00Z',
      '2024-03-31T01:01:00Z',
      '2024-03-31 01:59 CET – 03:01 CEST',
    ],
    [
      'Europe/Berlin, fall back: the repeated hour reads apart',
      'Europe/Berlin',
      '2024-10-27T00:30:00Z',
      '2024-10-27T01:30:00Z',
      '2024-10-27 02:30 CEST – 02:30 CET',
    ],
    [
      'America/New_York, spring forward',
      'America/New_York',
      '2024-03-10T06:59:00Z',
      '2024-03-10T07:01:00Z',
      '2024-03-10 01:59 EST – 03:01 EDT',
    ],
    ['UTC, no change', 'UTC', '2024-03-31T00:59:00Z', '2024-03-31T01:01:00Z', '2024-03-31 00:59–01:01 UTC'],
  ])('names both offsets of a range across a DST change: %s', (_, zone, first, last, expected) => {
    expect(zonedClock(zone).range(at(first), at(last))).toBe(expected);
  });

  it('writes a range within a day once, and across midnight with both dates', () => {
    const clock = zonedClock('Europe/Berlin');

    expect(clock.range(at('2024-03-05T13:05:00Z'), at('2024-03-05T13:06:59Z'))).toBe('2024-03-05 14:05–14:06 CET');
    expect(clock.range(at('2024-03-05T13:05:00Z'), at('2024-03-05T13:06:00Z'), false)).toBe('14:05–14:06 CET');
    expect(clock.range(at('2024-03-05T22:59:00Z'), at('2024-03-05T23:01:00Z'), false)).toBe(
      '2024-03-05 23:59 – 2024-03-06 00:01 CET',
    );
  });

  it('says the time is unknown rather than inventing one', () => {
    const clock = zonedClock('UTC');

    expect(clock.range(at('nope'), at('nope'))).toBe('time unknown');
    expect(clock.time(at('nope'))).toBe('time unknown');
    expect(clock.range(at('nope'), at('2024-03-05T13:05:00Z'))).toBe('2024-03-05 13:05 UTC');
  });

  it('writes seconds, dates and the local day', () => {
    const clock = zonedClock('Europe/Berlin');

    expect(clock.seconds(at('2024-03-05T23:05:01.999Z'))).toBe('00:05:01 CET');
    expect(clock.dateTime(at('2024-03-05T23:05:01Z'))).toBe('2024-03-06 00:05 CET');
    expect(clock.day(at('2024-03-05T23:05:01Z'))).toBe('2024-03-06');
  });

  it.each([
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Mars/Olympus', 'UTC'],
    ['', 'UTC'],
  ])('names the zone %j as %s, an unknown one as UTC', (zone, name) => {
    expect(zonedClock(zone).zone).toBe(name);
  });
});

describe('isTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])('takes %s', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });

  it.each(['', 'Mars/Olympus', 'Europe/Berlin\n', '../etc/passwd', '+01:00', 'CET CEST'])('refuses %j', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });
});
