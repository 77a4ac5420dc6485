import fc from 'fast-check';

import { chunkText, clipText, joinText, MAX_PROPERTY_CHARS } from '../../../shared/adapters/storage/chunkedText';

const PLACE = { table: 'AlertState', partitionKey: 'rule', rowKey: 'group' };

describe('chunkText / joinText', () => {
  it('round-trips any text, every part within a property and well-formed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 0, max: 3 }), (piece, times) => {
        const text = piece.repeat(times * 400);
        const properties = chunkText('Email', text);
        for (const value of Object.values(properties)) {
          if (typeof value !== 'string') continue;
          expect(value.length).toBeLessThanOrEqual(MAX_PROPERTY_CHARS);
          expect(isWellFormed(value)).toBe(true);
        }
        expect(joinText(properties, 'Email', PLACE)).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it('never cuts a surrogate pair at a part boundary', () => {
    const text = `${'a'.repeat(MAX_PROPERTY_CHARS - 1)}😀b`;
    const properties = chunkText('X', text);
    expect(properties['XParts']).toBe(2);
    expect(joinText(properties, 'X', PLACE)).toBe(text);
  });

  it('says when a part is missing rather than returning half a text', () => {
    const properties = chunkText('X', 'a'.repeat(MAX_PROPERTY_CHARS * 2));
    delete properties['X_1'];
    expect(() => joinText(properties, 'X', PLACE)).toThrow(
      "table AlertState, PartitionKey 'rule', RowKey 'group': X_1 of 2 is missing: the stored text is incomplete",
    );
  });

  it('clips without ending on half a pair', () => {
    expect(clipText('ab😀', 3)).toBe('ab');
    expect(clipText('abc', 5)).toBe('abc');
  });
});

/** No lone surrogate: what the Table service needs of each property. */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
