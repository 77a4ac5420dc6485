import {
  type CompileContext,
  type CompiledExpression,
  elementText,
  type NumberType,
  RULE_CODES,
} from './compiledExpression';
import { withSubMsTicks } from './kqlDatetime';
import { type LiteralValue, parseDatetimeLiteral, parseInteger, parseReal, parseTimespan } from './kqlLiterals';
import type { KustoElement } from './kustoSyntax';

const NUMBER_LITERALS: Readonly<Record<string, { type: NumberType; read: (text: string) => LiteralValue<number> }>> = {
  IntLiteralExpression: { type: 'int', read: parseInteger },
  LongLiteralExpression: { type: 'long', read: parseInteger },
  RealLiteralExpression: { type: 'real', read: parseReal },
  TimespanLiteralExpression: { type: 'timespan', read: parseTimespan },
};

const HINTS: Readonly<Record<NumberType, string>> = {
  int: 'write a whole number such as 500',
  long: 'write a whole number such as 500',
  real: 'write a number such as 2.5',
  timespan: 'write a timespan such as 1.5s, 5m, 100ms or time(00:00:02)',
  datetime: 'write an ISO 8601 time such as datetime(2024-03-05T13:00:00Z)',
};

/** Compiles a literal (`"x"`, `@"x"`, `500`, `2.5`, `true`, `1.5s`, `time(00:00:02)`, `datetime(...)`). */
export function compileLiteral(node: KustoElement, kind: string, ctx: CompileContext): CompiledExpression | undefined {
  const text = node.Token?.ValueText ?? '';
  if (kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression') {
    // ConstantValue joins the parts of `"a" "b"`; a single token's ValueText has its escapes decoded.
    const value = typeof node.ConstantValue === 'string' ? node.ConstantValue : text;
    return { type: 'string', evaluate: () => value, node, constant: true };
  }
  if (kind === 'BooleanLiteralExpression') {
    const value = text === 'true' ? true : text === 'false' ? false : null;
    return { type: 'bool', evaluate: () => value, node, constant: true };
  }
  if (kind === 'DateTimeLiteralExpression') {
    const instant = parseDatetimeLiteral(text);
    if (instant === undefined) {
      ctx.report(
        node,
        `cannot read datetime literal ${elementText(ctx.source, node)}: ${HINTS.datetime}`,
        RULE_CODES.BAD_LITERAL,
      );
      return undefined;
    }
    const ms = instant === null ? null : instant.ms;
    const ticks = instant === null ? 0 : instant.subMsTicks;
    return {
      type: 'datetime',
      evaluate: withSubMsTicks(
        () => ms,
        () => ticks,
      ),
      node,
      constant: true,
    };
  }
  const numeric = NUMBER_LITERALS[kind];
  if (!numeric) {
    ctx.report(
      node,
      `literal ${elementText(ctx.source, node)} is not supported in alert rules`,
      RULE_CODES.UNSUPPORTED,
    );
    return undefined;
  }
  const value = numeric.read(text);
  if (value === undefined) {
    const message = `cannot read ${numeric.type} literal ${elementText(ctx.source, node)}: ${HINTS[numeric.type]}`;
    ctx.report(node, message, RULE_CODES.BAD_LITERAL);
    return undefined;
  }
  return { type: numeric.type, evaluate: () => value, node, constant: true };
}
