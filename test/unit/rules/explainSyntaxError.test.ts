import { compiled, NOW, problemsOf, record } from './ruleHelpers';

// Each slip gives exactly one message, at the slip, saying what to write instead (issue 14 §4).
describe('hints for the common slips, one message each', () => {
  it.each([
    ['= for ==', 'requests | where success = false', 'line 1, col 26: use == to compare (= assigns)'],
    [
      '= for == on a string, which the parser calls a non-bool condition',
      'requests | where name = "x"',
      'line 1, col 23: use == to compare (= assigns)',
    ],
    [
      '= for == after and',
      'requests | where name == "a" and success = false',
      'line 1, col 42: use == to compare (= assigns)',
    ],
    [
      '= for == before and',
      'requests | where name == "a" | where success = false and name == "b"',
      'line 1, col 46: use == to compare (= assigns)',
    ],
    ['=== from JavaScript', 'requests | where name === "a"', "line 1, col 23: use == to compare: '===' is not KQL"],
    ['!== from JavaScript', 'requests | where name !== "a"', "line 1, col 23: use != to compare: '!==' is not KQL"],
    [
      '<> for !=',
      'requests | where name <> "a"',
      "line 1, col 23: operator '<>' is not supported in alert rules: write != for 'not equal'",
    ],
    [
      '&& for and',
      'requests | where name == "a" && success == false',
      "line 1, col 30: use 'and' to join conditions: KQL has no '&&'",
    ],
    [
      '&& for and, on the next line',
      'requests\n| where name == "a"\n  && success == false',
      "line 3, col 3: use 'and' to join conditions: KQL has no '&&'",
    ],
    [
      '& for and',
      'requests | where name == "a" & success == false',
      "line 1, col 30: use 'and' to join conditions: KQL has no '&'",
    ],
    [
      '|| for or',
      'requests | where name == "a" || success == false',
      "line 1, col 30: use 'or' to join conditions: KQL has no '||'",
    ],
    [
      'a misspelt negated operator',
      'requests | where name !contians "x"',
      "line 1, col 23: unknown operator '!contians' (did you mean '!contains'?)",
    ],
    [
      'a misspelt operator after a condition, without the parser’s type error on the cut-short and',
      'requests | where toint(resultCode) >= 500 and name hass "x"',
      "line 1, col 52: unexpected 'hass' (did you mean 'has'?)",
    ],
    ['! for not()', 'requests | where !success', "line 1, col 18: '!' is not KQL's negation: write not(<condition>)"],
    [
      'not without parentheses',
      'requests | where not success',
      'line 1, col 18: not is a function in KQL: write not(success)',
    ],
    [
      'a misspelt where',
      'requests | wher name == "x"',
      "line 1, col 12: unknown query operator 'wher' (did you mean 'where'?)",
    ],
    [
      'a misspelt where without the table',
      'wher name == "x"',
      "line 1, col 1: 'wher' is not a table (did you mean 'where'?): a rule is <table> | where <condition>",
    ],
    [
      'an upper-case WHERE',
      'requests | WHERE success == false',
      "line 1, col 12: KQL keywords are lower case: write 'where'",
    ],
    [
      'an upper-case AND',
      'requests | where name == "a" AND success == false',
      "line 1, col 30: KQL keywords are lower case: write 'and'",
    ],
    [
      'a misspelt and',
      'requests | where name == "a" adn success == false',
      "line 1, col 30: unexpected 'adn' (did you mean 'and'?)",
    ],
    [
      'a misspelt string operator',
      'requests | where name contain "x"',
      "line 1, col 23: unexpected 'contain' (did you mean 'contains'?)",
    ],
    [
      'two conditions without and/or',
      'requests | where name == "a" success == false',
      "line 1, col 30: unexpected 'success': join conditions with 'and' or 'or', and query operators with '|'",
    ],
    ['a missing |', 'requests where name == "a"', "line 1, col 10: missing '|' before 'where'"],
    ['no table', 'where name == "x"', 'line 1, col 1: a rule starts with its table: write <table> | where <condition>'],
    [
      'a condition without its table',
      'name == "x"',
      "line 1, col 1: 'name' is not a table: a rule is <table> | where <condition>",
    ],
    [
      'a trailing |',
      'requests | where name == "x" |',
      "line 1, col 31: expected a query operator after '|': write <table> | where <condition>",
    ],
    ['a missing operand', 'requests | where name == "a" or', "line 1, col 32: missing an expression after 'or'"],
    [
      'curly quotes from a word processor',
      'requests | where name == “x”',
      'line 1, col 26: “ is not a KQL quote: write strings in "double" or \'single\' quotes',
    ],
    [
      'backticks',
      'requests | where name == `x`',
      'line 1, col 26: ` is not a KQL quote: write strings in "double" or \'single\' quotes',
    ],
    ['an unclosed string', 'requests | where name == "x', 'line 1, col 26: this string has no closing ": add one'],
    [
      'a misspelt false',
      'requests | where success == flase',
      "line 1, col 29: unknown column 'flase' for table requests (did you mean 'false'?)",
    ],
    [
      'a classic column in a workspace table',
      'AppRequests | where resultCode == "500"',
      "line 1, col 21: unknown column 'resultCode' for table AppRequests: AppRequests names it ResultCode; resultCode is the classic requests column",
    ],
    [
      'a workspace column in a classic table',
      'requests | where DurationMs > 1000',
      "line 1, col 18: unknown column 'DurationMs' for table requests: requests names it duration; DurationMs is the workspace AppRequests column",
    ],
  ])('%s', (_slip, query, expected) => {
    expect(problemsOf(query)).toEqual([expected]);
  });

  it('accepts both quote styles, which KQL reads alike', () => {
    const rule = compiled(`requests | where name == 'x' and url == "y"`);
    expect(rule.predicate(record({ name: 'x', url: 'y' }), NOW)).toBe(true);
  });
});
