/**
 * KQL's string operators. Operators without `_cs` ignore case (compared in lower case); `!op` is the
 * negation of `op`. The `has` family matches terms: a term is a maximal run of ASCII letters and digits
 * (the Kusto docs' definition), so `has "bar"` matches `"foo-bar baz"` but not `"foobar"`.
 */
export interface StringOperator {
  readonly caseSensitive: boolean;
  readonly negated: boolean;
  /** Whether `hay` satisfies the operator for `needle`, both already lower-cased when case is ignored. */
  readonly test: (hay: string, needle: string) => boolean;
}

const BASE_OPERATORS: Readonly<Record<string, (hay: string, needle: string) => boolean>> = {
  contains: (hay, needle) => hay.includes(needle),
  startswith: (hay, needle) => hay.startsWith(needle),
  endswith: (hay, needle) => hay.endsWith(needle),
  has: (hay, needle) => hasTerm(hay, needle, true, true),
  hasprefix: (hay, needle) => hasTerm(hay, needle, true, false),
  hassuffix: (hay, needle) => hasTerm(hay, needle, false, true),
};

/** Every supported string operator by its KQL spelling, `=~` and `!~` included. */
export const STRING_OPERATORS: ReadonlyMap<string, StringOperator> = buildOperators();

function buildOperators(): Map<string, StringOperator> {
  const operators = new Map<string, StringOperator>();
  for (const [name, test] of Object.entries(BASE_OPERATORS)) {
    for (const caseSensitive of [false, true]) {
      const spelling = caseSensitive ? `${name}_cs` : name;
      operators.set(spelling, { caseSensitive, negated: false, test });
      operators.set(`!${spelling}`, { caseSensitive, negated: true, test });
    }
  }
  const equals = (hay: string, needle: string): boolean => hay === needle;
  operators.set('=~', { caseSensitive: false, negated: false, test: equals });
  operators.set('!~', { caseSensitive: false, negated: true, test: equals });
  return operators;
}

function isTermChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Whether `needle` occurs in `hay` on term boundaries. A boundary is needed only where the needle
 * itself ends in a term character: `has "b-c"` needs `b` to start a term and `c` to end one, so it
 * matches `"a b-c d"` but not `"ab-cd"`; an empty needle matches everything, as `contains ""` does.
 */
export function hasTerm(hay: string, needle: string, atTermStart: boolean, atTermEnd: boolean): boolean {
  if (needle.length === 0) return true;
  const checkStart = atTermStart && isTermChar(needle.charCodeAt(0));
  const checkEnd = atTermEnd && isTermChar(needle.charCodeAt(needle.length - 1));
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (checkStart && at > 0 && isTermChar(hay.charCodeAt(at - 1))) continue;
    if (checkEnd && end < hay.length && isTermChar(hay.charCodeAt(end))) continue;
    return true;
  }
  return false;
}
