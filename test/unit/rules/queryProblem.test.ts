import { collapseProblems, type QueryProblem } from '../../../shared/core/rules/queryProblem';
import { problemsOf } from './ruleHelpers';

describe('one message per real problem (issue 14 §4)', () => {
  it('reports a misspelt where once, not with the parser’s cascade', () => {
    // The parser alone: KS142 'wher', KS005 "Expected: ;" and KS142 'name', with "(did you mean 'name'?)".
    expect(problemsOf('wher name == "x"')).toEqual([
      "line 1, col 1: 'wher' is not a table (did you mean 'where'?): a rule is <table> | where <condition>",
    ]);
    expect(problemsOf('requests | wher name == "x"')).toEqual([
      "line 1, col 12: unknown query operator 'wher' (did you mean 'where'?)",
    ]);
  });

  it.each([
    'requests | wher name == "x"',
    'requests where name == "a"',
    'requests | where name == "a" AND success == false',
    'requests | where name == "a" | wher success == false',
    'requests | where name == "a" | where not success',
    'requests | where name == "a" success == false',
  ])('never suggests the name that was typed: %s', (query) => {
    const problems = problemsOf(query);
    expect(problems).toHaveLength(1);
    for (const problem of problems) {
      const typed = /unknown \w+ '([^']*)'/.exec(problem)?.[1];
      expect(problem).not.toContain(`did you mean '${typed ?? ''}'`);
    }
  });

  it('keeps a misspelt column after a syntax error: it is wrong whatever the parser made of the text', () => {
    expect(problemsOf('requests | where name == "a" AND sucess == false')).toEqual([
      "line 1, col 30: KQL keywords are lower case: write 'and'",
      "line 1, col 34: unknown column 'sucess' for table requests (did you mean 'success'?)",
    ]);
  });

  it('keeps the problems of a later stage, and drops the parser’s guesses between', () => {
    expect(problemsOf('requests | whre name == "x" | where resultcode == 1 | where name == 1')).toEqual([
      "line 1, col 12: unknown query operator 'whre' (did you mean 'where'?)",
      "line 1, col 37: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
    ]);
  });

  it('keeps every independent problem of a query without syntax errors', () => {
    expect(problemsOf('requests | where resultcode == "1" and nme == "x"')).toEqual([
      "line 1, col 18: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
      "line 1, col 40: unknown column 'nme' for table requests (did you mean 'name'?)",
    ]);
  });
});

describe('collapseProblems', () => {
  const problem = (start: number, origin: QueryProblem['origin'], extra: Partial<QueryProblem> = {}): QueryProblem => ({
    start,
    length: 1,
    message: `${origin}@${start}`,
    code: 'X',
    origin,
    ...(origin === 'syntax' ? { breaks: true } : {}),
    ...extra,
  });
  const messages = (source: string, problems: QueryProblem[], separators: number[] = []) =>
    collapseProblems(source, problems, separators).map((p) => p.message);
  const source = 'abcdefghij | klmnopqrst | uvwxyz';

  it('keeps the first syntax error of a region and drops what follows it there', () => {
    expect(messages(source, [problem(4, 'parser'), problem(8, 'syntax'), problem(2, 'syntax')], [11])).toEqual([
      'syntax@2',
    ]);
  });

  it('keeps one syntax error per region, and after the first only breaking and independent problems', () => {
    const problems = [
      problem(2, 'syntax'),
      problem(14, 'parser'),
      problem(16, 'parser', { independent: true }),
      problem(18, 'rule'),
      problem(28, 'syntax'),
    ];
    expect(messages(source, problems, [11, 24])).toEqual(['syntax@2', 'parser@16', 'syntax@28']);
  });

  it('drops a problem that ends just before a syntax error of its region, which the error cut short', () => {
    const problems = [problem(0, 'rule', { length: 4 }), problem(1, 'rule', { length: 2 }), problem(5, 'syntax')];
    expect(messages('abcd efgh', problems)).toEqual(['rule@1', 'syntax@5']);
  });

  it('drops the parser’s analysis of a region that has a syntax error, but keeps ours before it', () => {
    const problems = [problem(1, 'parser'), problem(3, 'rule', { length: 1 }), problem(8, 'syntax')];
    expect(messages(source, problems, [11])).toEqual(['rule@3', 'syntax@8']);
  });

  it('keeps one problem per place: a syntax error before the parser’s analysis before ours', () => {
    expect(messages(source, [problem(3, 'rule'), problem(3, 'parser'), problem(3, 'syntax')])).toEqual(['syntax@3']);
  });

  it('drops the parser’s problems inside a span one of ours covers', () => {
    const ours = problem(5, 'rule', { covers: { start: 2, length: 6 } });
    expect(messages(source, [problem(2, 'parser'), ours, problem(9, 'parser')])).toEqual(['rule@5', 'parser@9']);
  });
});
