import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';

import { formatShift, shiftRowTimes, shiftTime } from '../../../cli/shiftRowTimes';
import { timeShiftingStream } from '../../../cli/timeShiftingStream';

// Issue 14 §7: replay --date moves rows' event times with their folder, and nothing else.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const shift = (text: string, offsetMs: number, layout: 'continuousExport' | 'workspace' = 'continuousExport') => {
  const row = shiftRowTimes(Buffer.from(text), offsetMs, layout);
  return { text: row.line.toString('utf8'), shifted: row.shifted };
};

describe('shiftTime', () => {
  it.each([
    ['2024-03-05T12:59:58.1234567Z', HOUR, '2024-03-05T13:59'],
    ['2024-03-05T23:10:00Z', HOUR, '2024-03-06T00:10'],
    ['2024-02-28T23:00:00.5Z', DAY, '2024-02-29T23:00'],
    ['2024-12-31T23:59:59.9999999Z', 5 * 60_000, '2025-01-01T00:04'],
    ['2024-03-05T13:00:00+02:00', -40 * DAY, '2024-01-25T13:00'],
  ])('moves %s by %i ms to %s', (value, offsetMs, expected) => {
    expect(shiftTime(value, offsetMs)).toBe(expected);
  });

  it.each([
    ['not a date', 'yesterday'],
    ['a day that does not exist', '2023-02-29T10:00:00Z'],
    ['an hour past 23', '2024-03-05T24:00:00Z'],
    ['a default date', '0001-01-01T00:00:00Z'],
    ['a date without a zone', '2024-03-05T13:00:00'],
    ['a date only', '2024-03-05'],
  ])('reads %s (%s) as no time', (_, value) => {
    expect(shiftTime(value, HOUR)).toBeUndefined();
  });

  it('leaves a time that would leave years 1000-9999, where its width would change', () => {
    expect(shiftTime('9999-12-31T23:00:00Z', DAY)).toBeUndefined();
  });
});

describe('shiftRowTimes', () => {
  it('moves a Continuous Export row’s eventTime and leaves every other byte, multi-byte text included', () => {
    // Arrange
    const row =
      '{"request":[{"name":"GET /Café","durationMetric":{"value":1.0}}],' +
      '"context":{"data":{"eventTime":"2024-03-05T12:59:58.1234567Z","samplingRate":100.0},"location":{"city":"東京都"}}}';

    // Act
    const result = shift(row, 2 * DAY + HOUR);

    // Assert
    expect(result).toEqual({ shifted: true, text: row.replace('2024-03-05T12:59', '2024-03-07T13:59') });
  });

  it('moves a web test’s testTimestamp with its eventTime', () => {
    const row =
      '{"availability":[{"testName":"home","testTimestamp":"2024-03-05T12:59:58Z"}],' +
      '"context":{"data":{"eventTime":"2024-03-05T12:59:58Z"}}}';
    expect(shift(row, HOUR).text).toBe(row.replace(/2024-03-05T12:59/g, '2024-03-05T13:59'));
  });

  it('moves a web test’s testTimestamp when the row has no eventTime, as the reader then reads it', () => {
    const row = '{"availability":[{"testTimestamp":"2024-03-05T12:59:58Z"}],"context":{"data":{}}}';
    expect(shift(row, HOUR)).toEqual({ shifted: true, text: row.replace('12:59', '13:59') });
  });

  it.each([
    ['diagnostic settings', '{"time":"2024-03-05T12:59:58.1230000Z","Type":"AppRequests","Name":"GET /"}'],
    ['data export', '{"TenantId":"t","TimeGenerated":"2024-03-05T12:59:58.123Z","Type":"AppRequests"}'],
    ['spaced JSON', '{ "TimeGenerated" : "2024-03-05T12:59:58Z", "time": "2024-03-05T12:59:58Z" }'],
  ])('moves a %s row’s time', (_, row) => {
    expect(shift(row, -HOUR, 'workspace')).toEqual({ shifted: true, text: row.replace(/12:59/g, '11:59') });
  });

  it('leaves a custom dimension named like a time field alone when it holds another value', () => {
    const row =
      '{"context":{"data":{"eventTime":"2024-03-05T12:00:00Z"},"custom":{"dimensions":[{"eventTime":"2020-01-01T00:00:00Z"}]}}}';
    expect(shift(row, HOUR).text).toBe(row.replace('2024-03-05T12:00', '2024-03-05T13:00'));
  });

  it.each([
    ['not JSON', '{"context":{"data":{"eventTime":"2024-03-05T12:00:00Z"}', 'continuousExport'],
    ['no time', '{"request":[{"name":"GET /"}],"context":{"data":{}}}', 'continuousExport'],
    ['a time that is no date', '{"context":{"data":{"eventTime":"soon"}}}', 'continuousExport'],
    ['a default date', '{"context":{"data":{"eventTime":"0001-01-01T00:00:00Z"}}}', 'continuousExport'],
    ['a JSON array', '["2024-03-05T12:00:00Z"]', 'continuousExport'],
    ['a TimeGenerated the reader refuses', '{"TimeGenerated":5,"time":"2024-03-05T12:00:00Z"}', 'workspace'],
    ['an escaped key', '{"Time\\u0047enerated":"2024-03-05T12:00:00Z"}', 'workspace'],
  ] as const)('returns a row with %s unchanged and unshifted', (_, row, layout) => {
    expect(shift(row, HOUR, layout)).toEqual({ shifted: false, text: row });
  });

  it('refuses an offset that is no whole minute: a folder moves by hours or five minutes', () => {
    expect(() => shiftRowTimes(Buffer.from('{}'), 1_500, 'workspace')).toThrow(RangeError);
  });
});

describe('timeShiftingStream', () => {
  it('moves every row’s times across chunk boundaries, keeps the line breaks and counts rows it could not read', async () => {
    // Arrange: three rows (one without a time), CRLF and a blank line, fed a few bytes at a time
    const text =
      '{"context":{"data":{"eventTime":"2024-03-05T12:00:00Z"}},"city":"Zürich"}\r\n' +
      '\n' +
      '{"context":{"data":{}}}\n' +
      '{"context":{"data":{"eventTime":"2024-03-05T12:30:00.5Z"}}}';
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const stream = timeShiftingStream(DAY, 'continuousExport');

    // Act
    const out = await buffer(Readable.from(chunks).pipe(stream));

    // Assert
    expect(out.toString('utf8')).toBe(text.replace(/2024-03-05T12/g, '2024-03-06T12'));
    expect(out.length).toBe(bytes.length);
    expect(stream.counts).toEqual({ shifted: 2, unread: 1 });
  });

  it('passes a line longer than its limit unchanged, and counts it', async () => {
    // Arrange
    const long = `{"context":{"data":{"eventTime":"2024-03-05T12:00:00Z"}},"pad":"${'x'.repeat(100)}"}`;
    const short = '{"context":{"data":{"eventTime":"2024-03-05T12:00:00Z"}}}';
    const stream = timeShiftingStream(HOUR, 'continuousExport', 64);

    // Act
    const out = await buffer(Readable.from([Buffer.from(`${long}\n${short}\n`)]).pipe(stream));

    // Assert
    expect(out.toString('utf8')).toBe(`${long}\n${short.replace('12:00', '13:00')}\n`);
    expect(stream.counts).toEqual({ shifted: 1, unread: 1 });
  });
});

describe('formatShift', () => {
  it.each([
    [HOUR, '+1h'],
    [-40 * DAY, '-40d'],
    [621 * DAY + 5 * HOUR, '+621d 5h'],
    [5 * 60_000, '+5m'],
    [0, '+0m'],
  ])('writes %i ms as %s', (ms, expected) => {
    expect(formatShift(ms)).toBe(expected);
  });
});
