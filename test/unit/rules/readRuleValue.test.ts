import { describeRuleValue, readFlag, readText, readWholeNumber } from '../../../shared/core/rules/readRuleValue';

describe('readWholeNumber', () => {
  it.each<[string, unknown]>([
    ['Edm.Int32', 5],
    ['Edm.Int64 as the SDK returns it by default', 5n],
    ['Edm.Int64 with disableTypeConversion', { value: '5', type: 'Int64' }],
    ['Edm.Int32 with disableTypeConversion', { value: '5', type: 'Int32' }],
    ['an integral Edm.Double', 5.0],
    ['an integral Edm.Double with disableTypeConversion', { value: '5.0', type: 'Double' }],
    ['a Double in exponent form', { value: '5e0', type: 'Double' }],
    ['a numeric string', '5'],
    ['a numeric string with spaces', ' 5 '],
    ['a numeric string with a zero fraction', '5.0'],
    ['an Edm.String', { value: ' 5', type: 'String' }],
  ])('reads 5 from %s', (_kind, value) => {
    expect(readWholeNumber(value)).toEqual({ ok: true, value: 5 });
  });

  it('reads the largest safe Int64 exactly', () => {
    expect(readWholeNumber(BigInt(Number.MAX_SAFE_INTEGER))).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
    expect(readWholeNumber({ value: '-3', type: 'Int64' })).toEqual({ ok: true, value: -3 });
  });

  it.each<[unknown]>([[undefined], [null], [''], ['   '], [{ value: '', type: 'String' }]])(
    'treats %j as absent, so the default applies',
    (value) => {
      expect(readWholeNumber(value)).toEqual({ ok: true, value: undefined });
    },
  );

  it.each<[unknown, string]>([
    [5.5, '5.5 (Edm.Double)'],
    [{ value: '5.5', type: 'Double' }, '5.5 (Edm.Double)'],
    [NaN, 'NaN (Edm.Double)'],
    [{ value: 'NaN', type: 'Double' }, 'NaN (Edm.Double)'],
    [Infinity, 'Infinity (Edm.Double)'],
    ['five', "'five'"],
    ['0x1E', "'0x1E'"],
    ['1e3', "'1e3'"],
    ['5.5', "'5.5'"],
    [9007199254740993n, '9007199254740993 (Edm.Int64)'],
    [{ value: '9007199254740993', type: 'Int64' }, '9007199254740993 (Edm.Int64)'],
    [{ value: '5.5', type: 'Int64' }, '5.5 (Edm.Int64)'],
    [true, 'true (Edm.Boolean)'],
    [{ value: 'true', type: 'Boolean' }, 'true (Edm.Boolean)'],
    [{ value: '2024-03-05T00:00:00Z', type: 'DateTime' }, '2024-03-05T00:00:00Z (Edm.DateTime)'],
    [{ n: 5 }, 'an object ({"n":5})'],
    [[5], 'a list ([5])'],
  ])('refuses %p, found %s', (value, found) => {
    expect(readWholeNumber(value)).toEqual({ ok: false, found });
  });
});

describe('readFlag', () => {
  it.each<[unknown, boolean]>([
    [true, true],
    [false, false],
    ['TRUE', true],
    [' false ', false],
    [{ value: 'true', type: 'Boolean' }, true],
    [{ value: false, type: 'Boolean' }, false],
    [{ value: 'False', type: 'String' }, false],
  ])('reads %p as %p', (value, flag) => {
    expect(readFlag(value)).toEqual({ ok: true, value: flag });
  });

  it.each<[unknown, string]>([
    ['maybe', "'maybe'"],
    [1, '1'],
    [1n, '1 (Edm.Int64)'],
    [{ value: '1', type: 'Int32' }, '1 (Edm.Int32)'],
  ])('refuses %p, found %s', (value, found) => {
    expect(readFlag(value)).toEqual({ ok: false, found });
  });
});

describe('readText', () => {
  it('reads strings and Edm.String values, and nothing as absent', () => {
    expect(readText('a, b')).toEqual({ ok: true, value: 'a, b' });
    expect(readText({ value: 'a', type: 'String' })).toEqual({ ok: true, value: 'a' });
    expect(readText(undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each<[unknown, string]>([
    [42, '42'],
    [false, 'false (Edm.Boolean)'],
    [7n, '7 (Edm.Int64)'],
    [{ value: '7', type: 'Int64' }, '7 (Edm.Int64)'],
    [new Date('2024-03-05T00:00:00Z'), '2024-03-05T00:00:00.000Z (Edm.DateTime)'],
    [new Uint8Array(3), '3 bytes (Edm.Binary)'],
  ])('refuses %p, found %s', (value, found) => {
    expect(readText(value)).toEqual({ ok: false, found });
  });
});

describe('describeRuleValue', () => {
  it('clips a long value instead of echoing it whole', () => {
    const shown = describeRuleValue('x'.repeat(10_000));
    expect(shown).toBe(`'${'x'.repeat(80)}…'`);
  });

  it('names a value that cannot be stringified without throwing', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(describeRuleValue(circular)).toBe('an object (…)');
  });
});
