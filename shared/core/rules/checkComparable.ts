import { type CompileContext, type CompiledExpression, elementText, RULE_CODES } from './compiledExpression';
import type { KustoElement } from './kustoSyntax';

type Family = 'string' | 'number' | 'datetime' | 'timespan' | 'bool' | 'dynamic';

function familyOf(expression: CompiledExpression): Family {
  switch (expression.type) {
    case 'int':
    case 'long':
    case 'real':
      return 'number';
    default:
      return expression.type;
  }
}

/**
 * Columns that hold milliseconds as a `real` (`duration`, `totalDuration`, ...; the record columns
 * behind workspace `DurationMs`, `TotalDurationMs`, ...). NOTE: Kusto has no
 * implicit real/timespan conversion and its parser rejects `duration > 1.5s`, but Application Insights
 * users write exactly that, so we compare such columns with timespans in milliseconds.
 */
function isMillisecondColumn(expression: CompiledExpression): boolean {
  return expression.type === 'real' && expression.column !== undefined && /duration$/i.test(expression.column);
}

const CONVERTERS: Partial<Record<CompiledExpression['type'], string>> = {
  int: 'toint',
  long: 'toint',
  real: 'todouble',
  bool: 'tobool',
  datetime: 'todatetime',
};

/**
 * Whether Kusto compares these two operands, reporting at `at` (the operator, a list item or a
 * `between` bound) when it does not. The Kusto
 * parser accepts `resultCode == 500` (string with long) though Log Analytics then fails with "Cannot
 * compare values of types string and long", and an alert that can never fire is worse than an error.
 * Dynamic values compare with anything at run time, except that `customDimensions` (workspace:
 * `Properties`) values are always strings, so comparing them with a number would silently never match.
 */
export function checkComparable(
  left: CompiledExpression,
  right: CompiledExpression,
  at: KustoElement,
  ctx: CompileContext,
): boolean {
  const [leftFamily, rightFamily] = [familyOf(left), familyOf(right)];
  if (leftFamily === rightFamily) return true;
  if (leftFamily === 'dynamic' || rightFamily === 'dynamic') {
    const [dynamic, other] = leftFamily === 'dynamic' ? [left, right] : [right, left];
    const converter = CONVERTERS[other.type];
    if (dynamic.dynamicRoot !== 'customDimensions' || !converter) return true;
    const text = elementText(ctx.source, dynamic.node);
    // The bag as the query names it: `Properties` in the workspace schema.
    const bag = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? dynamic.dynamicRoot;
    ctx.report(
      at,
      `${bag} values are strings: convert before comparing with a ${other.type}, e.g. ${converter}(${text})`,
      RULE_CODES.TYPE_MISMATCH,
    );
    return false;
  }
  if (
    (leftFamily === 'timespan' && isMillisecondColumn(right)) ||
    (rightFamily === 'timespan' && isMillisecondColumn(left))
  ) {
    ctx.acceptMillisecondTimespan(at);
    return true;
  }
  ctx.report(
    at,
    `cannot compare ${left.type} with ${right.type}: ${conversionHint(left, right, ctx)}`,
    RULE_CODES.TYPE_MISMATCH,
  );
  return false;
}

function conversionHint(left: CompiledExpression, right: CompiledExpression, ctx: CompileContext): string {
  const [text, other] = left.type === 'string' ? [left, right] : right.type === 'string' ? [right, left] : [];
  const converter = other && CONVERTERS[other.type];
  if (!text || !converter) return 'convert one side with toint(), todouble(), tobool() or tostring()';
  return `convert it first, e.g. ${converter}(${elementText(ctx.source, text.node)})`;
}
