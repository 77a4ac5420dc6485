/** Times as an e-mail writes them: in one IANA zone, each with its zone's abbreviation or UTC offset. */
export interface ZonedClock {
  /** The zone's IANA name, as Intl resolves it (`Europe/Berlin`, `UTC`). */
  readonly zone: string;
  /** `14:05 CET`. */
  time(date: Date): string;
  /** `14:05:01 CET`. */
  seconds(date: Date): string;
  /** `2024-03-05 14:05 CET`. */
  dateTime(date: Date): string;
  /** `2024-03-05`, the local day. */
  day(date: Date): string;
  /**
   * A range: `2024-03-05 14:05–14:06 CET`; across midnight `2024-03-05 23:59 CET – 2024-03-06 00:01 CET`;
   * across a DST change `2024-03-31 01:59 CET – 03:01 CEST`. `time unknown` when neither end is a date.
   */
  range(first: Date, last: Date, withDate?: boolean): string;
}

interface Parts {
  readonly day: string;
  readonly clock: string;
  readonly seconds: string;
  readonly zone: string;
}

/**
 * The clock of one e-mail. The zone name is checked where the setting is read (ALERT_TIME_ZONE); an
 * unknown one here falls back to UTC rather than failing a send.
 *
 * NOTE: a zone is written with an abbreviation only where CLDR has an alphabetic one (CET, CEST, EDT,
 * BST); elsewhere, as the UTC offset (`UTC+5:30`), which Intl computes from the tz database and so
 * stays right across DST changes. Either way two instants of a repeated hour (the autumn change) read
 * differently: `02:30 CEST`, then `02:30 CET`.
 */
export function zonedClock(timeZone: string): ZonedClock {
  const zone = resolveZone(timeZone);
  const numeric = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const names = ['en-GB', 'en-US'].map(
    (locale) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }),
  );
  const offsets = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });

  const partsOf = (date: Date): Parts | undefined => {
    if (Number.isNaN(date.getTime())) return undefined;
    const p = Object.fromEntries(numeric.formatToParts(date).map((part) => [part.type, part.value]));
    const clock = `${p.hour}:${p.minute}`;
    return { day: `${p.year}-${p.month}-${p.day}`, clock, seconds: `${clock}:${p.second}`, zone: zoneName(date) };
  };
  const zoneName = (date: Date): string => {
    if (zone === 'UTC') return 'UTC';
    for (const format of names) {
      const name = format.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
      if (/^[A-Z]{2,5}$/.test(name)) return name;
    }
    const offset = offsets.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    return offsetLabel(offset);
  };

  return {
    zone,
    time: (date) => written(partsOf(date), (p) => `${p.clock} ${p.zone}`),
    seconds: (date) => written(partsOf(date), (p) => `${p.seconds} ${p.zone}`),
    dateTime: (date) => written(partsOf(date), (p) => `${p.day} ${p.clock} ${p.zone}`),
    day: (date) => written(partsOf(date), (p) => p.day),
    range: (first, last, withDate = true) => {
      const a = partsOf(first);
      const b = partsOf(last);
      if (a === undefined && b === undefined) return 'time unknown';
      if (a === undefined || b === undefined) {
        const known = (a ?? b) as Parts;
        return `${withDate ? `${known.day} ` : ''}${known.clock} ${known.zone}`;
      }
      const day = withDate ? `${a.day} ` : '';
      if (a.day === b.day && a.zone === b.zone) return `${day}${a.clock}–${b.clock} ${a.zone}`;
      if (a.day === b.day) return `${day}${a.clock} ${a.zone} – ${b.clock} ${b.zone}`;
      if (!withDate && a.zone === b.zone) return `${a.day} ${a.clock} – ${b.day} ${b.clock} ${a.zone}`;
      return `${a.day} ${a.clock} ${a.zone} – ${b.day} ${b.clock} ${b.zone}`;
    },
  };
}

/** Whether Intl knows the zone: what ALERT_TIME_ZONE is checked with. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function resolveZone(zone: string): string {
  if (!isTimeZone(zone)) return 'UTC';
  // The name as configured (`Asia/Kolkata`, though ICU resolves it to `Asia/Calcutta`); UTC's aliases as UTC.
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT'].includes(resolved) && /^(?:Etc\/)?(?:UTC|GMT|UCT|Zulu)$/i.test(zone)
    ? 'UTC'
    : zone;
}

/** `GMT+05:30` → `UTC+5:30`, `GMT-03:00` → `UTC-3`, `GMT` → `UTC`. */
function offsetLabel(offset: string): string {
  const match = /^GMT([+-])(\d\d):(\d\d)$/.exec(offset);
  if (match === null) return 'UTC';
  const [, sign, hours, minutes] = match;
  return `UTC${sign ?? '+'}${Number(hours)}${minutes === '00' ? '' : `:${minutes}`}`;
}

function written(parts: Parts | undefined, format: (parts: Parts) => string): string {
  return parts === undefined ? 'time unknown' : format(parts);
}
