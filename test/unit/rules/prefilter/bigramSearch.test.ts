import fc from 'fast-check';

import { BigramSearch, type SearchNeedle } from '../../../../shared/core/rules/prefilter/bigramSearch';

const cs = (text: string): SearchNeedle => ({ text, caseInsensitive: false });
const ci = (text: string): SearchNeedle => ({ text, caseInsensitive: true });
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

/** The spec read literally: the first p from `from` at which some needle lies whole before `end`. */
function naiveNext(needles: readonly SearchNeedle[], bytes: Buffer, from: number, end = bytes.length): number {
  end = Math.min(end, bytes.length);
  for (let p = Math.max(0, from); p <= end; p++) {
    for (const n of needles) {
      const needle = latin1(n.text);
      if (p + needle.length > end) continue;
      let all = true;
      for (let m = 0; m < needle.length && all; m++) {
        const a = bytes[p + m] as number;
        const b = needle[m] as number;
        all = n.caseInsensitive ? lower(a) === lower(b) : a === b;
      }
      if (all) return p;
    }
  }
  return -1;
}

/** Every offset `next` reports when called from just past each hit, as a full scan does. */
function allHits(search: BigramSearch, bytes: Buffer, end?: number): number[] {
  const hits: number[] = [];
  for (let p = search.next(bytes, 0, end); p !== -1; p = search.next(bytes, p + 1, end)) hits.push(p);
  return hits;
}

describe('BigramSearch finds the leftmost needle', () => {
  it.each<[string, SearchNeedle[], string, number, number | undefined, number]>([
    ['a needle at from', [cs('abc')], 'xxabcxx', 2, undefined, 2],
    ['a needle before from is not seen', [cs('abc')], 'abcxxx', 1, undefined, -1],
    [
      'a needle that starts before from is not seen though its anchor is after',
      [cs('abcd')],
      'abcdxx',
      1,
      undefined,
      -1,
    ],
    ['a needle ending at end', [cs('abc')], 'xxabc', 0, undefined, 2],
    ['a needle cut by end', [cs('abc')], 'xxabcxx', 0, 4, -1],
    ['a needle ending exactly at an explicit end', [cs('abc')], 'xxabcxx', 0, 5, 2],
    ['an end past the buffer is the buffer', [cs('abc')], 'xxabc', 0, 99, 2],
    [
      'a later needle with an earlier anchor loses to an earlier start',
      [cs('zzzzzzq'), cs('zq')],
      'zzzzzzq',
      0,
      undefined,
      0,
    ],
    ['overlapping occurrences: the first', [cs('aa')], 'xaaa', 0, undefined, 1],
    ['overlapping occurrences from inside the first', [cs('aa')], 'xaaa', 2, undefined, 2],
    ['a needle that is a prefix of another', [cs('abcdef'), cs('abc')], 'xabcxx', 0, undefined, 1],
    ['a needle that is a suffix of another', [cs('abcdef'), cs('def')], 'xabcdef', 0, undefined, 1],
    ['case-insensitive, any case in the bytes', [ci('AcMe')], '--aCME--', 0, undefined, 2],
    ['case-sensitive, the case must agree', [cs('Acme')], '--acme--Acme', 0, undefined, 8],
    [
      'case-insensitive folds A-Z only, not latin1 letters',
      [ci('\u00e9t\u00e9')],
      '\u00c9T\u00c9 \u00e9T\u00e9',
      0,
      undefined,
      4,
    ],
    ['bytes >= 0x80 compare exactly', [cs('\u00ff\u0080')], '\u0080\u00ff\u00ff\u0080', 0, undefined, 2],
    ['a 1-byte needle', [cs('z')], 'abcz', 0, undefined, 3],
    ['a 1-byte needle at the last byte', [cs('z')], 'abcz', 3, undefined, 3],
    ['a 1-byte needle cut by end', [cs('z')], 'abcz', 0, 3, -1],
    ['a 1-byte case-insensitive needle', [ci('q')], 'abQ', 0, undefined, 2],
    [
      'a longer needle anchored after a 1-byte needle it starts before',
      [cs('longneedle'), cs('g')],
      'xlongneedle',
      0,
      undefined,
      1,
    ],
    ['a longer needle before a 1-byte one', [cs('ab'), cs('c')], 'xabc', 0, undefined, 1],
    ['from at end', [cs('a')], 'aaa', 3, undefined, -1],
    ['from past end', [cs('a')], 'aaa', 2, 1, -1],
    ['an empty buffer', [cs('a')], '', 0, undefined, -1],
  ])('%s', (_name, needles, text, from, end, expected) => {
    // Arrange
    const bytes = latin1(text);
    const search = new BigramSearch(needles, bytes);

    // Act
    const found = search.next(bytes, from, end);

    // Assert
    expect(found).toBe(expected);
    expect(naiveNext(needles, bytes, from, end)).toBe(expected);
  });

  it('never finds anything without needles', () => {
    const search = new BigramSearch([]);
    expect(search.next(latin1('anything at all'), 0)).toBe(-1);
    expect(search.next(latin1(''), 0)).toBe(-1);
  });

  it('finds an empty needle at from', () => {
    const search = new BigramSearch([cs('')]);
    expect(search.next(latin1('abc'), 1)).toBe(1);
    expect(search.next(latin1('abc'), 3)).toBe(3);
    expect(search.next(latin1('abc'), 4)).toBe(-1);
  });

  it('reports every start, overlapping ones included, in a full scan across word boundaries', () => {
    // Arrange: long enough that the word loop runs, with hits in every position of a word.
    const text = `${'.'.repeat(37)}abab${'.'.repeat(50)}ab${'-'.repeat(13)}bab`;
    const bytes = latin1(text);
    const needles = [cs('abab'), cs('bab')];
    const search = new BigramSearch(needles, bytes);

    // Act
    const hits = allHits(search, bytes);

    // Assert
    expect(hits).toEqual([37, 38, text.length - 3]);
  });

  it('gives the same answers on a buffer that does not start on a word boundary', () => {
    // Arrange
    const backing = Buffer.alloc(203, '.');
    const bytes = backing.subarray(1, 202);
    bytes.write('needle', 100, 'latin1');
    bytes.write('NEEDLE', 150, 'latin1');
    const search = new BigramSearch([ci('needle')]);

    // Act
    const hits = allHits(search, bytes);

    // Assert
    expect(hits).toEqual([100, 150]);
  });

  it('anchors at the rarest bigram of the sample and still finds the needle where the sample is wrong', () => {
    // Arrange: in the sample "ab" is everywhere and "yz" nowhere, so the needle is anchored at "yz".
    const sample = latin1('ab'.repeat(100));
    const search = new BigramSearch([cs('abxyz')], sample);
    const bytes = latin1(`${'ab'.repeat(20)}abxyz`);

    // Act
    const found = search.next(bytes, 0);

    // Assert
    expect(found).toBe(40);
  });
});

describe('BigramSearch agrees with the naive search', () => {
  const alphabet = fc.constantFrom(...'abAB\u00e1\u00c1\u0000\u00ff');
  const text = (maxLength: number): fc.Arbitrary<string> =>
    fc.array(alphabet, { maxLength }).map((chars) => chars.join(''));
  const needle = fc.record({ text: text(6).filter((t) => t.length > 0), caseInsensitive: fc.boolean() });

  it('at every from and end, with and without a sample', () => {
    fc.assert(
      fc.property(
        fc.array(needle, { minLength: 1, maxLength: 20 }),
        text(120),
        fc.nat(130),
        fc.nat(130),
        fc.nat(3),
        fc.boolean(),
        (needles, haystack, from, end, shift, withSample) => {
          // Arrange: a buffer at a random offset of its backing store, so the word loop starts anywhere.
          const backing = Buffer.alloc(shift + haystack.length);
          backing.write(haystack, shift, 'latin1');
          const bytes = backing.subarray(shift);
          const search = new BigramSearch(needles, withSample ? bytes : undefined);

          // Act
          const found = search.next(bytes, from, end);

          // Assert
          expect(found).toBe(naiveNext(needles, bytes, from, end));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('over a full scan from each hit on', () => {
    fc.assert(
      fc.property(fc.array(needle, { minLength: 1, maxLength: 20 }), text(200), (needles, haystack) => {
        // Arrange
        const bytes = latin1(haystack);
        const search = new BigramSearch(needles, bytes);
        const expected: number[] = [];
        for (let p = naiveNext(needles, bytes, 0); p !== -1; p = naiveNext(needles, bytes, p + 1)) expected.push(p);

        // Act
        const hits = allHits(search, bytes);

        // Assert
        expect(hits).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('lists every needle occurring in a range, once per occurrence', () => {
    fc.assert(
      fc.property(
        fc.array(needle, { minLength: 1, maxLength: 20 }),
        text(120),
        fc.nat(130),
        fc.nat(130),
        (needles, haystack, from, end) => {
          // Arrange: the naive occurrences, as "needle@offset".
          const bytes = latin1(haystack);
          const search = new BigramSearch(needles, bytes);
          const expected: string[] = [];
          const stop = Math.min(end, bytes.length);
          for (let p = from; p < stop; p++) {
            needles.forEach((n, i) => {
              if (naiveNext([n], bytes, p, stop) === p) expected.push(`${i}`);
            });
          }

          // Act
          const found: string[] = [];
          search.forEachMatch(bytes, from, end, (i) => {
            found.push(`${i}`);
            return false;
          });

          // Assert (order aside)
          expect(found.sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 500 },
    );
  });
});
