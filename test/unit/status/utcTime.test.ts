import { formatAge, formatUtc, formatUtcMinute } from '../../../shared/core/status/utcTime';

const T0 = Date.UTC(2024, 2, 5, 14, 5, 7);

describe('times on the command line', () => {
  it('writes a time in UTC with the zone', () => {
    expect(formatUtc(T0)).toBe('2024-03-05 14:05:07 UTC');
  });

  it.each([
    [T0 + 30 * 60_000, '14:35 UTC'],
    [T0 + 10 * 60 * 60_000, '2024-03-06 00:05 UTC'],
    [Number.NaN, 'unknown time'],
  ])('writes %d as %s when it is 2024-03-05 14:05 UTC', (ms, expected) => {
    expect(formatUtcMinute(ms, T0)).toBe(expected);
  });

  it.each([
    [0, 'just now'],
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [60 * 60_000, '1 h'],
    [(3 * 60 + 5) * 60_000, '3 h 5 min'],
    [48 * 60 * 60_000, '2 d'],
    [(52 * 60 + 30) * 60_000, '2 d 4 h'],
    [-5_000, 'in the future'],
  ])('writes an age of %d ms as %s', (age, expected) => {
    expect(formatAge(T0 - age, T0)).toBe(expected);
  });
});
