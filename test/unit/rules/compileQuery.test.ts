import { compileQuery } from '../../../shared/core/rules/compileQuery';
import { compiled, dimensions, NOW, problemsOf, record } from './ruleHelpers';

describe('compileQuery', () => {
  it('compiles the documented example to a predicate over requests', () => {
    // Arrange
    const query = 'requests | where toint(resultCode) >= 500 and customDimensions.tenant == "acme"';

    // Act
    const rule = compiled(query);

    // Assert
    expect(rule.table).toBe('requests');
    expect(rule.columnsUsed).toEqual(['resultCode', 'customDimensions']);
    expect(rule.predicate(record({ resultCode: '503', customDimensions: dimensions({ tenant: 'acme' }) }), NOW)).toBe(
      true,
    );
    expect(rule.predicate(record({ resultCode: '503', customDimensions: dimensions({ tenant: 'other' }) }), NOW)).toBe(
      false,
    );
    expect(rule.predicate(record({ resultCode: '200', customDimensions: dimensions({ tenant: 'acme' }) }), NOW)).toBe(
      false,
    );
  });

  it('ANDs every where stage', () => {
    const rule = compiled('dependencies\n| where success == false\n| where target has "sql"\n| where duration > 1s');

    expect(rule.columnsUsed).toEqual(['success', 'target', 'duration']);
    const slowFailedSql = { success: false, target: 'prod.sql.example', duration: 1500 };
    expect(rule.predicate(record(slowFailedSql, 'dependencies'), NOW)).toBe(true);
    expect(rule.predicate(record({ ...slowFailedSql, success: true }, 'dependencies'), NOW)).toBe(false);
    expect(rule.predicate(record({ ...slowFailedSql, target: 'mysqlhost' }, 'dependencies'), NOW)).toBe(false);
    expect(rule.predicate(record({ ...slowFailedSql, duration: 999 }, 'dependencies'), NOW)).toBe(false);
  });

  it('accepts `filter` as the synonym of `where`', () => {
    expect(compiled('traces | filter severityLevel >= 3').predicate(record({ severityLevel: 3 }, 'traces'), NOW)).toBe(
      true,
    );
  });

  it('keeps every record of its table when there is no where stage', () => {
    const rule = compiled('exceptions');

    expect(rule.predicate(record({}, 'exceptions'), NOW)).toBe(true);
    expect(rule.columnsUsed).toEqual([]);
  });

  it('never keeps a record of another table', () => {
    expect(compiled('requests | where name == "a"').predicate(record({ name: 'a' }, 'pageViews'), NOW)).toBe(false);
  });

  it('lists a column once, in order of first use', () => {
    expect(compiled('requests | where name == "a" or url has name or name == "b"').columnsUsed).toEqual([
      'name',
      'url',
    ]);
  });
});

describe('compileQuery diagnostics', () => {
  it('places a syntax error with line, column and (empty) text', () => {
    const result = compileQuery('requests | where name == ');

    expect(result).toEqual({
      ok: false,
      error: [{ line: 1, column: 25, length: 0, text: '', message: "missing an expression after '=='", code: 'KS006' }],
    });
  });

  it('suggests the column an unknown one most likely meant', () => {
    const query = 'requests | where success == false and resultcode == "500"';

    expect(compileQuery(query)).toEqual({
      ok: false,
      error: [
        {
          line: 1,
          column: 39,
          length: 10,
          text: 'resultcode',
          message: "unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
          code: 'KS142',
        },
      ],
    });
  });

  it('counts lines and columns across a multi-line query', () => {
    expect(problemsOf('requests\n| where  Name == "x"\n| where urll == "y"')).toEqual([
      "line 2, col 10: unknown column 'Name' for table requests: requests names it name; Name is the workspace AppRequests column",
      "line 3, col 9: unknown column 'urll' for table requests (did you mean 'url'?)",
    ]);
  });

  it('suggests the table an unknown one most likely meant', () => {
    expect(problemsOf('request | where resultCode == "500"')).toEqual([
      "line 1, col 1: unknown table 'request' (did you mean 'requests'?)",
    ]);
  });

  it('names an unknown function without inventing a suggestion', () => {
    expect(compileQuery('requests | where foo(resultCode)')).toMatchObject({
      ok: false,
      error: [{ line: 1, column: 18, text: 'foo', message: "unknown function 'foo'", code: 'KS211' }],
    });
  });

  it('suggests a supported function for a misspelt one', () => {
    expect(problemsOf('requests | where tolowr(name) == "a"')).toEqual([
      "line 1, col 18: unknown function 'tolowr' (did you mean 'tolower'?)",
    ]);
  });

  it.each([
    ['summarize', 'requests | summarize count() by name', 12, 'summarize'],
    ['project', 'requests | project name', 12, 'project'],
    ['extend', 'requests | extend x = 1', 12, 'extend'],
    ['take', 'requests | take 5', 12, 'take'],
    ['join', 'requests | join (traces) on operation_Id', 12, 'join'],
    ['order by', 'requests | order by timestamp', 12, 'order'],
  ])('rejects %s, naming it', (_what, query, column, text) => {
    const result = compileQuery(query);

    expect(result).toMatchObject({ ok: false, error: [{ line: 1, column, text, code: 'RULE_UNSUPPORTED' }] });
    expect(problemsOf(query)[0]).toBe(
      `line 1, col ${column}: '${text}' is not supported in alert rules: write <table> | where <condition>`,
    );
  });

  it('rejects a known KQL function alert rules do not evaluate, naming it', () => {
    expect(compileQuery('requests | where strcat(name, "x") == "ax"')).toMatchObject({
      ok: false,
      error: [
        {
          column: 18,
          text: 'strcat',
          code: 'RULE_UNSUPPORTED',
          message: expect.stringMatching(
            /^function 'strcat' is not supported in alert rules \(supported: not, isempty, /,
          ),
        },
      ],
    });
  });

  it('rejects an unsupported operator, naming it', () => {
    expect(problemsOf('requests | where name has_any ("a", "b")')).toEqual([
      "line 1, col 23: operator 'has_any' is not supported in alert rules",
    ]);
  });

  it('reports every problem at once, in source order', () => {
    const query = 'requests\n| where resultcode == "1" and foo(name)\n| where strcat(name) == "x"\n| summarize count()';

    expect(problemsOf(query)).toEqual([
      "line 2, col 9: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
      "line 2, col 31: unknown function 'foo'",
      expect.stringMatching(/^line 3, col 9: function 'strcat' is not supported in alert rules/),
      "line 4, col 3: 'summarize' is not supported in alert rules: write <table> | where <condition>",
    ]);
  });

  it('rejects comparing a string column with a number, which Log Analytics refuses at run time', () => {
    expect(compileQuery('requests | where resultCode == 500')).toMatchObject({
      ok: false,
      error: [
        {
          column: 29,
          text: '==',
          code: 'RULE_TYPE_MISMATCH',
          message: 'cannot compare string with long: convert it first, e.g. toint(resultCode)',
        },
      ],
    });
  });

  it('keeps the parser’s message where it already rejects the types', () => {
    expect(problemsOf('requests | where resultCode > 500')).toEqual([
      "line 1, col 29: The operator '>' is not defined for the operand types string and long.",
    ]);
  });

  it('rejects comparing a customDimensions value with a number, which would never match', () => {
    expect(problemsOf('requests | where customDimensions.n > 5')).toEqual([
      'line 1, col 37: customDimensions values are strings: convert before comparing with a long, e.g. toint(customDimensions.n)',
    ]);
  });

  it('rejects a condition that is not true or false', () => {
    expect(problemsOf('requests | where name')).toEqual(['line 1, col 18: The expression must have the type bool.']);
  });

  it.each([
    [
      'a let statement',
      'let x = 5; requests | where itemCount > x',
      "line 1, col 1: 'let' statements are not supported in alert rules: write <table> | where <condition>",
    ],
    [
      'a second query',
      'requests | where name == "a"; traces',
      "line 1, col 31: a rule is a single query: remove 'traces' and the ';' before it",
    ],
    [
      'print',
      'print 1',
      expect.stringMatching(
        /^line 1, col 1: a rule must start with a table name \(requests, exceptions, .*\), not 'print'$/,
      ),
    ],
    [
      'union',
      'union requests, traces | where name == "a"',
      expect.stringMatching(/^line 1, col 1: a rule must start with a table name .*, not 'union'$/),
    ],
  ])('rejects %s', (_what, query, expected) => {
    expect(problemsOf(query)).toContainEqual(expected);
  });
});
