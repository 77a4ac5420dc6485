import fc from 'fast-check';

import {
  boundedStringify,
  CYCLE_MARKER,
  DEFAULT_MAX_CHARS,
  DEPTH_MARKER,
  TRUNCATED_MARKER,
  UNPRINTABLE_MARKER,
} from '../../../shared/core/json/boundedStringify';

function nested(depth: number): unknown {
  let value: unknown = { method: 'leaf', line: 1 };
  for (let i = 0; i < depth; i++) value = { level: i, inner: [value] };
  return value;
}

describe('boundedStringify', () => {
  it.each<[string, unknown]>([
    ['a string', 'a "quoted"\n\u2028 line'],
    ['a number', -12.5e-7],
    ['negative zero', -0],
    ['NaN and Infinity', [NaN, Infinity, -Infinity]],
    ['booleans and null', [true, false, null]],
    ['an empty object and array', { a: {}, b: [] }],
    ['a Date inside an object', { at: new Date('2024-03-05T13:00:01.123Z'), bad: new Date('x') }],
    [
      'undefined, functions and symbols',
      { u: undefined, f: () => 1, s: Symbol('s'), list: [undefined, () => 1, Symbol('s')] },
    ],
    ['boxed primitives', [Object(1), Object('s'), Object(true)]],
    ['toJSON', { v: { toJSON: (key: string) => `key ${key}` } }],
    // eslint-disable-next-line no-sparse-arrays -- a hole is the case under test
    ['array holes', [1, , 3]],
    ['a lone surrogate', '\ud800x'],
    ['integer-like keys first, then insertion order', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    [
      'a parsedStack as the SDK writes it',
      { parsedStack: [{ level: 0, method: 'A.B', assembly: 'x, Version=1', fileName: 'a.cs', line: 12 }] },
    ],
  ])('writes %s exactly as JSON.stringify does', (_name, value) => {
    expect(boundedStringify(value)).toBe(JSON.stringify(value));
  });

  it('writes the empty string where JSON.stringify gives undefined', () => {
    expect([undefined, () => 1, Symbol('s')].map((v) => boundedStringify(v))).toEqual(['', '', '']);
  });

  it('agrees with JSON.stringify on shallow ordinary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        expect(boundedStringify(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a container past the depth limit as a marker', () => {
    expect(boundedStringify({ a: { b: { c: [1] } } }, { maxDepth: 2 })).toBe(`{"a":{"b":${DEPTH_MARKER}}}`);
    expect(boundedStringify([[1]], { maxDepth: 0 })).toBe(DEPTH_MARKER);
  });

  it('writes a parsedStack nested 5,000 deep without overflowing the stack', () => {
    // Arrange
    const value = nested(5_000);

    // Act
    const text = boundedStringify(value);

    // Assert: 64 levels of containers, the rest cut; the text stays well-formed up to the marker.
    expect(text).toContain(DEPTH_MARKER);
    expect(text.length).toBeLessThan(2_000);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('writes a cycle as a marker where it recurs, and the same object twice in full', () => {
    // Arrange
    const shared = { x: 1 };
    const cyclic: Record<string, unknown> = { name: 'root', shared, again: shared };
    cyclic['self'] = cyclic;

    // Act & Assert
    expect(boundedStringify(cyclic)).toBe(`{"name":"root","shared":{"x":1},"again":{"x":1},"self":${CYCLE_MARKER}}`);
  });

  it('cuts at maxChars with a marker, never splitting a surrogate pair', () => {
    expect(boundedStringify({ a: 'abcdef' }, { maxChars: 8 })).toBe(`{"a":"ab${TRUNCATED_MARKER}`);
    expect(boundedStringify('x🙂', { maxChars: 3 })).toBe(`"x${TRUNCATED_MARKER}`);
    expect(boundedStringify('ab', { maxChars: 4 })).toBe('"ab"');
  });

  it('cuts a 50 MB array to the default length without writing it out', () => {
    // Arrange: 5 million ten-character strings.
    const huge = new Array<string>(5_000_000).fill('0123456789');

    // Act
    const text = boundedStringify(huge);

    // Assert
    expect(text.length).toBe(DEFAULT_MAX_CHARS + TRUNCATED_MARKER.length);
    expect(text.startsWith('["0123456789","0123456789"')).toBe(true);
  });

  it('cuts one huge string and one huge key without quoting them whole', () => {
    const long = 'y'.repeat(10_000_000);
    expect(boundedStringify(long, { maxChars: 5 })).toBe(`"yyyy${TRUNCATED_MARKER}`);
    expect(boundedStringify({ [long]: 1 }, { maxChars: 5 })).toBe(`{"yyy${TRUNCATED_MARKER}`);
  });

  it('ends with a marker instead of throwing when a getter throws', () => {
    const hostile = {
      ok: 1,
      get bad(): number {
        throw new Error('no');
      },
    };
    expect(boundedStringify(hostile)).toBe(`{"ok":1${UNPRINTABLE_MARKER}`);
  });

  it('writes BigInt values as their digits where JSON.stringify would throw', () => {
    expect(boundedStringify({ n: 12345678901234567890n })).toBe('{"n":12345678901234567890}');
  });

  it('never throws and stays within its bound for arbitrary nested values', () => {
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 12, withBigInt: true, withDate: true, withMap: true, withSet: true }),
        fc.integer({ min: 0, max: 200 }),
        (value, maxChars) => {
          const text = boundedStringify(value, { maxDepth: 4, maxChars });
          expect(text.length).toBeLessThanOrEqual(
            maxChars + Math.max(TRUNCATED_MARKER.length, UNPRINTABLE_MARKER.length),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
