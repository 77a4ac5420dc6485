import { hasTerm, STRING_OPERATORS } from '../../../shared/core/rules/stringOperators';

describe('hasTerm', () => {
  it.each([
    ['a whole term', 'north america', 'america', true],
    ['the start of a term', 'north americas', 'america', false],
    ['the end of a term', 'northamerica', 'america', false],
    ['a term at a later occurrence', 'americas america', 'america', true],
    ['digits as term characters', 'error 5030 and 503', '503', true],
    ['a needle with a separator, on boundaries', 'a b-c d', 'b-c', true],
    ['a needle with a separator, inside terms', 'ab-cd', 'b-c', false],
    ['a needle starting with a separator', 'ab-c', '-c', true],
    ['a needle that is only separators', 'a::b', '::', true],
    ['non-ASCII letters as separators (ASCII term rule)', 'café', 'caf', true],
    ['an empty needle', 'anything', '', true],
  ])('%s', (_what, hay, needle, expected) => {
    expect(hasTerm(hay, needle, true, true)).toBe(expected);
  });

  it('checks only the start for hasprefix and only the end for hassuffix', () => {
    expect(hasTerm('north americas', 'america', true, false)).toBe(true);
    expect(hasTerm('northamerica', 'america', false, true)).toBe(true);
  });
});

describe('STRING_OPERATORS', () => {
  it('has a negated and a case-sensitive form of every operator', () => {
    expect([...STRING_OPERATORS.keys()].sort()).toEqual(
      ['contains', 'startswith', 'endswith', 'has', 'hasprefix', 'hassuffix']
        .flatMap((op) => [op, `!${op}`, `${op}_cs`, `!${op}_cs`])
        .concat(['=~', '!~'])
        .sort(),
    );
  });
});
