/**
 * Which time fields a row carries: Continuous Export rows `context.data.eventTime` (web tests also
 * `availability[i].testTimestamp`, read when the event time is missing); diagnostic-settings and
 * data-export rows `TimeGenerated` and `time` at the top. These are the fields the readers take a
 * record's `timestamp` from (records/context.ts, records/availability.ts, workspaceRowToRecords.ts).
 */
export type RowTimeLayout = 'continuousExport' | 'workspace';

/** One line after shifting: the same bytes with the times moved, or, when its time cannot be read, unchanged. */
export interface ShiftedRow {
  readonly line: Buffer;
  /** False when the row's time could not be read (not JSON, no time, not a date, a default date). */
  readonly shifted: boolean;
}

/** `yyyy-MM-ddTHH:mm` followed by seconds, an optional fraction and `Z` or an offset. */
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:\d{2}))$/;

/**
 * Moves a row's event times by `offsetMs`, a whole number of minutes (the distance its folder moved),
 * leaving every other byte as it was: only the `yyyy-MM-ddTHH:mm` part of each value is rewritten, so
 * seconds, the 7-digit fraction and the zone stay, and the line keeps its length. A row whose time the
 * reader would not read (it is no JSON object, has no time, or holds a default date like
 * `0001-01-01T00:00:00Z`) comes back unchanged, marked unshifted.
 * @param line - one line's bytes, without its line break (a trailing `\r` may stay)
 */
export function shiftRowTimes(line: Buffer, offsetMs: number, layout: RowTimeLayout): ShiftedRow {
  const unchanged = { line, shifted: false };
  if (!Number.isSafeInteger(offsetMs / 60_000)) throw new RangeError(`offset ${offsetMs} ms is no whole minute`);
  let document: unknown;
  try {
    document = JSON.parse(line.toString('utf8'));
  } catch {
    // Not JSON: the reader reports the row malformed; it travels as it is.
    return unchanged;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return unchanged;
  const { primary, others } = timeFields(document as Record<string, unknown>, layout);
  if (primary === undefined || shiftTime(primary.value, offsetMs) === undefined) return unchanged;
  if (offsetMs === 0) return { line, shifted: true };

  // NOTE: latin1 maps each byte to one character, so positions found in the text are byte offsets and
  // the multi-byte characters elsewhere in the row are never decoded and re-encoded.
  const text = line.toString('latin1');
  const out = Buffer.from(line);
  let primaryFound = false;
  for (const field of [primary, ...others]) {
    const shifted = shiftTime(field.value, offsetMs);
    if (shifted === undefined) continue;
    const pattern = new RegExp(`"${field.key}"\\s*:\\s*"${escapeRegExp(field.value)}"`, 'g');
    for (const match of text.matchAll(pattern)) {
      out.write(shifted, (match.index ?? 0) + match[0].length - 1 - field.value.length, 'latin1');
      if (field === primary) primaryFound = true;
    }
  }
  // A key spelled with escapes (`"event\u0054ime"`) is found by JSON.parse but not in the text.
  return primaryFound ? { line: out, shifted: true } : unchanged;
}

interface TimeField {
  readonly key: string;
  readonly value: string;
}

/** The time the reader takes the record's timestamp from, and the other time fields of the row. */
function timeFields(
  document: Record<string, unknown>,
  layout: RowTimeLayout,
): { primary: TimeField | undefined; others: TimeField[] } {
  if (layout === 'workspace') {
    const fields = (['TimeGenerated', 'time'] as const).flatMap((key) => {
      const value = document[key];
      return typeof value === 'string' ? [{ key, value }] : [];
    });
    // The reader takes TimeGenerated when the row has one, whatever its value.
    const primaryKey = document['TimeGenerated'] !== undefined ? 'TimeGenerated' : 'time';
    return { primary: fields.find((f) => f.key === primaryKey), others: fields.filter((f) => f.key !== primaryKey) };
  }
  const context = asObject(document['context']);
  const eventTime = asObject(context?.['data'])?.['eventTime'];
  const testTimestamps: TimeField[] = [];
  for (const items of Object.values(document)) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const value = asObject(item)?.['testTimestamp'];
      if (typeof value === 'string') testTimestamps.push({ key: 'testTimestamp', value });
    }
  }
  if (typeof eventTime === 'string') return { primary: { key: 'eventTime', value: eventTime }, others: testTimestamps };
  const [first, ...rest] = testTimestamps;
  return { primary: first, others: rest };
}

/**
 * The `yyyy-MM-ddTHH:mm` that `value` has after moving by `offsetMs`; undefined when `value` is no
 * date-time, names no real day, or lies (or would land) outside years 1000–9999, where its width
 * would change. A year below 1000 is a default date, which stands for "no time".
 */
export function shiftTime(value: string, offsetMs: number): string | undefined {
  const match = TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59) return undefined;
  const from = new Date(Date.UTC(2000, month - 1, day, hour, minute));
  from.setUTCFullYear(year);
  if (from.getUTCMonth() !== month - 1 || from.getUTCDate() !== day || year < 1000) return undefined;
  const to = new Date(from.getTime() + offsetMs);
  if (to.getUTCFullYear() < 1000 || to.getUTCFullYear() > 9999) return undefined;
  return to.toISOString().slice(0, 16);
}

/** `+621d 5h`, `-40d`, `+5m`: how far times moved, for the lines replay prints. */
export function formatShift(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  const parts = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ] as const;
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
  return `${offsetMs < 0 ? '-' : '+'}${text || '0m'}`;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
