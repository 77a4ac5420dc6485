import { healthTimes } from '../../../shared/core/health/healthTimes';
import { formatUtc, formatUtcMinute } from '../../../shared/core/status/utcTime';

const T0 = Date.UTC(2024, 2, 5, 13, 10, 7);
const HOUR = 3_600_000;

describe('healthTimes', () => {
  it.each([
    ['the same time', T0],
    ['the day before', T0 - 20 * HOUR],
  ])('reads in UTC exactly as the command line writes %s', (_, at) => {
    const times = healthTimes();

    expect(times.at(at)).toBe(formatUtc(at));
    expect(times.minute(at, T0)).toBe(formatUtcMinute(at, T0));
    expect(times.zone).toBe('UTC');
  });

  it('writes times in the zone, with the date when the local day differs', () => {
    const times = healthTimes('Europe/Berlin');

    expect(times.at(T0)).toBe('2024-03-05 14:10:07 CET');
    expect(times.minute(T0 - HOUR, T0)).toBe('13:10 CET');
    // 23:30 UTC on the 4th is 00:30 CET on the 5th: the same local day as T0
    expect(times.minute(Date.UTC(2024, 2, 4, 23, 30), T0)).toBe('00:30 CET');
    expect(times.minute(Date.UTC(2024, 2, 4, 22, 30), T0)).toBe('2024-03-04 23:30 CET');
  });

  it('says so when a time is unknown, and falls back to UTC for a zone it does not know', () => {
    expect(healthTimes('Europe/Berlin').at(Number.NaN)).toBe('unknown time');
    expect(healthTimes('Mars/Olympus').zone).toBe('UTC');
  });
});
