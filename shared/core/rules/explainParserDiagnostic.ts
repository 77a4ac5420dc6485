import { SUPPORTED_FUNCTIONS } from './compileFunctionCall';
import { explainSyntaxError, QUERY_OPERATORS } from './explainSyntaxError';
import type { ParsedToken, ParserDiagnostic } from './kustoParser';
import type { QueryProblem } from './queryProblem';
import { QUERY_TABLE_NAMES, type QuerySchema } from './querySchema';
import { suggestColumn } from './suggestColumn';
import { suggestName } from './suggestName';

/** The parser's codes for names it cannot resolve, which we reword with a suggestion. */
const UNKNOWN_NAME = 'KS142';
const UNKNOWN_TABLE = 'KS204';
const UNKNOWN_FUNCTION = 'KS211';
/** "The operator cannot be the first operator in a query." */
const OPERATOR_FIRST = 'KS174';
/** "A value of type timespan expected." (and other types) */
const TYPE_EXPECTED = 'KS107';
/** "The function 'not' requires an argument list." */
const NEEDS_ARGUMENTS = 'KS117';

const RULE_SHAPE = '<table> | where <condition>';

/** What explaining a parser diagnostic needs to know about its query. */
export interface ExplainContext {
  readonly source: string;
  /** The schema of the table the query reads, when known. */
  readonly schema: QuerySchema | undefined;
  /** Offset of the query's first token, where its table must be. */
  readonly headStart: number;
  readonly tokens: () => readonly ParsedToken[];
}

/**
 * The problem to show for a parser diagnostic: a syntax error with a hint for the common slips
 * (`explainSyntaxError`); an unknown column, table or function with the closest known name
 * (`unknown column 'resultcode' for table requests (did you mean 'resultCode'?)`); otherwise the parser's
 * own words.
 *
 * @returns the problem, or `undefined` for one the parser derived from an earlier error: an "unknown"
 *   column the table has, looked up after the parser lost track of the table
 */
export function explainParserDiagnostic(diagnostic: ParserDiagnostic, ctx: ExplainContext): QueryProblem | undefined {
  const { source, schema } = ctx;
  const { start, length, code } = diagnostic;
  const name = source.slice(start, start + length);
  const problem = (message: string, extra: Partial<QueryProblem> = {}): QueryProblem => ({
    start,
    length,
    code,
    message,
    origin: diagnostic.syntax ? 'syntax' : 'parser',
    ...(diagnostic.syntax ? { breaks: true } : {}),
    ...extra,
  });
  if (diagnostic.syntax) return { ...problem(''), ...explainSyntaxError(diagnostic, source, ctx.tokens) };
  const atHead = start === ctx.headStart;

  switch (code) {
    case UNKNOWN_NAME:
      if (atHead) return problem(notATable(name), { breaks: true });
      // After a dot the name is a property of something that is not dynamic, not a column.
      if (!schema || /\.\s*$/.test(source.slice(0, start))) return problem(diagnostic.message);
      if (schema.columns.has(name)) return undefined;
      return problem(`unknown column '${name}' for table ${schema.name}${columnHint(name, schema)}`, {
        independent: true,
      });
    case UNKNOWN_TABLE: {
      const meant = suggestName(name, QUERY_TABLE_NAMES) ?? (atHead ? suggestName(name, QUERY_OPERATORS) : undefined);
      return problem(`unknown table '${name}'${didYouMean(meant)}`, atHead ? { breaks: true } : {});
    }
    case UNKNOWN_FUNCTION:
      return problem(`unknown function '${name}'${didYouMean(suggestName(name, SUPPORTED_FUNCTIONS))}`, {
        independent: true,
      });
    case OPERATOR_FIRST:
      return problem(`a rule starts with its table: write ${RULE_SHAPE}`, atHead ? { breaks: true } : {});
    case TYPE_EXPECTED:
      return /\btimespan\b/.test(diagnostic.message)
        ? problem(`expected a timespan such as 1h, 5m or 30s, not ${name}`)
        : problem(diagnostic.message);
    case NEEDS_ARGUMENTS:
      return name === 'not' ? problem('not is a function in KQL: write not(<condition>)') : problem(diagnostic.message);
    default:
      return problem(diagnostic.message);
  }
}

/** The first word of a query when it names no table: a misspelt keyword, a column, or a misspelt table. */
function notATable(name: string): string {
  const keyword = suggestName(name, QUERY_OPERATORS);
  const meant = keyword === undefined ? '' : ` (did you mean '${keyword}'?)`;
  return `'${name}' is not a table${meant}: a rule is ${RULE_SHAPE}`;
}

/** A column of the schema the name may mean, else the literal or keyword (`flase`, `adn`). */
function columnHint(name: string, schema: QuerySchema): string {
  return suggestColumn(name, schema) || didYouMean(suggestName(name, ['true', 'false', 'and', 'or', 'not']));
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
