import { parseKustoDatetime, withSubMillisecondTicks } from '../../../shared/core/rules/kqlDatetime';
import { dimensions, keeps, problemsOf, record } from './ruleHelpers';

/** ISO text with seven fraction digits for an instant, to compare with what the parser read. */
function iso7(text: string): string | undefined {
  const instant = parseKustoDatetime(text);
  if (!instant) return undefined;
  return `${new Date(instant.ms).toISOString().slice(0, -1)}${String(instant.subMsTicks).padStart(4, '0')}Z`;
}

describe('the formats of the datetime data type', () => {
  // Every example of "Supported formats" at https://learn.microsoft.com/kusto/query/scalar-data-types/datetime
  it.each([
    // ISO 8601
    ['2014-05-25T08:20:03.123456Z', '2014-05-25T08:20:03.1234560Z'],
    ['2014-05-25T08:20:03.123456', '2014-05-25T08:20:03.1234560Z'],
    ['2014-05-25T08:20', '2014-05-25T08:20:00.0000000Z'],
    ['2014-11-08 15:55:55.123456Z', '2014-11-08T15:55:55.1234560Z'],
    ['2014-11-08 15:55:55', '2014-11-08T15:55:55.0000000Z'],
    ['2014-11-08 15:55', '2014-11-08T15:55:00.0000000Z'],
    ['2014-11-08', '2014-11-08T00:00:00.0000000Z'],
    // RFC 822
    ['Sat, 8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
    ['Sat, 8 Nov 14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
    ['Sat, 8 Nov 14 15:05', '2014-11-08T15:05:00.0000000Z'],
    ['Sat, 8 Nov 14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
    ['8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
    ['8 Nov 14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
    ['8 Nov 14 15:05', '2014-11-08T15:05:00.0000000Z'],
    ['8 Nov 14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
    // RFC 850
    ['Saturday, 08-Nov-14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
    ['Saturday, 08-Nov-14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
    ['Saturday, 08-Nov-14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
    ['Saturday, 08-Nov-14 15:05', '2014-11-08T15:05:00.0000000Z'],
    ['08-Nov-14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
    ['08-Nov-14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
    ['08-Nov-14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
    ['08-Nov-14 15:05', '2014-11-08T15:05:00.0000000Z'],
    // Sortable
    ['2014-11-08 15:05:25', '2014-11-08T15:05:25.0000000Z'],
    ['2014-11-08 15:05:25 GMT', '2014-11-08T15:05:25.0000000Z'],
    ['2014-11-08 15:05', '2014-11-08T15:05:00.0000000Z'],
    ['2014-11-08 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
    ['2014-11-08T15:05:25', '2014-11-08T15:05:25.0000000Z'],
    ['2014-11-08T15:05:25 GMT', '2014-11-08T15:05:25.0000000Z'],
    ['2014-11-08T15:05', '2014-11-08T15:05:00.0000000Z'],
    ['2014-11-08T15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
    // The literal syntax table's example, and the todatetime() example
    // (https://learn.microsoft.com/kusto/query/todatetime-function), read month first.
    ['2015-12-31 23:59:59.9', '2015-12-31T23:59:59.9000000Z'],
    ['12-02-2022', '2022-12-02T00:00:00.0000000Z'],
  ])('reads %j', (text, expected) => {
    expect(iso7(text)).toBe(expected);
  });

  it.each([
    ['seven fraction digits, to the tick', '2024-03-05T13:05:00.1234567Z', '2024-03-05T13:05:00.1234567Z'],
    ['an offset', '2024-03-05T14:35:00.5+01:30', '2024-03-05T13:05:00.5000000Z'],
    ['an RFC 822 zone', 'Tue, 5 Mar 24 08:05 EST', '2024-03-05T13:05:00.0000000Z'],
    ['a year before 100', '0024-03-05', '0024-03-05T00:00:00.0000000Z'],
    ['a time before 1970, to the tick', '1969-12-31T23:59:59.9999999Z', '1969-12-31T23:59:59.9999999Z'],
  ])('reads %s', (_what, text, expected) => {
    expect(iso7(text)).toBe(expected);
  });

  it.each([
    ['a month out of range', '2024-13-05'],
    ['a day February lacks', '2023-02-29'],
    ['an hour out of range', '2024-03-05 24:00'],
    ['a day name that is not the date’s', 'Fri, 8 Nov 14 15:05:02 GMT'],
    ['a four-digit RFC 822 year, which the docs do not list', 'Sat, 8 Nov 2014 15:05:02 GMT'],
    ['an unknown zone', '2014-11-08 15:05 XYZ'],
    ['eight fraction digits', '2024-03-05T13:05:00.12345678Z'],
    ['a word', 'yesterday'],
    ['nothing', ''],
  ])('does not read %s', (_what, text) => {
    expect(parseKustoDatetime(text)).toBeUndefined();
  });
});

describe('datetime() literals and todatetime() in rules', () => {
  it.each([
    ["datetime('12-02-2022')", "todatetime('12-02-2022')"],
    ['datetime(Sat, 8 Nov 14 15:05:02 GMT)', "todatetime('2014-11-08T15:05:02Z')"],
    ['datetime(Saturday, 08-Nov-14 15:05:02 GMT)', "todatetime('Sat, 8 Nov 14 15:05:02 GMT')"],
    ['datetime(2014-11-08 15:05:25 GMT)', "todatetime('2014-11-08T15:05:25Z')"],
  ])('%s == %s, as the todatetime() docs show', (literal, call) => {
    expect(keeps(`requests | where ${call} == ${literal}`, record())).toBe(true);
  });

  it('reports a constant todatetime() argument that does not convert, with its place', () => {
    expect(problemsOf("requests | where timestamp > todatetime('last tuesday')")).toEqual([
      "line 1, col 41: todatetime() cannot convert 'last tuesday' to a datetime: write an ISO 8601 time such as '2024-03-05T13:00:00Z'",
    ]);
  });

  it('reports a datetime literal in a form Kusto does not list', () => {
    expect(problemsOf('requests | where timestamp > datetime(Sat, 8 Nov 2014 15:05:02 GMT)')[0]).toMatch(
      /^line 1, col 30: cannot read datetime literal/,
    );
  });

  it('gives null, not an error, for record text that does not convert', () => {
    expect(
      keeps(
        'requests | where isnull(todatetime(customDimensions.at))',
        record({ customDimensions: dimensions({ at: 'soon' }) }),
      ),
    ).toBe(true);
  });
});

describe('datetimes compare at 100 ns ticks', () => {
  const literal = 'datetime(2024-03-05T13:05:00.1234567Z)';
  // A record's text differs from the literal in the 7th fraction digit only.
  const later = '2024-03-05T13:05:00.1234568Z';
  const same = '2024-03-05T13:05:00.1234567Z';
  const asDate = (text: string): Date => {
    const instant = parseKustoDatetime(text);
    if (!instant) throw new Error(text);
    return withSubMillisecondTicks(new Date(instant.ms), instant.subMsTicks);
  };

  it.each([
    ['==', same, true],
    ['==', later, false],
    ['!=', later, true],
    ['>', later, true],
    ['>', same, false],
    ['>=', same, true],
    ['<', later, false],
    ['<=', same, true],
  ])('timestamp %s the literal, for a timestamp of %s', (op, text, expected) => {
    // A Date carrying its ticks, as a record's column; text, as a string column holds it.
    expect(keeps(`requests | where timestamp ${op} ${literal}`, record({ timestamp: asDate(text) }))).toBe(expected);
    expect(keeps(`requests | where timestamp ${op} ${literal}`, record({ timestamp: text }))).toBe(expected);
    const dims = record({ customDimensions: dimensions({ at: text }) });
    expect(keeps(`requests | where todatetime(customDimensions.at) ${op} ${literal}`, dims)).toBe(expected);
    expect(keeps(`requests | where ${literal} ${mirror(op)} todatetime(customDimensions.at)`, dims)).toBe(expected);
  });

  it('treats a Date without ticks as a whole millisecond', () => {
    expect(
      keeps(`requests | where timestamp < ${literal}`, record({ timestamp: new Date('2024-03-05T13:05:00.123Z') })),
    ).toBe(true);
  });

  it.each([
    [`between (${literal} .. datetime(2024-03-05T13:05:00.2Z))`, later, true],
    [`between (datetime(2024-03-05T13:05:00.1234568Z) .. 1d)`, same, false],
    [`between (datetime(2024-03-05T13:05:00.1234566Z) .. 1tick)`, same, true],
    [`between (datetime(2024-03-05T13:05:00.1234565Z) .. 1tick)`, same, false],
    [`!between (${literal} .. ${literal})`, later, true],
  ])('timestamp %s, for %s', (range, text, expected) => {
    expect(keeps(`requests | where timestamp ${range}`, record({ timestamp: asDate(text) }))).toBe(expected);
  });

  it('prints the ticks in tostring()', () => {
    const dims = record({ customDimensions: dimensions({ at: '2024-03-05 13:05:00.1234567' }) });
    expect(
      keeps("requests | where tostring(todatetime(customDimensions.at)) == '2024-03-05T13:05:00.1234567Z'", dims),
    ).toBe(true);
  });
});

function mirror(op: string): string {
  return ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
}
