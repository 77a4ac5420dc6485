import { SUPPORTED_FUNCTIONS } from './compileFunctionCall';
import type { ParserDiagnostic } from './kustoParser';
import { QUERY_TABLE_NAMES, type QuerySchema } from './querySchema';
import { suggestName } from './suggestName';

/** The parser's codes for names it cannot resolve, which we reword with a suggestion. */
const UNKNOWN_NAME = 'KS142';
const UNKNOWN_TABLE = 'KS204';
const UNKNOWN_FUNCTION = 'KS211';

/**
 * The message to show for a parser diagnostic: for an unknown column, table or function, ours with the
 * closest known name (`unknown column 'resultcode' for table requests (did you mean 'resultCode'?)`);
 * otherwise the parser's own words.
 *
 * @param schema - the schema of the table the query reads, when known
 */
export function explainParserDiagnostic(
  diagnostic: ParserDiagnostic,
  source: string,
  schema: QuerySchema | undefined,
): string {
  const name = source.slice(diagnostic.start, diagnostic.start + diagnostic.length);
  switch (diagnostic.code) {
    case UNKNOWN_NAME:
      // After a dot the name is a property of something that is not dynamic, not a column.
      return schema && !/\.\s*$/.test(source.slice(0, diagnostic.start))
        ? `unknown column '${name}' for table ${schema.name}${suggestColumn(name, schema)}`
        : diagnostic.message;
    case UNKNOWN_TABLE:
      return `unknown table '${name}'${didYouMean(name, QUERY_TABLE_NAMES)}`;
    case UNKNOWN_FUNCTION:
      return `unknown function '${name}'${didYouMean(name, SUPPORTED_FUNCTIONS)}`;
    default:
      return diagnostic.message;
  }
}

/**
 * A column of the query's own schema: the one the other schema's name means (`resultCode` in a workspace
 * query), else the closest by spelling, else the one a misspelt name of the other schema means.
 */
function suggestColumn(name: string, schema: QuerySchema): string {
  const renamed = schema.otherNames.get(name);
  if (renamed !== undefined) return ` (did you mean '${renamed}', the ${schema.kind} name of ${name}?)`;
  const close = suggestName(name, schema.columns.keys());
  if (close !== undefined) return ` (did you mean '${close}'?)`;
  const meant = suggestName(name, schema.otherNames.keys());
  const target = meant === undefined ? undefined : schema.otherNames.get(meant);
  return meant === undefined || target === undefined
    ? ''
    : ` (did you mean '${target}', the ${schema.kind} name of ${meant}?)`;
}

function didYouMean(name: string, known: Iterable<string>): string {
  const suggestion = suggestName(name, known);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
