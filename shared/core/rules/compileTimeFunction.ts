import {
  type CompileContext,
  type CompiledExpression,
  elementText,
  type Evaluate,
  evaluateConstant,
  RULE_CODES,
} from './compiledExpression';
import { TICKS_PER_MS, withSubMsTicks } from './kqlDatetime';
import type { KustoElement } from './kustoSyntax';
import type { QueryClock } from './queryClock';

/** `now()` and `now(offset)`: the evaluation time, plus the offset. */
export function compileNow(
  [offset]: CompiledExpression[],
  call: KustoElement,
  ctx: CompileContext,
): CompiledExpression | undefined {
  return relativeToNow(offset, 1, call, ctx);
}

/** `ago(span)`: the evaluation time minus the span. */
export function compileAgo(
  [span]: CompiledExpression[],
  call: KustoElement,
  ctx: CompileContext,
): CompiledExpression | undefined {
  return relativeToNow(span, -1, call, ctx);
}

/**
 * A datetime at `sign × offset` from the query's evaluation time (`QueryClock`), to the 100 ns tick.
 * It is not `constant`: constants are folded when the rule compiles, and the time is known only when a
 * record is evaluated. With a constant offset a record costs one read of the clock and one addition.
 */
function relativeToNow(
  offset: CompiledExpression | undefined,
  sign: 1 | -1,
  call: KustoElement,
  ctx: CompileContext,
): CompiledExpression | undefined {
  if (offset && offset.type !== 'timespan') {
    ctx.report(
      offset.node,
      `expected a timespan such as 1h, 5m or 30s, not ${elementText(ctx.source, offset.node)}`,
      RULE_CODES.TYPE_MISMATCH,
    );
    return undefined;
  }
  const clock = ctx.readClock();
  const result = (evaluate: Evaluate<number | null>): CompiledExpression => ({
    type: 'datetime',
    evaluate,
    node: call,
    constant: false,
  });
  if (!offset) return result(() => clock.nowMs);
  const span = offset.evaluate;
  if (!offset.constant) {
    return result(
      withSubMsTicks(
        (record) => shifted(clock, span(record), sign)?.ms ?? null,
        (record) => shifted(clock, span(record), sign)?.ticks ?? 0,
      ),
    );
  }
  const fixed = shifted({ nowMs: 0 }, evaluateConstant(span), sign);
  if (!fixed) return result(() => null);
  const { ms, ticks } = fixed;
  return result(
    ticks === 0
      ? () => clock.nowMs + ms
      : withSubMsTicks(
          () => clock.nowMs + ms,
          () => ticks,
        ),
  );
}

/**
 * The clock's time moved by `sign × spanMs`, as floored milliseconds and the ticks past them. A
 * timespan is milliseconds that may hold ticks (`1tick` is 0.0001); a whole number of milliseconds is
 * taken as it is, since its tick count may exceed 2^53 (`ago(36500d)`).
 */
function shifted(clock: QueryClock, spanMs: number | null, sign: 1 | -1): { ms: number; ticks: number } | undefined {
  if (spanMs === null) return undefined;
  if (Number.isInteger(spanMs)) return { ms: clock.nowMs + sign * spanMs, ticks: 0 };
  const total = Math.round(sign * spanMs * TICKS_PER_MS);
  const ms = Math.floor(total / TICKS_PER_MS);
  return { ms: clock.nowMs + ms, ticks: total - ms * TICKS_PER_MS };
}
