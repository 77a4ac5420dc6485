import type { ColumnValue } from '../../../shared/core/export/telemetryRecord';
import { dimensions, keeps, problemsOf, record } from './ruleHelpers';

type Row = [condition: string, columns: Record<string, ColumnValue | undefined>, kept: boolean];
const table = (rows: Row[]): Row[] => rows;

describe.each([
  [
    'and/or with KQL three-valued logic (a missing itemCount makes `itemCount > 3` null)',
    table([
      ['itemCount > 3 or message == "x"', { message: 'x' }, true],
      ['itemCount > 3 or message == "x"', { message: 'y' }, false],
      ['itemCount > 3 and message == "x"', { message: 'x' }, false],
      ['not(itemCount > 3 and message == "x")', { message: 'x' }, false],
      ['not(itemCount > 3 and message == "y")', { message: 'x' }, true],
      ['not(itemCount > 3 or message == "x")', { message: 'y' }, false],
      ['isnull(itemCount) or itemCount > 3', {}, true],
      ['isnull(itemCount) or itemCount > 3', { itemCount: 2 }, false],
      ['(message == "a" or message == "b") and itemCount == 1', { message: 'b', itemCount: 1 }, true],
      ['message == "a" or message == "b" and itemCount == 1', { message: 'a', itemCount: 2 }, true],
    ]),
  ],
  [
    'dynamic property access',
    table([
      ['customDimensions.tenant == "acme"', { customDimensions: dimensions({ tenant: 'acme' }) }, true],
      ['customDimensions["build id"] == "42"', { customDimensions: dimensions({ 'build id': '42' }) }, true],
      ['customDimensions[\'build id\'] == "42"', { customDimensions: dimensions({ 'build id': '42' }) }, true],
      ['customDimensions.Tenant == "acme"', { customDimensions: dimensions({ tenant: 'acme' }) }, false],
      ['isnull(customDimensions.absent)', { customDimensions: dimensions({}) }, true],
      ['isnull(customDimensions.absent)', {}, true],
      ['isempty(customDimensions.absent)', {}, true],
      ['tostring(customDimensions.absent) == ""', {}, true],
      ['isnull(customDimensions.constructor)', { customDimensions: { tenant: 'acme' } }, true],
      ['isnull(customDimensions.__proto__)', { customDimensions: { tenant: 'acme' } }, true],
      ['isnull(customDimensions.toString)', { customDimensions: { tenant: 'acme' } }, true],
      ['details[0].message == "boom"', { details: [{ message: 'boom' }] }, true],
      ['details[-1].message == "last"', { details: [{ message: 'first' }, { message: 'last' }] }, true],
      ['isnull(details[5])', { details: [] }, true],
      ['isnull(customDimensions.a.b)', { customDimensions: dimensions({ a: 'text' }) }, true],
    ]),
  ],
  [
    'unary minus',
    table([
      ['itemCount == -2', { itemCount: -2 }, true],
      ['-itemCount == 2', { itemCount: -2 }, true],
      ['isnull(-itemCount)', {}, true],
    ]),
  ],
])('%s', (_topic, rows) => {
  it.each(rows)('%s with %j → %s', (condition, columns, kept) => {
    expect(keeps(`exceptions | where ${condition}`, record(columns, 'exceptions'))).toBe(kept);
  });
});

describe('unsupported expressions', () => {
  it.each([
    [
      'arithmetic',
      'requests | where itemCount + 1 > 2',
      "line 1, col 28: operator '+' is not supported in alert rules",
    ],
    [
      'a dynamic key that is not a literal',
      'requests | where customDimensions[name] == "x"',
      'line 1, col 18: cannot read customDimensions[name]: the key must be a string or number literal',
    ],
    ['a property of a string', 'requests | where tostring(name).x == "a"', expect.stringMatching(/^line 1, col 18: /)],
    [
      'a dynamic literal',
      'requests | where customDimensions == dynamic({"a": 1})',
      expect.stringMatching(/^line 1, col 38: .*not supported in alert rules$/),
    ],
  ])('rejects %s', (_what, query, expected) => {
    expect(problemsOf(query)).toContainEqual(expected);
  });
});
