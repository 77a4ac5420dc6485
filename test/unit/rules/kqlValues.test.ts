import {
  dynamicProperty,
  formatTimespan,
  valueToBool,
  valueToInt,
  valueToString,
} from '../../../shared/core/rules/kqlValues';

describe('kqlValues', () => {
  it('prints values the way tostring() does', () => {
    expect([
      valueToString(null),
      valueToString(undefined),
      valueToString(2.5),
      valueToString(false),
      valueToString({ a: [1] }),
    ]).toEqual(['', '', '2.5', 'false', '{"a":[1]}']);
    expect(valueToString(new Date('2024-03-05T13:00:00Z'))).toBe('2024-03-05T13:00:00Z');
  });

  it('prints timespans as [-][d.]hh:mm:ss[.fffffff]', () => {
    expect([formatTimespan(1500), formatTimespan(90_061_000), formatTimespan(-60_000), formatTimespan(0.0001)]).toEqual(
      ['00:00:01.5000000', '1.01:01:01', '-00:01:00', '00:00:00.0000001'],
    );
  });

  it('converts like toint(): truncating, null out of the 32-bit range', () => {
    expect([
      valueToInt('42'),
      valueToInt('2.9'),
      valueToInt('-2.9'),
      valueToInt('1e3'),
      valueToInt('x'),
      valueToInt(''),
      valueToInt(2 ** 31),
    ]).toEqual([42, 2, -2, 1000, null, null, null]);
  });

  it('converts like tobool()', () => {
    expect([valueToBool('True'), valueToBool(' false '), valueToBool(0), valueToBool('1'), valueToBool(null)]).toEqual([
      true,
      false,
      false,
      null,
      null,
    ]);
  });

  it('reads only own properties of a property bag', () => {
    const bag = { tenant: 'acme' };

    expect([
      dynamicProperty(bag, 'tenant'),
      dynamicProperty(bag, 'constructor'),
      dynamicProperty(bag, '__proto__'),
    ]).toEqual(['acme', null, null]);
    expect([dynamicProperty(['a'], '0'), dynamicProperty('text', 'length'), dynamicProperty(null, 'x')]).toEqual([
      null,
      null,
      null,
    ]);
  });
});
