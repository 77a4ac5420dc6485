const ZERO = 48;

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Parses the export's UTC timestamp, `yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z`.
 *
 * NOTE: the export trims trailing zeros, so one blob mixes 7 and 6 fractional digits
 * (`…59.9497973Z`, `…59.811811Z`); a `Date` keeps milliseconds, so digits past the third are truncated.
 * Default dates are written as `0001-01-01T00:00:00Z`, a year `Date.UTC` would read as 1901.
 *
 * @returns the instant, or undefined when the text is not in that form or names no real date.
 */
export function parseEventTime(text: string): Date | undefined {
  const length = text.length;
  if (length < 20 || length > 28 || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;

  let millisecond = 0;
  if (length > 20) {
    const fractionDigits = length - 21;
    if (text[19] !== '.' || fractionDigits < 1) return undefined;
    const fraction = digits(text, 20, fractionDigits);
    if (fraction < 0) return undefined;
    millisecond =
      fractionDigits <= 3 ? fraction * 10 ** (3 - fractionDigits) : Math.floor(fraction / 10 ** (fractionDigits - 3));
  }

  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, millisecond));
  date.setUTCFullYear(year, month - 1, day);
  // setUTCFullYear rolls 31 April over into May; a rolled date was not a real one.
  return date.getUTCDate() === day ? date : undefined;
}
