import { at, missingElement } from '../../defined';
import { parseKusto, syntaxKindName } from '../kustoParser';
import type { KustoElement } from '../kustoSyntax';
import { type QuerySchema, querySchemaOf } from '../querySchema';
import { ANY, boolFilter, literalFilter, type LiteralPlace, needle } from './literalNeedles';
import type { RawFilter } from './rawFilterShape';
import { boolKey, columnSource, propertySource, type RawFormat, type RawSource } from './rawSources';
import { requiredLiterals } from './regexLiterals';

export type { RawFilter } from './rawFilterShape';
export type { RawFormat } from './rawSources';

// `\"`, `\\`, `\n` and the like spell only characters that make a literal need a backslash needle of
// its own (literalFilter), so rows holding only those (4.9% of the bench blob's) need not pass.
const HIDING_ESCAPES: readonly RawFilter[] = [needle('\\u'), needle('\\/')];

/**
 * A necessary condition on a row's raw bytes: if the query keeps the row, the filter passes its bytes.
 *
 * A needle's text is searched as UTF-8 bytes; `caseInsensitive` needles are ASCII only and match
 * ASCII letters of either case. Every filter other than `any` admits a row holding `\u` or `\/`
 * (explicit needles), the JSON escapes that can spell a literal's character without its bytes; a
 * literal holding a character JSON must escape (`"`, `\`, a control) needs a backslash itself.
 * The query is assumed to compile (`compileQuery`); a part of it this does not understand gives `any`.
 */
export function rawFilterOf(query: string, format: RawFormat): RawFilter {
  const parsed = parseKusto(query);
  const pipeline = parsed.root ? readPipeline(parsed.root) : undefined;
  if (!pipeline) return ANY;
  const walk: Walk = { schema: pipeline.schema, format };
  const filter = allOf(pipeline.conditions.map((condition) => filterOf(condition, walk)));
  return filter.kind === 'any' ? ANY : anyOf([filter, ...HIDING_ESCAPES]);
}

/** Whether a row's bytes (one line, no line break needed) pass the filter. */
export function rawFilterPasses(filter: RawFilter, row: Buffer): boolean {
  let lower: Buffer | undefined;
  return filterHolds(filter, (needle) => {
    if (!needle.caseInsensitive) return row.includes(needleBytes(needle.text));
    lower ??= asciiLowerCase(row);
    return lower.includes(needleBytes(needle.text.toLowerCase()));
  });
}

/** Whether `filter` holds when each of its needles holds as `holds` says (one walk for bytes and text). */
export function filterHolds(
  filter: RawFilter,
  holds: (needle: Extract<RawFilter, { kind: 'needle' }>) => boolean,
): boolean {
  switch (filter.kind) {
    case 'any':
      return true;
    case 'and':
      return filter.filters.every((f) => filterHolds(f, holds));
    case 'or':
      return filter.filters.some((f) => filterHolds(f, holds));
    case 'needle':
      return holds(filter);
  }
}

const NEEDLE_BYTES = new Map<string, Buffer>();

function needleBytes(text: string): Buffer {
  let bytes = NEEDLE_BYTES.get(text);
  if (bytes === undefined) {
    bytes = Buffer.from(text, 'utf8');
    if (NEEDLE_BYTES.size < 10_000) NEEDLE_BYTES.set(text, bytes);
  }
  return bytes;
}

function asciiLowerCase(row: Buffer): Buffer {
  const out = Buffer.allocUnsafe(row.length);
  for (let i = 0; i < row.length; i++) {
    const b = row[i];
    if (b === undefined) throw missingElement('row bytes', i, row.length);
    out[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  return out;
}

interface Walk {
  readonly schema: QuerySchema;
  readonly format: RawFormat;
}

interface Pipeline {
  readonly schema: QuerySchema;
  readonly conditions: KustoElement[];
}

/** `<table> | where c1 | where c2 ...`, as compileQuery accepts it (checked before this runs). */
function readPipeline(root: KustoElement): Pipeline | undefined {
  let statement: KustoElement | undefined;
  for (let i = 0; root.Statements && i < root.Statements.Count; i++) {
    const element = root.Statements.getItem(i).Element;
    if (element && element.Width > 0 && syntaxKindName(element) === 'ExpressionStatement') statement = element;
  }
  const conditions: KustoElement[] = [];
  let head = statement?.Expression;
  while (head && syntaxKindName(head) === 'PipeExpression' && head.Expression && head.Operator) {
    if (syntaxKindName(head.Operator) !== 'FilterOperator' || !head.Operator.Condition) return undefined;
    conditions.push(head.Operator.Condition);
    head = head.Expression;
  }
  const schema = head && syntaxKindName(head) === 'NameReference' ? querySchemaOf(head.SimpleName ?? '') : undefined;
  return schema ? { schema, conditions } : undefined;
}

interface StringPlace {
  readonly place: LiteralPlace;
  readonly caseInsensitive: boolean;
}

/** Non-negated string operators, by where the literal must sit in the value and whether case counts. */
const STRING_PLACES: ReadonlyMap<string, StringPlace> = new Map(
  (['contains', 'has', 'hasprefix', 'hassuffix', 'startswith', 'endswith'] as const).flatMap(
    (name): Array<[string, StringPlace]> => {
      const place: LiteralPlace = name === 'startswith' ? 'prefix' : name === 'endswith' ? 'suffix' : 'contains';
      return [
        [name, { place, caseInsensitive: true }],
        [`${name}_cs`, { place, caseInsensitive: false }],
      ];
    },
  ),
);

function filterOf(node: KustoElement, walk: Walk): RawFilter {
  const kind = syntaxKindName(node);
  if (kind === 'ParenthesizedExpression') return node.Expression ? filterOf(node.Expression, walk) : ANY;
  if (node.Left === undefined || !node.Left || !node.Right || !node.Operator) return ANY;
  const op = (node.Operator.Text ?? '').replace(/\s+/g, ' ');
  if (op === 'and') return allOf([filterOf(node.Left, walk), filterOf(node.Right, walk)]);
  if (op === 'or') return anyOf([filterOf(node.Left, walk), filterOf(node.Right, walk)]);
  if (op === 'in' || op === 'in~') return inFilter(node.Left, node.Right, op === 'in~', walk);
  if (op === '==' && syntaxKindName(node.Right) === 'BooleanLiteralExpression')
    return boolEquals(node.Left, node.Right, walk);
  const source = sourceOf(node.Left, walk);
  if (source === undefined) return ANY;
  if (op === 'matches regex') return regexFilter(node.Right, source);
  const literal = stringLiteral(node.Right);
  if (literal === undefined) return ANY;
  if (op === '==' || op === '=~') return literalFilter(literal, source, 'equals', op === '=~');
  const string = STRING_PLACES.get(op);
  return string ? literalFilter(literal, source, string.place, string.caseInsensitive) : ANY;
}

function boolEquals(left: KustoElement, literal: KustoElement, walk: Walk): RawFilter {
  const text = literal.Token?.ValueText ?? literal.Token?.Text ?? '';
  const column = syntaxKindName(left) === 'NameReference' ? walk.schema.columns.get(left.SimpleName ?? '') : undefined;
  const key = column?.type === 'bool' ? boolKey(walk.format, walk.schema.table, column.recordColumn) : undefined;
  return key !== undefined && (text === 'true' || text === 'false')
    ? boolFilter(key, text === 'true', walk.format)
    : ANY;
}

function inFilter(left: KustoElement, list: KustoElement, caseInsensitive: boolean, walk: Walk): RawFilter {
  const source = sourceOf(left, walk);
  const items = list.Expressions;
  if (source === undefined || !items || items.Count === 0) return ANY;
  const filters: RawFilter[] = [];
  for (let i = 0; i < items.Count; i++) {
    const item = items.getItem(i).Element;
    const literal = item ? stringLiteral(item) : undefined;
    if (literal === undefined) return ANY;
    filters.push(literalFilter(literal, source, 'equals', caseInsensitive));
  }
  return anyOf(filters);
}

function regexFilter(pattern: KustoElement, source: RawSource): RawFilter {
  const text = stringLiteral(pattern);
  // A number's text has no literal worth searching, and its digits may not be the row's.
  const literals = text === undefined || source.kind !== 'verbatim' ? undefined : requiredLiterals(text);
  return literals ? anyOf(literals.map((literal) => literalFilter(literal, source, 'contains', false))) : ANY;
}

/** How the value an operator reads appears in the raw row, for the column reads we understand. */
function sourceOf(node: KustoElement, walk: Walk): RawSource | undefined {
  const kind = syntaxKindName(node);
  switch (kind) {
    case 'ParenthesizedExpression':
      return node.Expression ? sourceOf(node.Expression, walk) : undefined;
    case 'NameReference': {
      const column = walk.schema.columns.get(node.SimpleName ?? '');
      return column?.type === 'string' ? columnSource(walk.format, walk.schema.table, column.recordColumn) : undefined;
    }
    case 'PathExpression':
    case 'ElementExpression': {
      const target = node.Expression;
      if (!target || syntaxKindName(target) !== 'NameReference') return undefined;
      const column = walk.schema.columns.get(target.SimpleName ?? '');
      const key =
        kind === 'PathExpression'
          ? node.Selector?.SimpleName
          : node.Selector?.Expression && stringLiteral(node.Selector.Expression);
      return column?.type === 'dynamic' && key ? propertySource(walk.format, column.recordColumn, key) : undefined;
    }
    case 'FunctionCallExpression': {
      // tostring() of a string is the string itself.
      const args = node.ArgumentList?.Expressions;
      const arg = args?.Count === 1 ? args.getItem(0).Element : undefined;
      return node.Name?.SimpleName === 'tostring' && arg ? sourceOf(arg, walk) : undefined;
    }
    default:
      return undefined;
  }
}

function stringLiteral(node: KustoElement): string | undefined {
  const kind = syntaxKindName(node);
  if (kind !== 'StringLiteralExpression' && kind !== 'CompoundStringLiteralExpression') return undefined;
  if (typeof node.ConstantValue === 'string') return node.ConstantValue;
  return kind === 'StringLiteralExpression' ? (node.Token?.ValueText ?? undefined) : undefined;
}

/** Conjunction, flattened: `any` parts dropped, since the others still must hold. */
function allOf(filters: readonly RawFilter[]): RawFilter {
  const parts = filters.flatMap((f) => (f.kind === 'and' ? f.filters : f.kind === 'any' ? [] : [f]));
  return parts.length === 0
    ? ANY
    : parts.length === 1
      ? at(parts, 0, 'conjuncts')
      : { kind: 'and', filters: dedupe(parts) };
}

/** Disjunction, flattened: one `any` branch makes the whole `any`. */
function anyOf(filters: readonly RawFilter[]): RawFilter {
  const parts = filters.flatMap((f) => (f.kind === 'or' ? f.filters : [f]));
  if (parts.length === 0 || parts.some((f) => f.kind === 'any')) return ANY;
  const unique = dedupe(parts);
  return unique.length === 1 ? at(unique, 0, 'disjuncts') : { kind: 'or', filters: unique };
}

function dedupe(filters: readonly RawFilter[]): RawFilter[] {
  const seen = new Set<string>();
  return filters.filter((f) => {
    const key = JSON.stringify(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
