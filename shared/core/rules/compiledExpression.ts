import type { TelemetryRecord } from '../export/telemetryRecord';
import type { KustoElement } from './kustoSyntax';
import type { QueryClock } from './queryClock';
import type { QuerySchema } from './querySchema';

/** Types whose values are JavaScript numbers: timespans in milliseconds, datetimes in epoch milliseconds. */
export type NumberType = 'int' | 'long' | 'real' | 'datetime' | 'timespan';

export type Evaluate<T> = (record: TelemetryRecord) => T;

interface CompiledCommon {
  /** Where the expression is, for diagnostics about it. */
  readonly node: KustoElement;
  /** True when the value does not depend on the record, so it can be computed once. */
  readonly constant: boolean;
  /** The record column (classic name) read, when the expression is a bare column reference. */
  readonly column?: string;
  /** The column a dynamic access starts from (`customDimensions` in `customDimensions.tenant`). */
  readonly dynamicRoot?: string;
  /** The column and key, when the expression is a property of a bare dynamic column (`customDimensions.tenant`). */
  readonly propertyOf?: { readonly column: string; readonly key: string };
}

/** An expression compiled to a closure over records. Strings are never null, as in KQL. */
export type CompiledExpression = CompiledCommon &
  (
    | { readonly type: 'string'; readonly evaluate: Evaluate<string> }
    | { readonly type: NumberType; readonly evaluate: Evaluate<number | null> }
    | { readonly type: 'bool'; readonly evaluate: Evaluate<boolean | null> }
    | { readonly type: 'dynamic'; readonly evaluate: Evaluate<unknown> }
  );

/** What the expression compilers share while compiling one query. */
export interface CompileContext {
  /** The whole query text. */
  readonly source: string;
  /** The schema of the table the query reads; `undefined` when its name is unknown (already reported). */
  readonly schema: QuerySchema | undefined;
  /** Record columns read, in order of first use. */
  readonly columnsUsed: Set<string>;
  /** Compiles a sub-expression; `undefined` means a problem was reported (by us or the parser). */
  compile(node: KustoElement | null | undefined): CompiledExpression | undefined;
  kindOf(node: KustoElement): string;
  /**
   * @param covers - a span whose parser problems are consequences of this one (the whole `success =
   *   false` of an `=` slip, which the parser calls a non-bool condition)
   */
  report(element: KustoElement, message: string, code: RuleCode, covers?: KustoElement): void;
  /** The query's evaluation time, for `ago()` and `now()`; using it makes the predicate set it per call. */
  readClock(): QueryClock;
  /**
   * The parser's type error at this element (an operator, or a `between` bound) for comparing a
   * millisecond column with a timespan is one we accept.
   */
  acceptMillisecondTimespan(at: KustoElement): void;
}

/** Codes of the problems we report ourselves; the parser's keep their `KS...` codes. */
export const RULE_CODES = {
  /** A valid KQL construct that alert rules do not evaluate (`summarize`, `strcat()`, `+`, ...). */
  UNSUPPORTED: 'RULE_UNSUPPORTED',
  /** Operands Kusto would not compare (`resultCode == 500` with a string column). */
  TYPE_MISMATCH: 'RULE_TYPE_MISMATCH',
  /** A literal the parser accepted but that has no value (`datetime(2024-13-05)`). */
  BAD_LITERAL: 'RULE_BAD_LITERAL',
  /** A regular expression RE2 rejects. */
  BAD_REGEX: 'RULE_BAD_REGEX',
} as const;
export type RuleCode = (typeof RULE_CODES)[keyof typeof RULE_CODES];

const NO_RECORD: TelemetryRecord = Object.freeze({
  table: 'requests',
  columns: Object.freeze({}),
  raw: Object.freeze({}),
});

/** The value of an evaluator built from constant expressions only, which ignore the record. */
export function evaluateConstant<T>(evaluate: Evaluate<T>): T {
  return evaluate(NO_RECORD);
}

/** Source text of an element, for messages. */
export function elementText(source: string, element: KustoElement): string {
  return source.slice(element.TextStart, element.TextStart + element.Width);
}
