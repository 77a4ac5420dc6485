import { parseDatetime, parseInteger, parseReal, parseTimespan } from '../../../shared/core/rules/kqlLiterals';

describe('parseTimespan', () => {
  it.each([
    ['1.5s', 1500],
    ['5m', 300_000],
    ['5min', 300_000],
    ['100ms', 100],
    ['1d', 86_400_000],
    ['2h', 7_200_000],
    ['3hours', 10_800_000],
    ['1tick', 0.0001],
    ['2 min', 120_000],
    ['.5s', 500],
    ['00:00:02', 2000],
    ['1.02:03:04.5', 93_784_500],
    ['-00:01:00', -60_000],
    ['02:30', 9_000_000],
    ['2', 172_800_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseTimespan(text)).toBeCloseTo(ms, 6);
  });

  it('reads null as null', () => {
    expect(parseTimespan('null')).toBeNull();
  });

  it.each(['5 fortnights', '25:00:00', '00:60', 'abc', ''])('cannot read %j', (text) => {
    expect(parseTimespan(text)).toBeUndefined();
  });
});

describe('parseDatetime', () => {
  it.each([
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['2024-03-05 13:00', '2024-03-05T13:00:00.000Z'],
    ['2024-03-05T13:00:00Z', '2024-03-05T13:00:00.000Z'],
    ['2024-03-05T13:00:00.9999999Z', '2024-03-05T13:00:00.999Z'],
    ['2024-03-05T13:00:00-0500', '2024-03-05T18:00:00.000Z'],
    ['0024-03-05', '0024-03-05T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseDatetime(text) ?? NaN).toISOString()).toBe(iso);
  });

  it.each(['2024-13-05', '2024-02-30', '2024-03-05 13:60', 'Tue, 5 Mar 2024 13:00:00 GMT', 'now'])(
    'cannot read %j',
    (text) => {
      expect(parseDatetime(text)).toBeUndefined();
    },
  );
});

describe('parseInteger and parseReal', () => {
  it('reads decimal and hexadecimal integers', () => {
    expect([parseInteger('500'), parseInteger('-3'), parseInteger('0x1F'), parseInteger('null')]).toEqual([
      500,
      -3,
      31,
      null,
    ]);
  });

  it('reads reals, including the special values', () => {
    expect([parseReal('2.5'), parseReal('1e3'), parseReal('+inf'), parseReal('null'), parseReal('x')]).toEqual([
      2.5,
      1000,
      Infinity,
      null,
      undefined,
    ]);
    expect(parseReal('nan')).toBeNaN();
  });
});
