import { convertedColumn } from './columnMemo';
import {
  type CompileContext,
  type CompiledExpression,
  elementText,
  type Evaluate,
  evaluateConstant,
  RULE_CODES,
} from './compiledExpression';
import { compileConstantRegex } from './compileStringMatch';
import { compileAgo, compileNow } from './compileTimeFunction';
import { boolOf, stringOf, toBoolOf } from './convertExpression';
import { parseKustoDatetime, withSubMsTicks } from './kqlDatetime';
import { valueToInt, valueToLong, valueToReal } from './kqlValues';
import type { KustoElement } from './kustoSyntax';

type Compiled = CompiledExpression | undefined;
type FunctionCompiler = (args: CompiledExpression[], call: KustoElement, ctx: CompileContext) => Compiled;

function bool(evaluate: Evaluate<boolean | null>, call: KustoElement, constant = false): CompiledExpression {
  return { type: 'bool', evaluate, node: call, constant };
}

function isEmpty(arg: CompiledExpression): Evaluate<boolean> {
  if (arg.type === 'string') return (record) => arg.evaluate(record) === '';
  const evaluate: Evaluate<unknown> = arg.evaluate;
  return (record) => {
    const value = evaluate(record);
    return value === null || value === '';
  };
}

function isNull(arg: CompiledExpression): Evaluate<boolean> {
  // NOTE: KQL strings are never null: isnull("") is false; isempty() is the test for a missing string.
  if (arg.type === 'string') return () => false;
  const evaluate: Evaluate<unknown> = arg.evaluate;
  return (record) => evaluate(record) === null;
}

function toNumber(
  convert: (value: unknown) => number | null,
  type: 'int' | 'long' | 'real',
  name: string,
): FunctionCompiler {
  return ([arg], call, ctx) => {
    if (!arg) return undefined;
    if (arg.type === 'datetime' || arg.type === 'timespan') {
      ctx.report(
        call,
        `converting a ${arg.type} to a number is not supported: compare it with a ${arg.type} literal`,
        RULE_CODES.UNSUPPORTED,
      );
      return undefined;
    }
    const evaluate: Evaluate<unknown> = arg.evaluate;
    const converted: Evaluate<number | null> = (record) => convert(evaluate(record));
    // A string column's conversion is shared by every rule converting that column.
    const shared =
      arg.type === 'string' && arg.column !== undefined
        ? convertedColumn(arg.column, name, convert, converted)
        : converted;
    return { type, evaluate: shared, node: call, constant: arg.constant };
  };
}

function mapString(map: (text: string) => string): FunctionCompiler {
  return ([arg], call) => {
    if (!arg) return undefined;
    const text = stringOf(arg);
    return { type: 'string', evaluate: (record) => map(text(record)), node: call, constant: arg.constant };
  };
}

/** KQL's strlen counts Unicode code points, so a surrogate pair is one character. */
function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) length -= 1;
    }
  }
  return length;
}

/** `trim(regex, text)` removes every leading and trailing match of the regex, not characters. */
function trimBy(leading: boolean, trailing: boolean): FunctionCompiler {
  return ([pattern, arg], call, ctx) => {
    const start = leading ? compileConstantRegex(pattern, ctx, (p) => `^(?:${p})+`) : undefined;
    const end = trailing ? compileConstantRegex(pattern, ctx, (p) => `(?:${p})+$`) : undefined;
    if (!arg || (leading && !start) || (trailing && !end)) return undefined;
    const text = stringOf(arg);
    const evaluate = (record: Parameters<Evaluate<string>>[0]): string => {
      const value = text(record);
      let from = 0;
      let to = value.length;
      const head = start?.matcher(value);
      if (head?.find()) from = head.end();
      const tail = end?.matcher(value);
      if (tail?.find(from)) to = Math.max(tail.start(), from);
      return value.slice(from, to);
    };
    return { type: 'string', evaluate, node: call, constant: arg.constant };
  };
}

/**
 * `todatetime()` in the formats Kusto documents (see `parseKustoDatetime`). Text that does not convert
 * is null at run time, as in Kusto; a constant that does not convert is reported, since the rule
 * would silently compare with null.
 */
function toDatetime([arg]: CompiledExpression[], call: KustoElement, ctx: CompileContext): Compiled {
  if (!arg) return undefined;
  if (arg.type === 'datetime') return { ...arg, node: call };
  const text = stringOf(arg);
  if (arg.constant) {
    const instant = parseKustoDatetime(evaluateConstant(text));
    if (!instant) {
      const message = `todatetime() cannot convert ${elementText(ctx.source, arg.node)} to a datetime: write an ISO 8601 time such as '2024-03-05T13:00:00Z'`;
      ctx.report(arg.node, message, RULE_CODES.BAD_LITERAL);
      return undefined;
    }
    return {
      type: 'datetime',
      evaluate: withSubMsTicks(
        () => instant.ms,
        () => instant.subMsTicks,
      ),
      node: call,
      constant: true,
    };
  }
  const evaluate = withSubMsTicks(
    (record) => parseKustoDatetime(text(record))?.ms ?? null,
    // Read again only when a comparison ties on the millisecond.
    (record) => parseKustoDatetime(text(record))?.subMsTicks ?? 0,
  );
  return { type: 'datetime', evaluate, node: call, constant: false };
}

/** Every function alert rules evaluate, by KQL name: `arity` arguments, the last `optional` of them optional. */
const FUNCTIONS: Readonly<
  Record<string, { readonly arity: number; readonly optional?: number; readonly compile: FunctionCompiler }>
> = {
  not: {
    arity: 1,
    compile: ([arg], call, ctx) => {
      const condition = arg && boolOf(arg);
      if (!arg || !condition) {
        if (arg) ctx.report(arg.node, 'not() needs a true/false condition', RULE_CODES.TYPE_MISMATCH);
        return undefined;
      }
      return bool((record) => {
        const value = condition(record);
        return value === null ? null : !value;
      }, call);
    },
  },
  isempty: { arity: 1, compile: ([arg], call) => arg && bool(isEmpty(arg), call) },
  isnotempty: { arity: 1, compile: ([arg], call) => arg && bool(negate(isEmpty(arg)), call) },
  isnull: { arity: 1, compile: ([arg], call) => arg && bool(isNull(arg), call) },
  isnotnull: { arity: 1, compile: ([arg], call) => arg && bool(negate(isNull(arg)), call) },
  tostring: { arity: 1, compile: mapString((text) => text) },
  toint: { arity: 1, compile: toNumber(valueToInt, 'int', 'toint') },
  tolong: { arity: 1, compile: toNumber(valueToLong, 'long', 'tolong') },
  todouble: { arity: 1, compile: toNumber(valueToReal, 'real', 'toreal') },
  toreal: { arity: 1, compile: toNumber(valueToReal, 'real', 'toreal') },
  tobool: { arity: 1, compile: ([arg], call) => arg && bool(toBoolOf(arg), call, arg.constant) },
  toboolean: { arity: 1, compile: ([arg], call) => arg && bool(toBoolOf(arg), call, arg.constant) },
  todatetime: { arity: 1, compile: toDatetime },
  tolower: { arity: 1, compile: mapString((text) => text.toLowerCase()) },
  toupper: { arity: 1, compile: mapString((text) => text.toUpperCase()) },
  strlen: {
    arity: 1,
    compile: ([arg], call) => {
      if (!arg) return undefined;
      const text = stringOf(arg);
      return { type: 'long', evaluate: (record) => codePointLength(text(record)), node: call, constant: arg.constant };
    },
  },
  trim: { arity: 2, compile: trimBy(true, true) },
  trim_start: { arity: 2, compile: trimBy(true, false) },
  trim_end: { arity: 2, compile: trimBy(false, true) },
  ago: { arity: 1, compile: compileAgo },
  now: { arity: 1, optional: 1, compile: compileNow },
};

function negate(test: Evaluate<boolean>): Evaluate<boolean> {
  return (record) => !test(record);
}

/** Names of the functions alert rules support, for suggestions. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

/** Compiles a call of a supported function; any other function is reported by name. */
export function compileFunctionCall(call: KustoElement, ctx: CompileContext): CompiledExpression | undefined {
  const name = call.Name?.SimpleName ?? '';
  const nameNode = call.Name ?? call;
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) {
    ctx.report(
      nameNode,
      `function '${name}' is not supported in alert rules (supported: ${SUPPORTED_FUNCTIONS.join(', ')})`,
      RULE_CODES.UNSUPPORTED,
    );
    return undefined;
  }
  const list = call.ArgumentList?.Expressions;
  const args: CompiledExpression[] = [];
  let ok = true;
  for (let i = 0; list && i < list.Count; i++) {
    const arg = ctx.compile(list.getItem(i).Element);
    if (arg) args.push(arg);
    else ok = false;
  }
  if (!ok) return undefined;
  const fewest = fn.arity - (fn.optional ?? 0);
  if (args.length < fewest || args.length > fn.arity) {
    const count = fewest === fn.arity ? `${fn.arity}` : `${fewest} or ${fn.arity}`;
    ctx.report(
      nameNode,
      `function '${name}' expects ${count} argument${fn.arity === 1 && fewest === 1 ? '' : 's'}`,
      RULE_CODES.UNSUPPORTED,
    );
    return undefined;
  }
  return fn.compile(args, call, ctx);
}
