import { RE2JS } from 're2js';

import { type CompileContext, type CompiledExpression, type Evaluate, evaluateConstant, RULE_CODES } from './compiledExpression';
import { lowerCasedColumn } from './columnMemo';
import { stringOf } from './convertExpression';
import type { KustoElement } from './kustoSyntax';
import { STRING_OPERATORS } from './stringOperators';

/** Compiles `contains`, `has`, `startswith`, `=~` and the rest of `STRING_OPERATORS`; operands as `tostring()`. */
export function compileStringOperator(node: KustoElement, op: string, ctx: CompileContext): CompiledExpression | undefined {
  const operator = STRING_OPERATORS.get(op);
  const left = ctx.compile(node.Left);
  const right = ctx.compile(node.Right);
  if (!operator || !left || !right) return undefined;
  const { test, negated, caseSensitive } = operator;
  const hay = stringOf(left);
  const needle = stringOf(right);
  let evaluate: Evaluate<boolean>;
  if (right.constant) {
    // The literal is lower-cased once per rule, not once per record.
    const text = caseSensitive ? evaluateConstant(needle) : evaluateConstant(needle).toLowerCase();
    if (caseSensitive) evaluate = (record) => test(hay(record), text) !== negated;
    else if (left.type === 'string' && left.column !== undefined) {
      // A column's lower-cased value is shared by every rule testing that column.
      const lower = lowerCasedColumn(left.column);
      evaluate = (record) => test(lower(record), text) !== negated;
    } else evaluate = (record) => test(hay(record).toLowerCase(), text) !== negated;
  } else {
    evaluate = caseSensitive
      ? (record) => test(hay(record), needle(record)) !== negated
      : (record) => test(hay(record).toLowerCase(), needle(record).toLowerCase()) !== negated;
  }
  return { type: 'bool', evaluate, node, constant: false };
}

/**
 * Compiles `matches regex` with RE2 semantics (what Kusto uses), searching anywhere in the text.
 * NOTE: telemetry is attacker-controlled, so the engine is re2js, which runs in linear time; the
 * pattern must be a constant and is compiled once per rule.
 */
export function compileMatchesRegex(node: KustoElement, ctx: CompileContext): CompiledExpression | undefined {
  const left = ctx.compile(node.Left);
  const regex = compileConstantRegex(ctx.compile(node.Right), ctx);
  if (!left || !regex) return undefined;
  const text = stringOf(left);
  return { type: 'bool', evaluate: (record) => regex.test(text(record)), node, constant: false };
}

/**
 * Compiles a constant pattern with RE2, reporting a pattern RE2 rejects (such as a look-behind) or
 * one that is not a constant.
 *
 * @param wrap - turns the pattern into the one compiled, e.g. to anchor it
 */
export function compileConstantRegex(
  pattern: CompiledExpression | undefined,
  ctx: CompileContext,
  wrap: (pattern: string) => string = (p) => p,
): RE2JS | undefined {
  if (!pattern) return undefined;
  if (!pattern.constant || pattern.type !== 'string') {
    ctx.report(pattern.node, 'the regular expression must be a string literal', RULE_CODES.UNSUPPORTED);
    return undefined;
  }
  const source = evaluateConstant(pattern.evaluate);
  try {
    // The bare pattern first, so an error message quotes what the user wrote.
    const regex = RE2JS.compile(source);
    return wrap(source) === source ? regex : RE2JS.compile(wrap(source));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    ctx.report(pattern.node, `invalid regular expression: ${reason}`, RULE_CODES.BAD_REGEX);
    return undefined;
  }
}
