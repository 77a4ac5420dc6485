import fc from 'fast-check';

import type { ColumnValue } from '../../../shared/core/export/telemetryRecord';
import { compileQuery } from '../../../shared/core/rules/compileQuery';
import { compiled, dimensions, NOW, record } from './ruleHelpers';

/** Quotes text as a KQL double-quoted string literal. */
function kqlString(text: string): string {
  let quoted = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') quoted += `\\${ch}`;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    } else quoted += ch;
  }
  return `${quoted}"`;
}

/** Quotes single-line text as a KQL verbatim string literal, where only `"` needs doubling. */
const kqlVerbatim = (text: string): string => `@"${text.replace(/"/g, '""')}"`;

const awkwardText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('"', "'", '\\', 'a', 'A', '\n', '\t', '\r', '@', 'é', '😀', '\u0000', ' '),
    maxLength: 12,
  }),
);

describe('string literals', () => {
  it('name == <quoted s> keeps exactly the records whose name is s', () => {
    fc.assert(
      fc.property(awkwardText, awkwardText, (s, other) => {
        const rule = compiled(`requests | where name == ${kqlString(s)}`);
        expect(rule.predicate(record({ name: s }), NOW)).toBe(true);
        expect(rule.predicate(record({ name: other }), NOW)).toBe(other === s);
      }),
      { numRuns: 150 },
    );
  });

  it('a verbatim literal reads back the same text', () => {
    const singleLine = awkwardText.filter((s) => !/[\r\n\u2028\u2029\u0085]/.test(s));
    fc.assert(
      fc.property(singleLine, (s) => {
        expect(compiled(`requests | where name == ${kqlVerbatim(s)}`).predicate(record({ name: s }), NOW)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

// A small condition language with an obviously-correct evaluator written from the KQL docs: null
// compares per the null-values page, `where` keeps only true, and/or/not are three-valued.
type Condition =
  | { kind: 'count'; op: '==' | '!=' | '<' | '>='; value: number }
  | { kind: 'countIn'; values: number[] }
  | { kind: 'countIsNull' }
  | { kind: 'name'; op: '==' | '!=' | '=~' | 'contains' | 'startswith' | '!has'; value: string }
  | { kind: 'tenant'; op: '==' | '!='; value: string }
  | { kind: 'not'; operand: Condition }
  | { kind: 'and' | 'or'; left: Condition; right: Condition };

interface Row {
  itemCount?: number;
  name?: string;
  tenant?: string;
}

function toKql(c: Condition): string {
  switch (c.kind) {
    case 'count':
      return `itemCount ${c.op} ${c.value}`;
    case 'countIn':
      return `itemCount in (${c.values.join(', ')})`;
    case 'countIsNull':
      return 'isnull(itemCount)';
    case 'name':
      return `name ${c.op} ${kqlString(c.value)}`;
    case 'tenant':
      return `customDimensions.tenant ${c.op} ${kqlString(c.value)}`;
    case 'not':
      return `not(${toKql(c.operand)})`;
    default:
      return `(${toKql(c.left)}) ${c.kind} (${toKql(c.right)})`;
  }
}

function reference(c: Condition, row: Row): boolean | null {
  switch (c.kind) {
    case 'count': {
      const v = row.itemCount;
      if (v === undefined) return c.op === '==' ? false : c.op === '!=' ? true : null;
      return { '==': v === c.value, '!=': v !== c.value, '<': v < c.value, '>=': v >= c.value }[c.op];
    }
    case 'countIn':
      return row.itemCount !== undefined && c.values.includes(row.itemCount);
    case 'countIsNull':
      return row.itemCount === undefined;
    case 'name': {
      const name = row.name ?? '';
      const [lower, value] = [name.toLowerCase(), c.value.toLowerCase()];
      const terms = lower.split(/[^a-z0-9]+/);
      return {
        '==': name === c.value,
        '!=': name !== c.value,
        '=~': lower === value,
        contains: lower.includes(value),
        startswith: lower.startsWith(value),
        '!has': !terms.includes(value),
      }[c.op];
    }
    case 'tenant':
      if (row.tenant === undefined) return c.op === '!=';
      return c.op === '==' ? row.tenant === c.value : row.tenant !== c.value;
    case 'not': {
      const v = reference(c.operand, row);
      return v === null ? null : !v;
    }
    case 'and': {
      const [a, b] = [reference(c.left, row), reference(c.right, row)];
      return a === false || b === false ? false : a === null || b === null ? null : true;
    }
    case 'or': {
      const [a, b] = [reference(c.left, row), reference(c.right, row)];
      return a === true || b === true ? true : a === null || b === null ? null : false;
    }
  }
}

const atom: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    kind: fc.constant('count' as const),
    op: fc.constantFrom('==', '!=', '<', '>=' as const),
    value: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('countIn' as const),
    values: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.constant({ kind: 'countIsNull' as const }),
  fc.record({
    kind: fc.constant('name' as const),
    op: fc.constantFrom('==', '!=', '=~', 'contains', 'startswith', '!has' as const),
    value: fc.constantFrom('a', 'A', 'ab', 'B'),
  }),
  fc.record({
    kind: fc.constant('tenant' as const),
    op: fc.constantFrom('==', '!=' as const),
    value: fc.constantFrom('x', 'y'),
  }),
);

const condition = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'condition' },
    atom,
    fc.record({ kind: fc.constant('not' as const), operand: tie('condition') }),
    fc.record({ kind: fc.constantFrom('and', 'or' as const), left: tie('condition'), right: tie('condition') }),
  ),
})).condition;

const row: fc.Arbitrary<Row> = fc.record(
  {
    itemCount: fc.integer({ min: 0, max: 4 }),
    name: fc.constantFrom('a', 'A', 'ab', 'B', 'a b', 'x-ab', 'bab', ''),
    tenant: fc.constantFrom('x', 'y'),
  },
  { requiredKeys: [] },
);

describe('compiled predicates', () => {
  it('agree with a reference evaluator on random conditions and records', () => {
    fc.assert(
      fc.property(condition, fc.array(row, { minLength: 1, maxLength: 8 }), (c, rows) => {
        const rule = compiled(`requests | where ${toKql(c)}`);
        for (const r of rows) {
          const columns = {
            itemCount: r.itemCount,
            name: r.name,
            ...(r.tenant === undefined ? {} : { customDimensions: dimensions({ tenant: r.tenant }) }),
          };
          expect(rule.predicate(record(columns), NOW)).toBe(reference(c, r) === true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('robustness', () => {
  const fragments = fc.constantFrom(
    'requests',
    'traces',
    '|',
    'where',
    'name',
    'resultCode',
    'customDimensions',
    '.',
    '[',
    ']',
    '(',
    ')',
    '==',
    '!=',
    'and',
    'or',
    'not',
    'has',
    'contains',
    'in',
    'between',
    '..',
    'matches regex',
    '"a"',
    "'b'",
    '@"c"',
    '5',
    '1.5s',
    'datetime(2024-03-05)',
    'toint',
    'trim',
    ',',
    ';',
    'let',
    'summarize',
    'count()',
    '\n',
    '"',
    '//',
    ' ',
  );

  it('answers every text with a result, and every problem has a place inside the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.array(fragments, { maxLength: 14 }).map((parts) => parts.join(' ')),
        ),
        (text) => {
          const result = compileQuery(text);
          if (result.ok) return;
          expect(result.error.length).toBeGreaterThan(0);
          const lines = text.split('\n');
          for (const d of result.error) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines.length);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  const anyValue: fc.Arbitrary<ColumnValue | undefined> = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string(),
    fc.double(),
    fc.boolean(),
    fc.date({ noInvalidDate: false }),
    fc.dictionary(
      fc.constantFrom('tenant', 'n', 'constructor', '__proto__', 'toString'),
      fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    ),
    fc.array(fc.oneof(fc.string(), fc.integer())),
  );

  it('compiled predicates return a boolean for records holding any kind of value', () => {
    const rules = [
      'requests | where toint(resultCode) >= 500 and customDimensions.tenant == "acme"',
      'requests | where name has "x" or url matches regex "a+" or strlen(trim(" ", name)) > 2',
      'requests | where duration between (1s .. 2s) or timestamp > datetime(2024-03-05) or success',
      'requests | where tostring(customDimensions) contains "a" and isnull(customDimensions.n) and itemCount in (1, 2)',
      'requests | where todouble(customDimensions.n) > 1.5 or tobool(customDimensions.tenant) or isempty(customDimensions.toString)',
    ].map(compiled);
    const columns = fc.record({
      resultCode: anyValue,
      name: anyValue,
      url: anyValue,
      duration: anyValue,
      timestamp: anyValue,
      success: anyValue,
      customDimensions: anyValue,
      itemCount: anyValue,
    });
    fc.assert(
      fc.property(columns, (values) => {
        for (const rule of rules) expect(typeof rule.predicate(record(values), NOW)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
