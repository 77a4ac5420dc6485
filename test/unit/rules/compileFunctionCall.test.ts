import type { ColumnValue } from '../../../shared/core/export/telemetryRecord';
import { compileQuery } from '../../../shared/core/rules/compileQuery';
import { dimensions, keeps, problemsOf, record } from './ruleHelpers';

type Row = [condition: string, columns: Record<string, ColumnValue | undefined>, kept: boolean];
const table = (rows: Row[]): Row[] => rows;

describe.each([
  [
    'isempty / isnotempty / isnull / isnotnull',
    table([
      ['isempty(name)', {}, true],
      ['isempty(name)', { name: '' }, true],
      ['isempty(name)', { name: 'x' }, false],
      ['isnotempty(name)', { name: 'x' }, true],
      ['isnull(name)', {}, false],
      ['isnotnull(name)', {}, true],
      ['isnull(itemCount)', {}, true],
      ['isnull(itemCount)', { itemCount: 0 }, false],
      ['isnotnull(success)', { success: false }, true],
      ['isempty(itemCount)', {}, true],
      ['isempty(customDimensions.x)', { customDimensions: dimensions({ x: '' }) }, true],
      ['isnull(customDimensions.x)', { customDimensions: dimensions({ x: '' }) }, false],
      ['isnotempty(customDimensions.x)', { customDimensions: dimensions({ x: 'v' }) }, true],
    ]),
  ],
  [
    'tostring',
    table([
      ['tostring(itemCount) == "5"', { itemCount: 5 }, true],
      ['tostring(itemCount) == ""', {}, true],
      ['tostring(duration) == "1.5"', { duration: 1.5 }, true],
      ['tostring(success) == "true"', { success: true }, true],
      ['tostring(timestamp) == "2024-03-05T13:00:00Z"', { timestamp: new Date('2024-03-05T13:00:00Z') }, true],
      [
        'tostring(timestamp) == "2024-03-05T13:00:00.1230000Z"',
        { timestamp: new Date('2024-03-05T13:00:00.123Z') },
        true,
      ],
      ['tostring(customDimensions) == \'{"a":"1"}\'', { customDimensions: dimensions({ a: '1' }) }, true],
      ['tostring(1.5s) == "00:00:01.5000000"', {}, true],
      ['tostring(1d) == "1.00:00:00"', {}, true],
    ]),
  ],
  [
    'toint / tolong / todouble / toreal',
    table([
      ['toint(resultCode) == 404', { resultCode: '404' }, true],
      ['toint(resultCode) == 404', { resultCode: ' 404 ' }, true],
      ['toint(resultCode) == 2', { resultCode: '2.7' }, true],
      ['toint(resultCode) == -2', { resultCode: '-2.7' }, true],
      ['isnull(toint(resultCode))', { resultCode: 'abc' }, true],
      ['isnull(toint(resultCode))', {}, true],
      ['isnull(toint(resultCode))', { resultCode: '3000000000' }, true],
      ['tolong(resultCode) == 3000000000', { resultCode: '3000000000' }, true],
      ['todouble(customDimensions.ratio) > 0.5', { customDimensions: dimensions({ ratio: '0.75' }) }, true],
      ['toreal(customDimensions.ratio) < 1e-3', { customDimensions: dimensions({ ratio: '5e-4' }) }, true],
      ['toint(customDimensions.n) > 5', { customDimensions: dimensions({ n: '6' }) }, true],
      ['toint(customDimensions.n) > 5', {}, false],
      ['toint(success) == 1', { success: true }, true],
    ]),
  ],
  [
    'tobool',
    table([
      ['tobool(customDimensions.flag)', { customDimensions: dimensions({ flag: 'TRUE' }) }, true],
      ['tobool(customDimensions.flag) == false', { customDimensions: dimensions({ flag: 'false' }) }, true],
      ['isnull(tobool(customDimensions.flag))', { customDimensions: dimensions({ flag: 'yes' }) }, true],
      ['toboolean(itemCount)', { itemCount: 2 }, true],
    ]),
  ],
  [
    'todatetime',
    table([
      [
        'todatetime(customDimensions.at) > datetime(2024-03-05)',
        { customDimensions: dimensions({ at: '2024-03-06T00:00:00Z' }) },
        true,
      ],
      ['isnull(todatetime(customDimensions.at))', { customDimensions: dimensions({ at: 'yesterday' }) }, true],
    ]),
  ],
  [
    'tolower / toupper / strlen',
    table([
      ['tolower(name) == "get /api"', { name: 'GET /Api' }, true],
      ['toupper(name) == "GET /API"', { name: 'get /api' }, true],
      ['strlen(name) == 3', { name: 'abc' }, true],
      ['strlen(name) == 0', {}, true],
      ['strlen(name) == 2', { name: 'a😀' }, true],
    ]),
  ],
  [
    'trim(regex, text) removes leading and trailing matches',
    table([
      ['trim("--", name) == "https://bing.com"', { name: '--https://bing.com--' }, true],
      ['trim(@"[^\\w]+", name) == "Te st1"', { name: '- Te st1// $' }, true],
      ['trim(" ", name) == "a b"', { name: '   a b   ' }, true],
      ['trim("ab", name) == "c"', { name: 'ababcab' }, true],
      ['trim("x", name) == ""', { name: 'xxx' }, true],
      ['trim_start("-", name) == "a--"', { name: '--a--' }, true],
      ['trim_end("-", name) == "--a"', { name: '--a--' }, true],
    ]),
  ],
])('%s', (_functions, rows) => {
  it.each(rows)('%s with %j → %s', (condition, columns, kept) => {
    expect(keeps(`requests | where ${condition}`, record(columns))).toBe(kept);
  });
});

describe('function diagnostics', () => {
  it('rejects a datetime function outside the list, naming it', () => {
    expect(compileQuery('requests | where startofday(timestamp) > ago(1d)')).toMatchObject({
      ok: false,
      error: [{ line: 1, column: 18, text: 'startofday', code: 'RULE_UNSUPPORTED' }],
    });
  });

  it('keeps the parser’s message for a wrong number of arguments', () => {
    expect(problemsOf('requests | where toint() > 1')).toEqual([
      "line 1, col 18: The function 'toint' expects 1 argument.",
    ]);
  });

  it('requires trim’s pattern to be a literal', () => {
    expect(problemsOf('requests | where trim(name, name) == "a"')).toEqual([
      'line 1, col 23: The expression must be a constant.',
    ]);
  });

  it('reports an invalid trim pattern as written', () => {
    expect(problemsOf('requests | where trim("(", name) == "a"')).toEqual([
      'line 1, col 23: invalid regular expression: missing closing ): `(`',
    ]);
  });

  it('rejects converting a datetime to a number', () => {
    expect(problemsOf('requests | where toint(timestamp) > 5')).toEqual([
      'line 1, col 18: converting a datetime to a number is not supported: compare it with a datetime literal',
    ]);
  });
});
