import { compileRule, type RuleProblem } from '../../../shared/core/rules/alertRule';
import { caretLines, formatRuleProblem } from '../../../shared/core/rules/formatRuleProblem';

function problemsOfRule(query: string): RuleProblem[] {
  const result = compileRule({
    partitionKey: 'shop',
    rowKey: 'checkout-5xx',
    Query: query,
    Recipients: 'a@example.com',
  });
  if (result.ok) throw new Error(`expected ${query} not to compile`);
  return result.error;
}

describe('formatRuleProblem', () => {
  it('prints the headline, the query line and carets under the problem, like a compiler', () => {
    // Arrange
    const query = 'requests | where resultcode == "500"';
    const [problem] = problemsOfRule(query);

    // Act
    const lines = formatRuleProblem(problem!, query, { scope: 'shop', id: 'checkout-5xx' });

    // Assert
    expect(lines).toEqual([
      "rule shop/checkout-5xx: Query line 1, col 18: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
      '  requests | where resultcode == "500"',
      '                   ^^^^^^^^^^',
    ]);
  });

  it('names the query when there is no rule (rules test --query)', () => {
    const query = 'requests | wher name == "x"';
    expect(formatRuleProblem(problemsOfRule(query)[0]!, query)).toEqual([
      "query line 1, col 12: unknown query operator 'wher' (did you mean 'where'?)",
      '  requests | wher name == "x"',
      '             ^^^^',
    ]);
  });

  it('prints a problem outside the query as its headline alone', () => {
    const problem: RuleProblem = { property: 'Threshold', message: 'Threshold must be a whole number ≥ 1, found 0' };
    expect(formatRuleProblem(problem, 'requests', { scope: 'shop', id: 'x' })).toEqual([
      'rule shop/x: Threshold must be a whole number ≥ 1, found 0',
    ]);
  });
});

describe('caretLines', () => {
  it.each([
    {
      what: 'on the problem’s line of a multi-line query, with CRLF line ends',
      query: 'requests\r\n| where nme == 1',
      place: { line: 2, column: 9, length: 3 },
      expected: ['  | where nme == 1', '          ^^^'],
    },
    {
      what: 'with a tab expanded to the next multiple of four columns',
      query: 'requests\n|\twhere resultcode == "500"',
      place: { line: 2, column: 9, length: 10 },
      expected: ['  |   where resultcode == "500"', '            ^^^^^^^^^^'],
    },
    {
      what: 'after wide characters, which take two columns',
      query: 'requests | where name == "東京" and resultcode == 1',
      place: { line: 1, column: 35, length: 10 },
      expected: [
        '  requests | where name == "東京" and resultcode == 1',
        '                                      ^^^^^^^^^^',
      ],
    },
    {
      what: 'under wide characters, two carets each',
      query: 'requests | where name == "東京" and resultcode == 1',
      place: { line: 1, column: 26, length: 4 },
      expected: ['  requests | where name == "東京" and resultcode == 1', '                           ^^^^^^'],
    },
    {
      what: 'after an emoji, two UTF-16 units and two columns',
      query: 'requests | where name == "🚀" and nme == 1',
      place: { line: 1, column: 35, length: 3 },
      expected: ['  requests | where name == "🚀" and nme == 1', '                                    ^^^'],
    },
    {
      what: 'after a combining accent, which takes no column',
      query: 'requests | where name == "e\u0301" and nme == 1',
      place: { line: 1, column: 35, length: 3 },
      expected: ['  requests | where name == "e\u0301" and nme == 1', '                                   ^^^'],
    },
    {
      what: 'with a control character shown as �',
      query: 'requests | where name == "a\u0007b" and nme == 1',
      place: { line: 1, column: 36, length: 3 },
      expected: ['  requests | where name == "a\ufffdb" and nme == 1', '                                     ^^^'],
    },
    {
      what: 'with one caret for something missing',
      query: 'requests | where name == ',
      place: { line: 1, column: 25, length: 0 },
      expected: ['  requests | where name ==', '                          ^'],
    },
    {
      what: 'with one caret past the end of the line',
      query: 'requests | where name ==',
      place: { line: 1, column: 25, length: 0 },
      expected: ['  requests | where name ==', '                          ^'],
    },
  ])('places the carets $what', ({ query, place, expected }) => {
    expect(caretLines(query, place)).toEqual(expected);
  });

  const long = `requests | where ${'name == "a" or '.repeat(20)}resultcode == 1`;

  it('cuts a long line around a problem near its end, marking the cut', () => {
    expect(caretLines(long, { line: 1, column: 318, length: 10 }, { width: 60 })).toEqual([
      '  …me == "a" or name == "a" or name == "a" or resultcode == 1',
      '                                              ^^^^^^^^^^',
    ]);
  });

  it('cuts a long line on both sides of a problem in its middle', () => {
    expect(caretLines(long, { line: 1, column: 153, length: 4 }, { width: 60 })).toEqual([
      '  … or name == "a" or name == "a" or name == "a" or name == "…',
      '                      ^^^^',
    ]);
  });

  it('indents as asked', () => {
    expect(caretLines('requests | where nme == 1', { line: 1, column: 18, length: 3 }, { indent: '    ' })).toEqual([
      '    requests | where nme == 1',
      '                     ^^^',
    ]);
  });

  it('prints nothing for a place that is not in the query', () => {
    expect(caretLines('requests', { line: 3, column: 1, length: 1 })).toEqual([]);
  });
});
