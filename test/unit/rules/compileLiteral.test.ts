import { compileQuery } from '../../../shared/core/rules/compileQuery';
import { parseKustoDatetime, withSubMillisecondTicks } from '../../../shared/core/rules/kqlDatetime';
import { keeps, record } from './ruleHelpers';

/** A record's `Date` for ISO text, carrying the ticks past the millisecond the text has. */
function instantAt(iso: string): Date {
  const instant = parseKustoDatetime(iso);
  if (!instant) throw new Error(`not a datetime: ${iso}`);
  return withSubMillisecondTicks(new Date(instant.ms), instant.subMsTicks);
}

describe('string literals', () => {
  it.each([
    ['a double-quoted string', 'name == "checkout"', 'checkout'],
    ['a single-quoted string', "name == 'checkout'", 'checkout'],
    ['escaped quotes', 'name == \'it\\\'s\' or name == "say \\"hi\\""', "it's"],
    ['escaped backslash, tab and newline', 'name == "a\\\\b\\tc\\nd"', 'a\\b\tc\nd'],
    ['a unicode escape', 'name == "caf\\u00e9"', 'café'],
    ['a verbatim string, backslashes kept', 'name == @"C:\\temp\\new"', 'C:\\temp\\new'],
    ['a verbatim string with a doubled quote', 'name == @"say ""hi"""', 'say "hi"'],
    ['a single-quoted verbatim string', "name == @'it''s'", "it's"],
    ['an obfuscated string', 'name == h"secret"', 'secret'],
    ['adjacent strings, joined', 'name == "check" "out"', 'checkout'],
  ])('reads %s', (_what, condition, value) => {
    expect(keeps(`requests | where ${condition}`, record({ name: value }))).toBe(true);
    expect(keeps(`requests | where ${condition}`, record({ name: `${value}!` }))).toBe(false);
  });
});

describe('timespan and datetime literals', () => {
  it.each([
    ['1.5s', 1500],
    ['5m', 300_000],
    ['100ms', 100],
    ['1d', 86_400_000],
    ['2h', 7_200_000],
    ['10microseconds', 0.01],
    ['time(00:00:02)', 2000],
    ['time(1.02:03:04.5)', 93_784_500],
    ['time(2)', 172_800_000],
    ['timespan(2 min)', 120_000],
  ])('compares duration with %s as %d ms', (literal, ms) => {
    expect(keeps(`requests | where duration == ${literal}`, record({ duration: ms }))).toBe(true);
  });

  it.each([
    ['datetime(2024-03-05 13:00)', '2024-03-05T13:00:00Z'],
    ['datetime(2024-03-05T13:00:00Z)', '2024-03-05T13:00:00Z'],
    ['datetime(2024-03-05)', '2024-03-05T00:00:00Z'],
    ['datetime(2024-03-05T13:00:00.1234567Z)', '2024-03-05T13:00:00.1234567Z'],
    ['datetime(2024-03-05T14:30:00+01:30)', '2024-03-05T13:00:00Z'],
    ['datetime(2024-02-29)', '2024-02-29T00:00:00Z'],
  ])('reads %s as %s', (literal, iso) => {
    expect(keeps(`requests | where timestamp == ${literal}`, record({ timestamp: instantAt(iso) }))).toBe(true);
  });

  it.each([
    ['a month out of range', 'datetime(2024-13-05)', 30],
    ['a day February lacks', 'datetime(2023-02-29)', 30],
    ['an hour out of range', 'datetime(2024-03-05 24:00)', 30],
  ])('rejects %s, which the parser lets through as year 1', (_what, literal, column) => {
    expect(compileQuery(`requests | where timestamp > ${literal}`)).toEqual({
      ok: false,
      error: [
        {
          line: 1,
          column,
          length: literal.length,
          text: literal,
          message: `cannot read datetime literal ${literal}: write an ISO 8601 time such as datetime(2024-03-05T13:00:00Z)`,
          code: 'RULE_BAD_LITERAL',
        },
      ],
    });
  });

  it('treats datetime(null) as null: no record is later than it', () => {
    expect(keeps('requests | where timestamp > datetime(null)', record({ timestamp: new Date() }))).toBe(false);
  });
});
