import type { ColumnType } from '../export/tableSchemas';
import { compileBetween, compileComparison, compileIn, isComparison } from './compileComparison';
import {
  type CompileContext,
  type CompiledExpression,
  elementText,
  type Evaluate,
  evaluateConstant,
  RULE_CODES,
} from './compiledExpression';
import { compileFunctionCall } from './compileFunctionCall';
import { compileLiteral } from './compileLiteral';
import { compileMatchesRegex, compileStringOperator } from './compileStringMatch';
import { boolOf } from './convertExpression';
import { dynamicIndex, dynamicProperty, valueToBool, valueToDatetime, valueToReal, valueToString } from './kqlValues';
import type { KustoElement } from './kustoSyntax';
import { STRING_OPERATORS } from './stringOperators';

const IN_KINDS = new Set(['InExpression', 'InCsExpression', 'NotInExpression', 'NotInCsExpression']);

/**
 * Compiles one expression of a `where` condition to a closure over records, reporting through `ctx`
 * anything alert rules cannot evaluate. Returns `undefined` after a problem (ours or the parser's).
 */
export function compileExpression(node: KustoElement, ctx: CompileContext): CompiledExpression | undefined {
  const kind = ctx.kindOf(node);
  switch (kind) {
    case 'ParenthesizedExpression':
      return ctx.compile(node.Expression);
    case 'NameReference':
      return compileColumn(node, ctx);
    case 'PathExpression':
    case 'ElementExpression':
      return compileDynamicAccess(node, kind, ctx);
    case 'FunctionCallExpression':
      return compileFunctionCall(node, ctx);
    case 'UnaryMinusExpression':
    case 'UnaryPlusExpression':
      return compileSign(node, kind === 'UnaryMinusExpression', ctx);
    case 'BetweenExpression':
    case 'NotBetweenExpression':
      return compileBetween(node, kind === 'NotBetweenExpression', ctx);
    case 'SimpleNamedExpression':
      // `where success = false` parses as naming a column `success`; it is always a slip for `==`.
      ctx.report(
        childOfKind(node, 'EqualToken', ctx) ?? node,
        'use == to compare (= assigns)',
        RULE_CODES.UNSUPPORTED,
        node,
      );
      return undefined;
  }
  if (kind.endsWith('LiteralExpression')) return compileLiteral(node, kind, ctx);
  const op = (node.Operator?.Text ?? '').replace(/\s+/g, ' ');
  if (IN_KINDS.has(kind)) return compileIn(node, op, ctx);
  if (node.Left !== undefined && node.Operator) {
    if (op === 'and' || op === 'or') return compileLogical(node, op, ctx);
    if (isComparison(op)) return compileComparison(node, op, ctx);
    if (STRING_OPERATORS.has(op)) return compileStringOperator(node, op, ctx);
    if (op === 'matches regex') return compileMatchesRegex(node, ctx);
    ctx.report(
      node.Operator,
      `operator '${op}' is not supported in alert rules${rewriteHint(node, op, ctx)}`,
      RULE_CODES.UNSUPPORTED,
    );
    return undefined;
  }
  const text = elementText(ctx.source, node);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  ctx.report(node, `'${shown}' is not supported in alert rules`, RULE_CODES.UNSUPPORTED);
  return undefined;
}

/** What to write instead of an operator we do not evaluate, where there is a supported spelling. */
function rewriteHint(node: KustoElement, op: string, ctx: CompileContext): string {
  if (op === '<>') return ": write != for 'not equal'";
  const left = node.Left ? elementText(ctx.source, node.Left).replace(/\s+/g, '') : '';
  const right = node.Right ? elementText(ctx.source, node.Right).replace(/\s+/g, ' ') : '';
  if (left === 'now()' && op === '-') return `: write ago(${right})`;
  if (left === 'now()' && op === '+') return `: write now(${right})`;
  return '';
}

function childOfKind(node: KustoElement, kind: string, ctx: CompileContext): KustoElement | undefined {
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child && ctx.kindOf(child) === kind) return child;
  }
  return undefined;
}

function compileColumn(node: KustoElement, ctx: CompileContext): CompiledExpression | undefined {
  // An unresolved name (including the empty one the parser puts where an expression is missing) was
  // already reported by the parser, and so was an unknown table, which leaves no columns to check.
  if (!node.ReferencedSymbol || !ctx.schema) return undefined;
  const name = node.SimpleName ?? '';
  const column = ctx.schema.columns.get(name);
  if (!column) {
    ctx.report(node, `'${name}' is not a column of table ${ctx.schema.name}`, RULE_CODES.UNSUPPORTED);
    return undefined;
  }
  // The schema's renaming (`DurationMs` → `duration`) is resolved here, once, so the closure reads
  // the record column directly, exactly as a classic query's does.
  ctx.columnsUsed.add(column.recordColumn);
  return readColumn(column.recordColumn, column.type, node);
}

/** Reads a column as its declared type, tolerating a record that holds another JavaScript type. */
function readColumn(name: string, type: ColumnType, node: KustoElement): CompiledExpression {
  const common = { node, constant: false, column: name };
  switch (type) {
    case 'string':
      return {
        ...common,
        type,
        evaluate: (record) => {
          const value = record.columns[name];
          return typeof value === 'string' ? value : valueToString(value);
        },
      };
    case 'int':
    case 'long':
    case 'real':
      return {
        ...common,
        type,
        evaluate: (record) => {
          const value = record.columns[name];
          return typeof value === 'number' ? value : valueToReal(value);
        },
      };
    case 'bool':
      return { ...common, type, evaluate: (record) => valueToBool(record.columns[name]) };
    case 'datetime':
      return { ...common, type, evaluate: (record) => valueToDatetime(record.columns[name]) };
    case 'dynamic':
      return { ...common, type, evaluate: (record) => record.columns[name] ?? null };
  }
}

function compileDynamicAccess(node: KustoElement, kind: string, ctx: CompileContext): CompiledExpression | undefined {
  const target = ctx.compile(node.Expression);
  const key = kind === 'PathExpression' ? node.Selector?.SimpleName : keyOf(ctx.compile(node.Selector?.Expression));
  if (!target) return undefined;
  if (target.type !== 'dynamic' || key === undefined || key === null) {
    const what =
      target.type !== 'dynamic'
        ? `a ${target.type} value has no properties`
        : 'the key must be a string or number literal';
    ctx.report(node, `cannot read ${elementText(ctx.source, node)}: ${what}`, RULE_CODES.UNSUPPORTED);
    return undefined;
  }
  const read = target.evaluate;
  const evaluate: Evaluate<unknown> =
    typeof key === 'number'
      ? (record) => dynamicIndex(read(record), key)
      : (record) => dynamicProperty(read(record), key);
  const dynamicRoot = target.dynamicRoot ?? target.column;
  const propertyOf =
    typeof key === 'string' && target.column !== undefined ? { propertyOf: { column: target.column, key } } : {};
  return {
    type: 'dynamic',
    evaluate,
    node,
    constant: false,
    ...(dynamicRoot === undefined ? {} : { dynamicRoot }),
    ...propertyOf,
  };
}

function keyOf(selector: CompiledExpression | undefined): string | number | undefined {
  if (!selector?.constant) return undefined;
  const value: unknown = evaluateConstant(selector.evaluate);
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? value : undefined;
}

function compileLogical(node: KustoElement, op: 'and' | 'or', ctx: CompileContext): CompiledExpression | undefined {
  const left = ctx.compile(node.Left);
  const right = ctx.compile(node.Right);
  const [a, b] = [left && boolOf(left), right && boolOf(right)];
  for (const [side, condition] of [
    [left, a],
    [right, b],
  ] as const) {
    if (side && !condition)
      ctx.report(side.node, `'${op}' needs a true/false condition on each side`, RULE_CODES.TYPE_MISMATCH);
  }
  if (!a || !b) return undefined;
  // KQL's three-valued logic: null (unknown) and false is false, null or true is true, else null.
  const evaluate: Evaluate<boolean | null> =
    op === 'and'
      ? (record) => {
          const x = a(record);
          if (x === false) return false;
          const y = b(record);
          if (y === false) return false;
          return x === null || y === null ? null : true;
        }
      : (record) => {
          const x = a(record);
          if (x === true) return true;
          const y = b(record);
          if (y === true) return true;
          return x === null || y === null ? null : false;
        };
  return { type: 'bool', evaluate, node, constant: false };
}

function compileSign(node: KustoElement, negative: boolean, ctx: CompileContext): CompiledExpression | undefined {
  const operand = ctx.compile(node.Expression);
  if (!operand) return undefined;
  if (
    operand.type === 'string' ||
    operand.type === 'bool' ||
    operand.type === 'dynamic' ||
    operand.type === 'datetime'
  ) {
    ctx.report(node, `cannot negate a ${operand.type} value`, RULE_CODES.TYPE_MISMATCH);
    return undefined;
  }
  const value = operand.evaluate;
  const evaluate: Evaluate<number | null> = negative
    ? (record) => {
        const v = value(record);
        return v === null ? null : -v;
      }
    : value;
  return { type: operand.type, evaluate, node, constant: operand.constant };
}
