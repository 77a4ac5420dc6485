import fc from 'fast-check';
import { RE2JS } from 're2js';

import { requiredLiterals } from '../../../shared/core/rules/prefilter/regexLiterals';
import { compiled, NOW, record } from './ruleHelpers';

// Two pre-checks skip a regex on text that lacks a literal every match must contain: the prefilter's
// `requiredLiterals` (over raw rows) and the compiled `matches regex` (over the column's value). Both are
// checked here against RE2 itself, the oracle: a string RE2 matches must pass the pre-check, and the
// compiled rule must answer exactly as RE2 does.

type RegexNode =
  | { readonly kind: 'char'; readonly ch: string }
  /** A special character escaped: stands for itself. */
  | { readonly kind: 'escape'; readonly ch: string }
  | { readonly kind: 'dot' }
  | { readonly kind: 'class'; readonly chars: string; readonly negated: boolean }
  | { readonly kind: 'group'; readonly alternatives: readonly (readonly RegexNode[])[] }
  | { readonly kind: 'repeat'; readonly node: RegexNode; readonly quantifier: Quantifier }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };

interface Quantifier {
  readonly text: string;
  readonly min: number;
  readonly max: number;
}

/** Characters the rule pre-check reads as plain, and the specials an escape turns into characters. */
const PLAIN = ['a', 'b', 'c', '1', '-', '/', ' '];
const ESCAPED = ['.', '*', '|', '(', '+', '?', '['];

const quantifierArb: fc.Arbitrary<Quantifier> = fc.oneof(
  fc.constantFrom<Quantifier>(
    { text: '*', min: 0, max: 3 },
    { text: '?', min: 0, max: 1 },
    { text: '+', min: 1, max: 3 },
    { text: '*?', min: 0, max: 3 },
    { text: '??', min: 0, max: 1 },
    { text: '+?', min: 1, max: 3 },
  ),
  fc
    .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom('range', 'exact', 'open'))
    .map(([min, extra, form]): Quantifier => {
      if (form === 'exact') return { text: `{${min}}`, min, max: min };
      if (form === 'open') return { text: `{${min},}`, min, max: min + 2 };
      return { text: `{${min},${min + extra}}`, min, max: min + extra };
    }),
);

const atomArb = (depth: number): fc.Arbitrary<RegexNode> => {
  const leaves: fc.Arbitrary<RegexNode>[] = [
    fc.constantFrom(...PLAIN).map((ch): RegexNode => ({ kind: 'char', ch })),
    fc.constantFrom(...PLAIN).map((ch): RegexNode => ({ kind: 'char', ch })),
    fc.constantFrom(...ESCAPED).map((ch): RegexNode => ({ kind: 'escape', ch })),
    fc.constant<RegexNode>({ kind: 'dot' }),
    fc
      .tuple(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', '1'), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([chars, negated]): RegexNode => ({ kind: 'class', chars: chars.join(''), negated })),
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  return fc.oneof(
    ...leaves,
    fc
      .array(sequenceArb(depth - 1), { minLength: 1, maxLength: 3 })
      .map((alternatives): RegexNode => ({ kind: 'group', alternatives })),
  );
};

const pieceArb = (depth: number): fc.Arbitrary<RegexNode> =>
  fc.oneof(
    { weight: 3, arbitrary: atomArb(depth) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(atomArb(depth), quantifierArb)
        .map(([node, quantifier]): RegexNode => ({ kind: 'repeat', node, quantifier })),
    },
  );

const sequenceArb = (depth: number): fc.Arbitrary<RegexNode[]> => fc.array(pieceArb(depth), { maxLength: 5 });

/** A pattern: top-level alternatives, each maybe anchored at either end. */
const patternArb: fc.Arbitrary<RegexNode[][]> = fc.array(
  fc
    .tuple(fc.boolean(), sequenceArb(2), fc.boolean())
    .map(([start, body, end]) => [
      ...(start ? [{ kind: 'start' } as const] : []),
      ...body,
      ...(end ? [{ kind: 'end' } as const] : []),
    ]),
  { minLength: 1, maxLength: 3 },
);

function render(nodes: readonly RegexNode[]): string {
  return nodes.map(renderNode).join('');
}

function renderNode(node: RegexNode): string {
  switch (node.kind) {
    case 'char':
      return node.ch;
    case 'escape':
      return `\\${node.ch}`;
    case 'dot':
      return '.';
    case 'class':
      return `[${node.negated ? '^' : ''}${node.chars}]`;
    case 'group':
      return `(${node.alternatives.map(render).join('|')})`;
    case 'repeat':
      return `${renderNode(node.node)}${node.quantifier.text}`;
    case 'start':
      return '^';
    case 'end':
      return '$';
  }
}

/** A string the nodes match (anchors aside), its choices taken from `pick`. */
function sample(nodes: readonly RegexNode[], pick: () => number): string {
  return nodes.map((node) => sampleNode(node, pick)).join('');
}

function sampleNode(node: RegexNode, pick: () => number): string {
  switch (node.kind) {
    case 'char':
    case 'escape':
      return node.ch;
    case 'dot':
      return PLAIN[pick() % PLAIN.length] as string;
    case 'class': {
      const pool = node.negated ? ['x', 'z', '.', 'b'].filter((c) => !node.chars.includes(c)) : [...node.chars];
      return pool[pick() % pool.length] as string;
    }
    case 'group':
      return sample(node.alternatives[pick() % node.alternatives.length] as RegexNode[], pick);
    case 'repeat': {
      const { min, max } = node.quantifier;
      const times = min + (pick() % (max - min + 1));
      let text = '';
      for (let i = 0; i < times; i++) text += sampleNode(node.node, pick);
      return text;
    }
    case 'start':
    case 'end':
      return '';
  }
}

/** A pattern, and strings biased to match it: samples of it, some wrapped or with a character dropped. */
const caseArb = fc
  .tuple(
    patternArb,
    fc.array(fc.nat(), { minLength: 8, maxLength: 40 }),
    fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x'), maxLength: 3 }), fc.nat()), {
      minLength: 6,
      maxLength: 6,
    }),
  )
  .map(([alternatives, choices, edits]) => {
    let at = 0;
    const pick = (): number => choices[at++ % choices.length] as number;
    const pattern = alternatives.map(render).join('|');
    const strings = edits.map(([noise, how], i) => {
      const text = sample(alternatives[i % alternatives.length] as RegexNode[], pick);
      if (how % 4 === 1) return `${noise}${text}${noise}`;
      if (how % 4 === 2 && text.length > 0)
        return text.slice(0, how % text.length) + text.slice((how % text.length) + 1);
      if (how % 4 === 3) return noise;
      return text;
    });
    return { pattern, strings };
  })
  .filter(({ pattern }) => compilesInRe2(pattern));

function compilesInRe2(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

const re2Finds = (pattern: string, text: string): boolean => RE2JS.compile(pattern).matcher(text).find();

describe('the regex literal pre-checks agree with RE2', () => {
  it('every string RE2 matches holds one of the literals the prefilter searches for (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ pattern, strings }) => {
        const literals = requiredLiterals(pattern);
        if (literals === undefined) return;
        for (const text of strings) {
          if (re2Finds(pattern, text))
            expect({ pattern, text, found: literals.some((l) => text.includes(l)) }).toEqual({
              pattern,
              text,
              found: true,
            });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a compiled `matches regex` keeps exactly the values RE2 matches (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ pattern, strings }) => {
        const query = compiled(`requests | where name matches regex @"${pattern}"`);
        for (const text of strings) {
          expect({ pattern, text, kept: query.predicate(record({ name: text }), NOW) }).toEqual({
            pattern,
            text,
            kept: re2Finds(pattern, text),
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  // The shapes that escaped a review's mutations, as literals.
  it.each([
    ['ab*c', 'xacx', true],
    ['ab?c', 'ac', true],
    ['ab{0,2}c', 'ac', true],
    ['ab+c', 'abbc', true],
    ['foo|bar', 'bar', true],
    ['foo|bar', 'baz', false],
    ['^GET /a(b|c)', 'GET /ac', true],
    ['x(ab)*y', 'xy', true],
  ])('%j on %j: RE2, the prefilter and the compiled rule all say %s', (pattern, text, expected) => {
    expect(re2Finds(pattern, text)).toBe(expected);
    const literals = requiredLiterals(pattern);
    if (expected && literals !== undefined) expect(literals.some((l) => text.includes(l))).toBe(true);
    expect(compiled(`requests | where name matches regex @"${pattern}"`).predicate(record({ name: text }), NOW)).toBe(
      expected,
    );
  });
});
