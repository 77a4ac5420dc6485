import fc from 'fast-check';

import { digestKey, MAX_TABLE_KEY_CHARS, tableKey } from '../../../shared/adapters/storage/tableKeys';

/** The encoding before issue 10: keys it wrote for ordinary text must stay the same. */
function legacyTableKey(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// NOTE: the Table service refuses these in PartitionKey and RowKey.
const REFUSED = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const keyLikeChar = fc.constantFrom(
  'a',
  'Z',
  '0',
  '-',
  '/',
  '#',
  '?',
  '\\',
  '%',
  '~',
  ' ',
  '\u0000',
  'é',
  '日',
  '😀',
  '\ud800',
);
/** Any unicode text up to 2,000 characters: code points, lone surrogates, and key-hostile mixes. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2000 }),
  fc.string({ unit: anyCodeUnit, maxLength: 2000 }),
  fc.string({ unit: keyLikeChar, maxLength: 2000 }),
);

describe('tableKey', () => {
  it.each([
    ['checkout-5xx', 'checkout-5xx'],
    ['shop/checkout 5xx', 'shop%2Fcheckout%205xx'],
    ["it's (50%)!*", 'it%27s%20%2850%25%29%21%2A'],
    ['é#?', '%C3%A9%23%3F'],
    ['', ''],
  ])('encodes %j as %j, as it always has', (text, key) => {
    expect(tableKey(text)).toBe(key);
  });

  it('keeps a readable prefix cut between characters and appends a digest of the whole text when the encoding is too long', () => {
    // Arrange: a 1,000-character non-ASCII rule key encodes to 6,000 characters.
    const ruleKey = `shop/${'é'.repeat(995)}`;

    // Act
    const key = tableKey(ruleKey);

    // Assert
    expect(key).toBe(`shop%2F${'%C3%A9'.repeat(28)}%~${digestKey(ruleKey, 22)}`);
    expect(key.length).toBeLessThanOrEqual(MAX_TABLE_KEY_CHARS);
  });

  it('encodes a lone surrogate instead of throwing like encodeURIComponent', () => {
    expect(tableKey('a\ud83d')).toBe('a%ED%A0%BD');
    expect(tableKey('a\ud83d')).not.toBe(tableKey('a\ufffd'));
  });

  it('fits the bound and holds no character the Table service refuses, for any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const key = tableKey(text);
        expect(key.length).toBeLessThanOrEqual(MAX_TABLE_KEY_CHARS);
        expect(key).not.toMatch(REFUSED);
      }),
      { numRuns: 300 },
    );
  });

  it('gives distinct keys for distinct texts, long ones sharing a prefix included', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (common, a, b) => {
        fc.pre(a !== b);
        expect(tableKey(common + a)).not.toBe(tableKey(common + b));
      }),
      { numRuns: 300 },
    );
  });

  it('gives distinct keys across a set of texts, short and long mixed', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyText, { minLength: 2, maxLength: 30 }), (texts) => {
        expect(new Set(texts.map(tableKey)).size).toBe(texts.length);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves every key it wrote before unchanged while the encoding fits the bound', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 40 })),
        (text) => {
          const legacy = legacyTableKey(text);
          fc.pre(legacy.length <= MAX_TABLE_KEY_CHARS);
          expect(tableKey(text)).toBe(legacy);
        },
      ),
      { numRuns: 500 },
    );
  });
});
