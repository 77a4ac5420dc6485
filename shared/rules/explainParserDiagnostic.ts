import { TABLE_COLUMNS } from '../export/tableSchemas';
import { TABLE_NAMES, type TableName } from '../export/telemetryTypes';
import { SUPPORTED_FUNCTIONS } from './compileFunctionCall';
import type { ParserDiagnostic } from './kustoParser';
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
 * @param table - the table the query reads, when known
 */
export function explainParserDiagnostic(diagnostic: ParserDiagnostic, source: string, table: TableName | undefined): string {
  const name = source.slice(diagnostic.start, diagnostic.start + diagnostic.length);
  switch (diagnostic.code) {
    case UNKNOWN_NAME:
      // After a dot the name is a property of something that is not dynamic, not a column.
      return table && !/\.\s*$/.test(source.slice(0, diagnostic.start))
        ? `unknown column '${name}' for table ${table}${didYouMean(name, Object.keys(TABLE_COLUMNS[table]))}`
        : diagnostic.message;
    case UNKNOWN_TABLE:
      return `unknown table '${name}'${didYouMean(name, TABLE_NAMES)}`;
    case UNKNOWN_FUNCTION:
      return `unknown function '${name}'${didYouMean(name, SUPPORTED_FUNCTIONS)}`;
    default:
      return diagnostic.message;
  }
}

function didYouMean(name: string, known: readonly string[]): string {
  const suggestion = suggestName(name, known);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
