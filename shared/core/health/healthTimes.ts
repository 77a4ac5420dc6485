import { zonedClock } from '../mail/zonedTime';

/** Times as the health e-mails write them: in ALERT_TIME_ZONE, like the alert e-mails, to the second. */
export interface HealthTimes {
  /** The zone's IANA name (`Europe/Berlin`, `UTC`). */
  readonly zone: string;
  /** `2024-03-05 14:10:07 CET`. */
  at(ms: number): string;
  /** `14:05 CET` on the same local day as `now`, else `2024-03-05 14:05 CET`: what a subject says. */
  minute(ms: number, now: number): string;
}

/** In UTC these read exactly as `formatUtc` and `formatUtcMinute` write, as the command line does. */
export function healthTimes(timeZone = 'UTC'): HealthTimes {
  const clock = zonedClock(timeZone);
  const valid = (ms: number) => Number.isFinite(ms);
  return {
    zone: clock.zone,
    at: (ms) => (valid(ms) ? `${clock.day(new Date(ms))} ${clock.seconds(new Date(ms))}` : 'unknown time'),
    minute: (ms, now) => {
      if (!valid(ms)) return 'unknown time';
      const date = new Date(ms);
      return clock.day(date) === clock.day(new Date(now)) ? clock.time(date) : clock.dateTime(date);
    },
  };
}
