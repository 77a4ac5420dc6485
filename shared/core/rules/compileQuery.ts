import type { TelemetryRecord } from '../export/telemetryRecord';
import { TABLE_NAMES, type TableName } from '../export/telemetryTypes';
import { WORKSPACE_TABLE_NAMES } from '../export/workspaceTables';
import { fail, ok, type Result } from '../result';
import { type CompileContext, elementText, type Evaluate, RULE_CODES, type RuleCode } from './compiledExpression';
import { compileExpression } from './compileExpression';
import { boolOf } from './convertExpression';
import { parseKusto, syntaxKindName } from './kustoParser';
import type { KustoElement } from './kustoSyntax';
import type { QueryClock } from './queryClock';
import { diagnosticsOf } from './queryDiagnostics';
import type { QueryProblem } from './queryProblem';
import { type QuerySchema, querySchemaOf, type QueryTableName } from './querySchema';
import { type RuleDiagnostic, ruleDiagnosticAt } from './ruleDiagnostic';

/** A rule's query, ready to run on every record of its table. */
export interface CompiledQuery {
  /** The classic table of the records it reads, whichever schema the query is written in. */
  readonly table: TableName;
  /** The table as the query names it (`AppRequests` or `requests`): GroupBy and Columns use its names. */
  readonly queryTable: QueryTableName;
  /**
   * True when the record is of the query's table and passes every `where`. Never throws.
   *
   * @param now - the evaluation time, epoch ms, that `ago()` and `now()` count from: read once per
   *   delivery or back-test by the caller, so every record of it sees the same time (as every row of a
   *   Kusto query does); ignored by a query without them
   */
  readonly predicate: (record: TelemetryRecord, now: number) => boolean;
  /** The record columns (classic names) the query reads, in order of first use. */
  readonly columnsUsed: string[];
  /** Whether the query calls `ago()` or `now()`, so its matches depend on when it runs. */
  readonly readsClock: boolean;
}

const RULE_SHAPE = '<table> | where <condition>';

/**
 * Compiles a rule's KQL query, `<table> | where <condition>` with any number of `| where` stages, to a
 * predicate over records. The table and its columns may be named in the classic schema (`requests`,
 * `resultCode`) or the workspace one (`AppRequests`, `ResultCode`); records keep classic columns, so a
 * workspace name is resolved to its record column here, once. Parsing is by Microsoft's Kusto parser, so its diagnostics are the ones users
 * see in Log Analytics; the conditions become plain closures, never evaluated source text.
 *
 * @returns the compiled query, or every problem at once: the parser's, plus constructs alert rules do
 *   not evaluate (`summarize`, `project`, unsupported functions and operators), with positions
 */
export function compileQuery(query: string): Result<CompiledQuery, RuleDiagnostic[]> {
  try {
    return compileParsed(query);
  } catch (error: unknown) {
    // NOTE: the parser and our tree walk recurse; thousands of nested parentheses overflow the stack.
    if (!(error instanceof RangeError)) throw error;
    return fail([ruleDiagnosticAt(query, 0, 0, 'the query is nested too deeply to compile', RULE_CODES.UNSUPPORTED)]);
  }
}

function compileParsed(query: string): Result<CompiledQuery, RuleDiagnostic[]> {
  const parsed = parseKusto(query);
  const problems: QueryProblem[] = [];
  const acceptedTypeErrors = new Set<number>();
  const report = (element: KustoElement, message: string, code: RuleCode, covers?: KustoElement): void => {
    const span = covers ? { covers: { start: covers.TextStart, length: covers.Width } } : {};
    problems.push({ start: element.TextStart, length: element.Width, message, code, origin: 'rule', ...span });
  };
  const clock: QueryClock = { nowMs: Number.NaN };
  let readsClock = false;

  const pipeline = parsed.root ? readPipeline(parsed.root, query, report) : undefined;
  const schema = pipeline?.schema;
  const ctx: CompileContext = {
    source: query,
    schema,
    columnsUsed: new Set(),
    compile: (node) => (node ? compileExpression(node, ctx) : undefined),
    kindOf: syntaxKindName,
    report,
    acceptMillisecondTimespan: (at) => acceptedTypeErrors.add(at.TextStart),
    readClock: () => {
      readsClock = true;
      return clock;
    },
  };
  const conditions: Array<Evaluate<boolean | null>> = [];
  let compiledAll = pipeline !== undefined;
  for (const condition of pipeline?.conditions ?? []) {
    const compiled = ctx.compile(condition);
    const truth = compiled && boolOf(compiled);
    if (compiled && !truth)
      report(condition, `a where condition must be true or false, not a ${compiled.type}`, RULE_CODES.TYPE_MISMATCH);
    if (truth) conditions.push(truth);
    else compiledAll = false;
  }

  const diagnostics = diagnosticsOf(query, parsed, problems, acceptedTypeErrors, schema);
  if (diagnostics.length === 0 && (!compiledAll || !schema)) {
    // NOTE: a safety net; every path that fails to compile should have reported why.
    diagnostics.push(
      ruleDiagnosticAt(
        query,
        0,
        query.length,
        `cannot compile this query: write ${RULE_SHAPE}`,
        RULE_CODES.UNSUPPORTED,
      ),
    );
  }
  if (diagnostics.length > 0 || !schema) return fail(diagnostics);
  const predicate = allOf(schema.table, conditions);
  return ok({
    table: schema.table,
    queryTable: schema.name,
    predicate: readsClock ? atTime(predicate, clock) : predicate,
    columnsUsed: [...ctx.columnsUsed],
    readsClock,
  });
}

/** Sets the query's clock to the caller's evaluation time before each record: one store, no allocation. */
function atTime(
  predicate: (record: TelemetryRecord) => boolean,
  clock: QueryClock,
): (record: TelemetryRecord, now: number) => boolean {
  return (record, now) => {
    clock.nowMs = now;
    return predicate(record);
  };
}

interface Pipeline {
  readonly schema: QuerySchema | undefined;
  readonly conditions: KustoElement[];
}

/** Checks the query is one `<table> | where ... | where ...` and returns its table and conditions. */
function readPipeline(root: KustoElement, source: string, report: CompileContext['report']): Pipeline | undefined {
  let statement: KustoElement | undefined;
  for (let i = 0; root.Statements && i < root.Statements.Count; i++) {
    const element = root.Statements.getItem(i).Element;
    if (!element || element.Width === 0) continue;
    if (syntaxKindName(element) !== 'ExpressionStatement') {
      report(
        element,
        `'${firstWord(source, element)}' statements are not supported in alert rules: write ${RULE_SHAPE}`,
        RULE_CODES.UNSUPPORTED,
      );
    } else if (statement) {
      report(
        element,
        `a rule is a single query: remove '${firstWord(source, element)}' and the ';' before it`,
        RULE_CODES.UNSUPPORTED,
      );
    } else {
      statement = element;
    }
  }
  if (!statement?.Expression) return undefined;
  const stages: KustoElement[] = [];
  let head = statement.Expression;
  while (syntaxKindName(head) === 'PipeExpression' && head.Expression && head.Operator) {
    stages.unshift(head.Operator);
    head = head.Expression;
  }
  const conditions: KustoElement[] = [];
  for (const stage of stages) {
    if (syntaxKindName(stage) === 'FilterOperator' && stage.Condition && (stage.Parameters?.Count ?? 0) === 0) {
      conditions.push(stage.Condition);
    } else {
      const keyword = stage.GetFirstToken?.() ?? stage;
      report(
        keyword,
        `'${firstWord(source, stage)}' is not supported in alert rules: write ${RULE_SHAPE}`,
        RULE_CODES.UNSUPPORTED,
      );
    }
  }
  return { schema: readTable(head, source, report), conditions };
}

function readTable(node: KustoElement, source: string, report: CompileContext['report']): QuerySchema | undefined {
  if (syntaxKindName(node) === 'NameReference') {
    // An unknown table name was reported by the parser (and gets a suggestion in explainParserDiagnostic).
    return node.ReferencedSymbol ? querySchemaOf(node.SimpleName ?? '') : undefined;
  }
  report(
    node,
    `a rule must start with a table name (${TABLE_NAMES.join(', ')}, or in the workspace schema ${WORKSPACE_TABLE_NAMES.join(', ')}), not '${firstWord(source, node)}'`,
    RULE_CODES.UNSUPPORTED,
  );
  return undefined;
}

function firstWord(source: string, element: KustoElement): string {
  return /^[^\s(|;]+/.exec(elementText(source, element))?.[0] ?? elementText(source, element);
}

function allOf(table: TableName, conditions: Array<Evaluate<boolean | null>>): (record: TelemetryRecord) => boolean {
  const [first, second] = conditions;
  // `where` keeps a record only when its condition is true: null (unknown) drops it, as in Kusto.
  if (!first) return (record) => record.table === table;
  if (!second) return (record) => record.table === table && first(record) === true;
  return (record) => {
    if (record.table !== table) return false;
    for (const condition of conditions) if (condition(record) !== true) return false;
    return true;
  };
}
