import { checkComparable } from './checkComparable';
import { lowerCasedColumn } from './columnMemo';
import { type CompileContext, type CompiledExpression, type Evaluate, evaluateConstant } from './compiledExpression';
import { type Comparable, comparableOf, stringOf } from './convertExpression';
import { compareInstants, subMsTicksOf, TICKS_PER_MS } from './kqlDatetime';
import { dynamicProperty, valueToBool, valueToDatetime, valueToReal, valueToString } from './kqlValues';
import type { KustoElement } from './kustoSyntax';

type Scalar = Exclude<Comparable, null>;

const TESTS: Readonly<Record<string, (a: Scalar, b: Scalar) => boolean>> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** Whether `op` is a comparison `compileComparison` handles. */
export function isComparison(op: string): boolean {
  return Object.prototype.hasOwnProperty.call(TESTS, op);
}

/**
 * Compiles `==`, `!=`, `<`, `<=`, `>`, `>=` with the Kusto docs' null rules: `==` of null and a value
 * is false and `!=` true; both null, or an ordering with a null, is null (so `where` drops the record).
 * Values of different run-time types (a dynamic holding a string against a number) are unequal.
 */
export function compileComparison(node: KustoElement, op: string, ctx: CompileContext): CompiledExpression | undefined {
  const left = ctx.compile(node.Left);
  const right = ctx.compile(node.Right);
  const test = TESTS[op];
  if (!left || !right || !test || !node.Operator || !checkComparable(left, right, node.Operator, ctx)) return undefined;
  const [oneNull, bothNull, mismatch] =
    op === '==' ? [false, null, false] : op === '!=' ? [true, null, true] : [null, null, null];
  const leftValue = comparableOf(left);
  const rightValue = comparableOf(right);
  const constant = right.constant ? evaluateConstant(rightValue) : null;
  const bothDatetimes = left.type === 'datetime' && right.type === 'datetime';
  const constantTicks = right.constant ? evaluateConstant(subMsTicksOf(right)) : 0;
  const evaluate: Evaluate<boolean | null> = right.constant
    ? (compareColumnWithConstant(left, op, constant, oneNull, constantTicks) ??
      (bothDatetimes
        ? compareDatetimes(left, right, test, oneNull, bothNull)
        : compareWithConstant(leftValue, constant, test, oneNull, mismatch)))
    : bothDatetimes
      ? compareDatetimes(left, right, test, oneNull, bothNull)
      : (record) => {
          const a = leftValue(record);
          const b = rightValue(record);
          if (a === null || b === null) return a === b ? bothNull : oneNull;
          return typeof a === typeof b ? test(a, b) : mismatch;
        };
  return { type: 'bool', evaluate, node, constant: false };
}

/**
 * `column <op> constant` as one closure reading the column itself, for a column of a type whose values
 * always have the constant's type (or are null): the same results as `compareWithConstant`, without
 * the calls through shared closures that many rules make slow.
 */
function compareColumnWithConstant(
  left: CompiledExpression,
  op: string,
  constant: Comparable,
  oneNull: boolean | null,
  constantTicks: number,
): Evaluate<boolean | null> | undefined {
  const name = left.column;
  if (constant === null) return undefined;
  if (name === undefined) {
    return left.type === 'dynamic' && left.propertyOf && typeof constant === 'string' && (op === '==' || op === '!=')
      ? propertyEquals(left.propertyOf.column, left.propertyOf.key, constant, op === '!=')
      : undefined;
  }
  switch (left.type) {
    case 'int':
    case 'long':
    case 'real': {
      if (typeof constant !== 'number') return undefined;
      const read = (record: Parameters<Evaluate<unknown>>[0]): number | null => {
        const value = record.columns[name];
        return typeof value === 'number' ? value : valueToReal(value);
      };
      return numberComparison(read, op, constant, oneNull);
    }
    case 'datetime':
      return typeof constant === 'number'
        ? datetimeComparison(
            (record) => valueToDatetime(record.columns[name]),
            subMsTicksOf(left),
            op,
            constant,
            constantTicks,
            oneNull,
          )
        : undefined;
    case 'string': {
      if (typeof constant !== 'string') return undefined;
      if (op === '==')
        return (record) => {
          const value = record.columns[name];
          return (typeof value === 'string' ? value : valueToString(value)) === constant;
        };
      if (op === '!=')
        return (record) => {
          const value = record.columns[name];
          return (typeof value === 'string' ? value : valueToString(value)) !== constant;
        };
      return undefined;
    }
    case 'bool': {
      if (typeof constant !== 'boolean') return undefined;
      if (op === '==')
        return (record) => {
          const value = valueToBool(record.columns[name]);
          return value === null ? oneNull : value === constant;
        };
      if (op === '!=')
        return (record) => {
          const value = valueToBool(record.columns[name]);
          return value === null ? oneNull : value !== constant;
        };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `column.key == text` (or `!=`) on a dynamic column, as `compareWithConstant` compares it. */
function propertyEquals(name: string, key: string, text: string, negated: boolean): Evaluate<boolean> {
  return (record) => {
    const value = dynamicProperty(record.columns[name] ?? null, key);
    // A null is unequal to the text and an object compares as its JSON; any other type is unequal.
    if (value === null) return negated;
    if (typeof value === 'string') return (value === text) !== negated;
    if (typeof value === 'object') return (valueToString(value) === text) !== negated;
    return negated;
  };
}

/** A comparison of a number read from the record with a number, one closure per operator. */
function numberComparison(
  read: Evaluate<number | null>,
  op: string,
  c: number,
  oneNull: boolean | null,
): Evaluate<boolean | null> | undefined {
  switch (op) {
    case '==':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a === c;
      };
    case '!=':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a !== c;
      };
    case '<':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a < c;
      };
    case '<=':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a <= c;
      };
    case '>':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a > c;
      };
    case '>=':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a >= c;
      };
    default:
      return undefined;
  }
}

/**
 * A datetime read from the record against a constant one at Kusto's 100 ns precision: the ticks past
 * the millisecond are read only when the milliseconds tie, so most records cost one number compare.
 */
function datetimeComparison(
  read: Evaluate<number | null>,
  ticks: Evaluate<number>,
  op: string,
  c: number,
  t: number,
  oneNull: boolean | null,
): Evaluate<boolean | null> | undefined {
  switch (op) {
    case '==':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a === c && ticks(record) === t;
      };
    case '!=':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a !== c || ticks(record) !== t;
      };
    case '<':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a < c || (a === c && ticks(record) < t);
      };
    case '<=':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a < c || (a === c && ticks(record) <= t);
      };
    case '>':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a > c || (a === c && ticks(record) > t);
      };
    case '>=':
      return (record) => {
        const a = read(record);
        return a === null ? oneNull : a > c || (a === c && ticks(record) >= t);
      };
    default:
      return undefined;
  }
}

/** Two datetime expressions at 100 ns precision, with the null rules of `compileComparison`. */
function compareDatetimes(
  left: CompiledExpression,
  right: CompiledExpression,
  test: (a: Scalar, b: Scalar) => boolean,
  oneNull: boolean | null,
  bothNull: boolean | null,
): Evaluate<boolean | null> {
  const [leftMs, rightMs] = [numberOf(left), numberOf(right)];
  const [leftTicks, rightTicks] = [subMsTicksOf(left), subMsTicksOf(right)];
  return (record) => {
    const a = leftMs(record);
    const b = rightMs(record);
    if (a === null || b === null) return a === b ? bothNull : oneNull;
    return a !== b ? test(a, b) : test(leftTicks(record), rightTicks(record));
  };
}

function compareWithConstant(
  leftValue: Evaluate<Comparable>,
  constant: Comparable,
  test: (a: Scalar, b: Scalar) => boolean,
  oneNull: boolean | null,
  mismatch: boolean | null,
): Evaluate<boolean | null> {
  if (constant === null) return (record) => (leftValue(record) === null ? null : oneNull);
  const constantType = typeof constant;
  return (record) => {
    const a = leftValue(record);
    if (a === null) return oneNull;
    return typeof a === constantType ? test(a, constant) : mismatch;
  };
}

/**
 * Compiles `in`, `!in`, `in~` and `!in~` over a list of scalars. `in~` compares as lower-cased strings;
 * a null left side is in no list, so `!in` is true for it, like `!=`.
 */
export function compileIn(node: KustoElement, op: string, ctx: CompileContext): CompiledExpression | undefined {
  const left = ctx.compile(node.Left);
  const list = node.Right?.Expressions;
  const items: CompiledExpression[] = [];
  let ok = left !== undefined && list !== undefined && list !== null;
  for (let i = 0; list && i < list.Count; i++) {
    const item = ctx.compile(list.getItem(i).Element);
    if (!item || !left || !checkComparable(left, item, item.node, ctx)) ok = false;
    else items.push(item);
  }
  if (!ok || !left) return undefined;
  const negated = op.startsWith('!');
  const found = op.endsWith('~') ? membershipIgnoringCase(left, items) : membership(left, items);
  const evaluate: Evaluate<boolean | null> = negated ? (record) => !found(record) : found;
  return { type: 'bool', evaluate, node, constant: false };
}

function membershipIgnoringCase(left: CompiledExpression, items: CompiledExpression[]): Evaluate<boolean> {
  const leftText = stringOf(left);
  if (items.every((item) => item.constant)) {
    const set = new Set(items.map((item) => evaluateConstant(stringOf(item)).toLowerCase()));
    if (left.type === 'string' && left.column !== undefined) {
      // A column's lower-cased value is shared by every rule testing that column.
      const lower = lowerCasedColumn(left.column);
      return (record) => set.has(lower(record));
    }
    return (record) => set.has(leftText(record).toLowerCase());
  }
  const texts = items.map(stringOf);
  return (record) => {
    const value = leftText(record).toLowerCase();
    return texts.some((text) => text(record).toLowerCase() === value);
  };
}

function membership(left: CompiledExpression, items: CompiledExpression[]): Evaluate<boolean> {
  const leftValue = comparableOf(left);
  if (items.every((item) => item.constant)) {
    const set = new Set(items.map((item) => evaluateConstant(comparableOf(item))).filter((v) => v !== null));
    return (record) => {
      const value = leftValue(record);
      return value !== null && set.has(value);
    };
  }
  const values = items.map(comparableOf);
  return (record) => {
    const value = leftValue(record);
    return value !== null && values.some((item) => item(record) === value);
  };
}

/**
 * Compiles `between (lo .. hi)` and `!between`, bounds included. A datetime range may end in a
 * timespan, meaning `lo + span`, as in Kusto. Any null operand makes the result null.
 */
export function compileBetween(
  node: KustoElement,
  negated: boolean,
  ctx: CompileContext,
): CompiledExpression | undefined {
  const left = ctx.compile(node.Left);
  const low = ctx.compile(node.Right?.First);
  const high = ctx.compile(node.Right?.Second);
  if (!left || !low || !high || !node.Operator) return undefined;
  const highIsSpan = left.type === 'datetime' && low.type === 'datetime' && high.type === 'timespan';
  const lowOk = checkComparable(left, low, low.node, ctx);
  if (!lowOk || (!highIsSpan && !checkComparable(left, high, high.node, ctx))) return undefined;
  const [value, from, to] = [left, low, high].map(numberOf) as [
    Evaluate<number | null>,
    Evaluate<number | null>,
    Evaluate<number | null>,
  ];
  if (left.type === 'datetime' && low.type === 'datetime') {
    const ticks = [left, low, high].map(subMsTicksOf) as [Evaluate<number>, Evaluate<number>, Evaluate<number>];
    return {
      type: 'bool',
      evaluate: datetimeBetween([value, from, to], ticks, highIsSpan, negated),
      node,
      constant: false,
    };
  }
  const evaluate: Evaluate<boolean | null> = (record) => {
    const a = value(record);
    const lo = from(record);
    const span = to(record);
    if (a === null || lo === null || span === null) return null;
    const inside = lo <= a && a <= (highIsSpan ? lo + span : span);
    return negated ? !inside : inside;
  };
  return { type: 'bool', evaluate, node, constant: false };
}

/** `between` on datetimes at 100 ns precision; a timespan bound is `lo + span`, to the tick. */
function datetimeBetween(
  [value, from, to]: readonly [Evaluate<number | null>, Evaluate<number | null>, Evaluate<number | null>],
  [valueTicks, fromTicks, toTicks]: readonly [Evaluate<number>, Evaluate<number>, Evaluate<number>],
  highIsSpan: boolean,
  negated: boolean,
): Evaluate<boolean | null> {
  return (record) => {
    const a = value(record);
    const lo = from(record);
    const hi = to(record);
    if (a === null || lo === null || hi === null) return null;
    const [aTicks, loTicks] = [valueTicks(record), fromTicks(record)];
    let [hiMs, hiTicks] = [hi, toTicks(record)];
    if (highIsSpan) {
      // Timespans are milliseconds that may hold ticks (`1tick` is 0.0001); carry them exactly.
      const total = loTicks + Math.round(hi * TICKS_PER_MS);
      hiMs = lo + Math.floor(total / TICKS_PER_MS);
      hiTicks = total - Math.floor(total / TICKS_PER_MS) * TICKS_PER_MS;
    }
    const inside = compareInstants(lo, loTicks, a, aTicks) <= 0 && compareInstants(a, aTicks, hiMs, hiTicks) <= 0;
    return negated ? !inside : inside;
  };
}

function numberOf(expression: CompiledExpression): Evaluate<number | null> {
  const value = comparableOf(expression);
  return (record) => {
    const v = value(record);
    return typeof v === 'number' ? v : null;
  };
}
