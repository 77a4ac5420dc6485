import fc from 'fast-check';

import { toRecords } from '../../../shared/core/export/toRecords';
import { DEFAULT_MAX_CHARS, TRUNCATED_MARKER } from '../../../shared/core/json/boundedStringify';
import { valueToString } from '../../../shared/core/rules/kqlValues';
import { compiled, dimensions, NOW, record } from './ruleHelpers';

/** A `parsedStack`-like chain nested `depth` deep, as a hostile row can send (issue 10 row 4). */
function deepStack(depth: number): unknown {
  let value: unknown = { method: 'Leaf.Run', line: 1 };
  for (let i = 0; i < depth; i++) value = { level: i, method: `M${i}`, parsedStack: [value] };
  return value;
}

function cyclic(): unknown {
  const node: Record<string, unknown> = { method: 'Loop' };
  node['next'] = { back: node };
  return node;
}

/** Values a predicate may meet in a dynamic column: deep, huge, cyclic, or ordinary. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1_000, max: 6_000 }).map(deepStack),
  fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => new Array<string>(n).fill('frame')),
  fc.integer({ min: 100_000, max: 5_000_000 }).map((n) => 'x'.repeat(n)),
  fc.constant(null).map(cyclic),
  fc.anything({ maxDepth: 6, withDate: true }),
);

/** Rules that stringify a dynamic value: tostring(), string comparisons, has/contains, functions. */
const stringifyingRule = fc.constantFrom(
  'exceptions | where tostring(details) contains "Leaf"',
  'exceptions | where tostring(details) == "x"',
  'exceptions | where details has "frame"',
  'exceptions | where details !contains "M4999"',
  'exceptions | where details == "[]"',
  'exceptions | where details =~ "x"',
  'exceptions | where strlen(tostring(details)) > 10',
  'exceptions | where tolower(tostring(details)) startswith "{"',
  'exceptions | where tostring(details[0].parsedStack) has "Leaf"',
  'exceptions | where details matches regex "M[0-9]+"',
  'exceptions | where customDimensions.stack contains "x" or customDimensions has "y"',
  'exceptions | where tostring(customDimensions) endswith "}"',
  'exceptions | where details in ("a", "b")',
);

describe('predicates over hostile dynamic values', () => {
  it('never throw, whatever the depth, size or shape of the value', () => {
    fc.assert(
      fc.property(stringifyingRule, hostileValue, hostileValue, (query, details, stack) => {
        const rule = compiled(query);
        const row = record({ details: details as never, customDimensions: dimensions({}) as never }, 'exceptions');
        (row.columns['customDimensions'] as Record<string, unknown>)['stack'] = stack;
        expect(() => rule.predicate(row, NOW)).not.toThrow();
      }),
      { numRuns: 120 },
    );
  });

  it('tostring() of a value nested 5,000 deep is cut, not a stack overflow', () => {
    const text = valueToString(deepStack(5_000));
    expect(text.startsWith('{"level":4999,"method":"M4999","parsedStack":[{')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS + TRUNCATED_MARKER.length);
  });

  it('tostring() of an ordinary dynamic value is its JSON, as before', () => {
    const value = [{ type: 'System.Exception', parsedStack: [{ level: 0, method: 'A.B', line: 3 }] }];
    expect(valueToString(value)).toBe(JSON.stringify(value));
    expect(valueToString(dimensions({ tenant: 'x' }))).toBe('{"tenant":"x"}');
  });

  it('a rule over the details of a 10 KB exception row nested 5,000 deep evaluates instead of throwing', () => {
    // Arrange: the row as export writes it, normalized the way the reader does.
    const stack = `${'['.repeat(5_000)}{"level":0,"method":"Leaf"}${']'.repeat(5_000)}`;
    const text = `{"basicException":[{"id":"Representative","typeName":"E"},{"id":"1","outerId":"0","typeName":"E","parsedStack":${stack}}],"context":{"data":{"eventTime":"2024-03-05T13:00:01Z"}}}`;
    const normalized = toRecords(JSON.parse(text) as Record<string, unknown>);
    if (!normalized.ok) throw new Error(normalized.error);
    const [row] = normalized.value;

    // Act & Assert: the leaf lies past the depth limit, so the text has the marker instead of it.
    expect(compiled('exceptions | where details has "Leaf"').predicate(row!, NOW)).toBe(false);
    expect(compiled('exceptions | where tostring(details) contains "nested too deep"').predicate(row!, NOW)).toBe(true);
  });
});
