import { RE2JS } from 're2js';

import { lowerCasedColumn } from './columnMemo';
import {
  type CompileContext,
  type CompiledExpression,
  type Evaluate,
  evaluateConstant,
  RULE_CODES,
} from './compiledExpression';
import { stringOf } from './convertExpression';
import { translateKustoRegex } from './kustoRegex';
import type { KustoElement } from './kustoSyntax';
import { hasTerm, STRING_OPERATORS } from './stringOperators';

/** Compiles `contains`, `has`, `startswith`, `=~` and the rest of `STRING_OPERATORS`; operands as `tostring()`. */
export function compileStringOperator(
  node: KustoElement,
  op: string,
  ctx: CompileContext,
): CompiledExpression | undefined {
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
    if (caseSensitive)
      evaluate = withConstant(op, hay, text, negated) ?? ((record) => test(hay(record), text) !== negated);
    else if (left.type === 'string' && left.column !== undefined) {
      // A column's lower-cased value is shared by every rule testing that column.
      const lower = lowerCasedColumn(left.column);
      evaluate = withConstant(op, lower, text, negated) ?? ((record) => test(lower(record), text) !== negated);
    } else evaluate = (record) => test(hay(record).toLowerCase(), text) !== negated;
  } else {
    evaluate = caseSensitive
      ? (record) => test(hay(record), needle(record)) !== negated
      : (record) => test(hay(record).toLowerCase(), needle(record).toLowerCase()) !== negated;
  }
  return { type: 'bool', evaluate, node, constant: false };
}

/**
 * The operator's test against a constant as its own closure, calling the string method directly
 * rather than through the operator's shared `test`; `undefined` for an operator it does not cover.
 */
function withConstant(
  op: string,
  read: Evaluate<string>,
  text: string,
  negated: boolean,
): Evaluate<boolean> | undefined {
  switch (op.replace(/^!/, '').replace(/_cs$/, '')) {
    case 'contains':
      return (record) => read(record).includes(text) !== negated;
    case 'startswith':
      return (record) => read(record).startsWith(text) !== negated;
    case 'endswith':
      return (record) => read(record).endsWith(text) !== negated;
    case 'has':
      return (record) => hasTerm(read(record), text, true, true) !== negated;
    case 'hasprefix':
      return (record) => hasTerm(read(record), text, true, false) !== negated;
    case 'hassuffix':
      return (record) => hasTerm(read(record), text, false, true) !== negated;
    case '=~':
    case '~':
      return (record) => (read(record) === text) !== negated;
    default:
      return undefined;
  }
}

/**
 * Compiles `matches regex` with Kusto's regex semantics (see `translateKustoRegex`), searching anywhere in the text.
 * NOTE: telemetry is attacker-controlled, so the engine is re2js, which runs in linear time; the
 * pattern must be a constant and is compiled once per rule.
 */
export function compileMatchesRegex(node: KustoElement, ctx: CompileContext): CompiledExpression | undefined {
  const left = ctx.compile(node.Left);
  const right = ctx.compile(node.Right);
  const regex = compileConstantRegex(right, ctx);
  if (!left || !right || !regex) return undefined;
  const text = stringOf(left);
  const source = evaluateConstant(stringOf(right));
  const required = requiredLiteral(source);
  let evaluate: Evaluate<boolean>;
  if (required === undefined) evaluate = (record) => regex.test(text(record));
  else if (required.anchored) {
    const prefix = required.literal;
    evaluate = (record) => {
      const value = text(record);
      return value.startsWith(prefix) && regex.test(value);
    };
  } else {
    const literal = required.literal;
    evaluate = (record) => {
      const value = text(record);
      return value.includes(literal) && regex.test(value);
    };
  }
  return { type: 'bool', evaluate, node, constant: false };
}

/** Characters that stand for themselves in an RE2 pattern (without flags) wherever they are. */
const PLAIN = /^[A-Za-z0-9 /_\-:,;=!@%&~'"<>#]*/;

/**
 * Text every match of `pattern` must contain, so the regex need not run on text without it: the
 * run of plain characters at the pattern's start, as a prefix when the pattern starts with `^`.
 * Conservative: nothing for a pattern with an alternation, and a plain character followed by a
 * quantifier that may make it optional is left out.
 */
function requiredLiteral(pattern: string): { readonly literal: string; readonly anchored: boolean } | undefined {
  if (pattern.includes('|')) return undefined;
  const anchored = pattern.startsWith('^');
  const body = anchored ? pattern.slice(1) : pattern;
  let literal = PLAIN.exec(body)?.[0] ?? '';
  const next = body.charAt(literal.length);
  if (next === '?' || next === '*' || next === '{' || next === '+') literal = literal.slice(0, -1);
  return literal.length === 0 ? undefined : { literal, anchored };
}

/**
 * Compiles a constant Kusto pattern with RE2, reporting a construct the two engines read differently
 * (`translateKustoRegex`), a pattern RE2 rejects (such as a look-behind) or one that is not a constant.
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
  const translated = translateKustoRegex(source);
  if (!translated.ok) {
    ctx.report(
      pattern.node,
      `regular expression construct ${translated.construct} is not supported: ${translated.reason}`,
      RULE_CODES.BAD_REGEX,
    );
    return undefined;
  }
  try {
    return RE2JS.compile(wrap(translated.source));
  } catch (translatedError: unknown) {
    // The user's own pattern's error, where it has one, quotes what the user wrote.
    const error = compileError(source) ?? translatedError;
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    ctx.report(pattern.node, `invalid regular expression: ${reason}`, RULE_CODES.BAD_REGEX);
    return undefined;
  }
}

function compileError(source: string): unknown {
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error: unknown) {
    return error;
  }
}
