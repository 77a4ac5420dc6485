import type { ParsedToken, ParserDiagnostic } from './kustoParser';
import { STRING_OPERATORS } from './stringOperators';
import { suggestName } from './suggestName';

/** A syntax error as we show it: where, and what to do about it. */
export interface SyntaxHint {
  readonly start: number;
  readonly length: number;
  readonly message: string;
}

const RULE_SHAPE = '<table> | where <condition>';

/** KQL's tabular operators: a word after `|` that is none of them is a misspelt `where` or not KQL. */
export const QUERY_OPERATORS: readonly string[] = [
  'where',
  'filter',
  'project',
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'extend',
  'summarize',
  'take',
  'limit',
  'top',
  'sort',
  'order',
  'distinct',
  'count',
  'join',
  'union',
  'parse',
  'mv-expand',
  'render',
  'sample',
  'search',
  'lookup',
  'as',
  'getschema',
  'serialize',
  'evaluate',
  'invoke',
  'make-series',
];

/** Words that may follow an operand inside a condition. */
const CONDITION_WORDS: readonly string[] = [
  'and',
  'or',
  'between',
  'in',
  'matches',
  ...[...STRING_OPERATORS.keys()].filter((op) => /^[a-z_]+$/.test(op)),
];

/** `!contains`, `!in`, `!between`, …: a misspelt one starts with a `!` the parser does not expect. */
const NEGATED_OPERATORS: readonly string[] = [
  '!in',
  '!between',
  ...[...STRING_OPERATORS.keys()].filter((op) => /^![a-z_]+$/.test(op)),
];

/** Quotes of word processors and shells that KQL does not read as quotes. */
const FOREIGN_QUOTES = /^[\u201c\u201d\u201e\u2018\u2019\u201a\u00b4`]/;

/**
 * The hint for a parser syntax error, for the slips people make coming from other languages: `&&`,
 * `||`, `!`, `=` or `===` for comparisons, curly quotes, a misspelt or upper-case keyword, a missing
 * `|`. Otherwise the parser's own words at its place.
 *
 * @param tokens - the query's tokens, for the words around the error
 */
export function explainSyntaxError(
  diagnostic: ParserDiagnostic,
  source: string,
  tokens: () => readonly ParsedToken[],
): SyntaxHint {
  const { start, length } = diagnostic;
  const at = (message: string, from = start, width = length): SyntaxHint => ({ start: from, length: width, message });
  const next = nextVisible(source, start);
  const word = /^[A-Za-z_][\w-]*/.exec(source.slice(start))?.[0];

  if (source.startsWith('&&', next)) return at("use 'and' to join conditions: KQL has no '&&'", next, 2);
  if (source[next] === '&') return at("use 'and' to join conditions: KQL has no '&'", next, 1);
  if (source[next] === '|' && source[next - 1] === '|')
    return at("use 'or' to join conditions: KQL has no '||'", next - 1, 2);
  const equals = equalsSlip(source, next);
  if (equals) return equals;
  if (FOREIGN_QUOTES.test(source.slice(next)))
    return at(`${source[next] ?? ''} is not a KQL quote: write strings in "double" or 'single' quotes`, next, 1);
  if (source[next] === '!' && source[next + 1] !== '=' && source[next + 1] !== '~') {
    const operator = /^![A-Za-z_]+/.exec(source.slice(next))?.[0];
    const meant = operator && suggestName(operator, NEGATED_OPERATORS);
    return operator && meant
      ? at(`unknown operator '${operator}' (did you mean '${meant}'?)`, next, operator.length)
      : at("'!' is not KQL's negation: write not(<condition>)", next, 1);
  }

  switch (diagnostic.code) {
    // "Missing: \"": a string runs to the end of the query.
    case 'KS001': {
      const quote = /^Missing: (.)$/.exec(diagnostic.message)?.[1];
      const literal = tokenBefore(tokens(), start + 1);
      return quote && literal
        ? at(`this string has no closing ${quote}: add one`, literal.start, 1)
        : at(diagnostic.message);
    }
    // "Missing expression"
    case 'KS006': {
      const before = tokenBefore(tokens(), start);
      return before ? at(`missing an expression after '${before.text}'`) : at(diagnostic.message);
    }
    // "Query operator expected."
    case 'KS176':
      return word === undefined
        ? at(`expected a query operator after '|': write ${RULE_SHAPE}`)
        : unknownOperator(word, start);
  }
  // The parser ended the statement before an unexpected word and expected the next one after a `;`.
  if (diagnostic.code === 'KS005' && diagnostic.message === 'Expected: ;' && word !== undefined) {
    return unexpectedWord(word, start, tokens());
  }
  return at(diagnostic.message);
}

/** `=` where `==` was meant, and `===` / `!==` from JavaScript. */
function equalsSlip(source: string, at: number): SyntaxHint | undefined {
  if (source[at] !== '=') return undefined;
  const before = source.slice(Math.max(0, at - 2), at);
  if (before === '==' || before === '!=') {
    return {
      start: at - 2,
      length: 3,
      message: `use ${before} to compare: '${before}=' is not KQL`,
    };
  }
  if (source[at + 1] === '=' || /[!<>=]/.test(source[at - 1] ?? '')) return undefined;
  return { start: at, length: 1, message: 'use == to compare (= assigns)' };
}

/** After `|`: a misspelt or upper-case `where`, or something that is no query operator at all. */
function unknownOperator(word: string, start: number): SyntaxHint {
  const at = (message: string): SyntaxHint => ({ start, length: word.length, message });
  const lower = word.toLowerCase();
  if (lower !== word && QUERY_OPERATORS.includes(lower)) return at(`KQL keywords are lower case: write '${lower}'`);
  const meant = suggestName(word, ['where', 'filter']);
  return meant
    ? at(`unknown query operator '${word}' (did you mean '${meant}'?)`)
    : at(`'${word}' is not a query operator: write ${RULE_SHAPE}`);
}

/**
 * A word the parser did not expect after a complete expression, so it guessed a missing `;`: a query
 * operator without its `|`, an upper-case or misspelt `and`, `or` or string operator, or `not` used
 * without parentheses.
 */
function unexpectedWord(word: string, start: number, tokens: readonly ParsedToken[]): SyntaxHint {
  const at = (message: string, from = start, length = word.length): SyntaxHint => ({ start: from, length, message });
  const lower = word.toLowerCase();
  const before = tokenBefore(tokens, start);
  if (before?.text === 'not') {
    return at(`not is a function in KQL: write not(${word})`, before.start, start + word.length - before.start);
  }
  if (QUERY_OPERATORS.includes(lower) && before?.text !== '|') return at(`missing '|' before '${word}'`);
  if (lower !== word && CONDITION_WORDS.includes(lower)) return at(`KQL keywords are lower case: write '${lower}'`);
  const meant = suggestName(word, CONDITION_WORDS);
  if (meant) return at(`unexpected '${word}' (did you mean '${meant}'?)`);
  return at(`unexpected '${word}': join conditions with 'and' or 'or', and query operators with '|'`);
}

/** The last token that starts before `offset`. */
function tokenBefore(tokens: readonly ParsedToken[], offset: number): ParsedToken | undefined {
  let found: ParsedToken | undefined;
  for (const token of tokens) {
    if (token.start >= offset) break;
    found = token;
  }
  return found;
}

function nextVisible(source: string, offset: number): number {
  let i = offset;
  while (i < source.length && /\s/.test(source[i] ?? '')) i++;
  return i;
}
