import type { CompiledExpression, Evaluate } from './compiledExpression';
import { subMsTicksOf } from './kqlDatetime';
import { formatDatetime, formatTimespan, valueToBool, valueToString } from './kqlValues';

/** A scalar as comparisons see it; dynamic objects and arrays compare as their JSON text. */
export type Comparable = string | number | boolean | null;

/** `tostring()` of any expression: `""` for null, Kusto's text for datetimes and timespans. */
export function stringOf(expression: CompiledExpression): Evaluate<string> {
  switch (expression.type) {
    case 'string':
      return expression.evaluate;
    case 'datetime': {
      const evaluate = expression.evaluate;
      const ticks = subMsTicksOf(expression);
      return (record) => {
        const ms = evaluate(record);
        return ms === null ? '' : formatDatetime(ms, ticks(record));
      };
    }
    case 'timespan': {
      const evaluate = expression.evaluate;
      return (record) => {
        const ms = evaluate(record);
        return ms === null ? '' : formatTimespan(ms);
      };
    }
    default: {
      const evaluate: Evaluate<unknown> = expression.evaluate;
      return (record) => valueToString(evaluate(record));
    }
  }
}

/** A condition's three-valued truth: a dynamic value counts only when it holds a boolean. */
export function boolOf(expression: CompiledExpression): Evaluate<boolean | null> | undefined {
  if (expression.type === 'bool') return expression.evaluate;
  if (expression.type !== 'dynamic') return undefined;
  const evaluate = expression.evaluate;
  return (record) => {
    const value = evaluate(record);
    return typeof value === 'boolean' ? value : null;
  };
}

/** The value comparisons work on: numbers, strings, booleans or null. */
export function comparableOf(expression: CompiledExpression): Evaluate<Comparable> {
  if (expression.type !== 'dynamic') return expression.evaluate;
  const evaluate = expression.evaluate;
  return (record) => {
    const value = evaluate(record);
    if (value === null || value === undefined) return null;
    return typeof value === 'object' ? valueToString(value) : (value as Comparable);
  };
}

/** `tobool()` of any expression. */
export function toBoolOf(expression: CompiledExpression): Evaluate<boolean | null> {
  if (expression.type === 'bool') return expression.evaluate;
  const evaluate: Evaluate<unknown> = expression.evaluate;
  return (record) => valueToBool(evaluate(record));
}
