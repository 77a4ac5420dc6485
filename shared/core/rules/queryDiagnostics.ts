import { type ExplainContext, explainParserDiagnostic } from './explainParserDiagnostic';
import type { ParsedKusto } from './kustoParser';
import { collapseProblems, type QueryProblem } from './queryProblem';
import type { QuerySchema } from './querySchema';
import { type RuleDiagnostic, ruleDiagnosticAt } from './ruleDiagnostic';

/** "Operator not defined for real and timespan" (KS106) and "must have the type real" (KS141). */
const TYPE_ERRORS = new Set(['KS106', 'KS141']);

/**
 * A query's problems as users read them: the parser's errors (explained, with hints for the common
 * slips) and ours, collapsed to one message per real problem (`collapseProblems`), in source order,
 * placed by line and column. Parser warnings and suggestions are not problems.
 *
 * @param problems - ours, found compiling the tree
 * @param acceptedTypeErrors - offsets of the parser's type errors we accept (`duration > 1s`)
 */
export function diagnosticsOf(
  source: string,
  parsed: ParsedKusto,
  problems: readonly QueryProblem[],
  acceptedTypeErrors: ReadonlySet<number>,
  schema: QuerySchema | undefined,
): RuleDiagnostic[] {
  if (problems.length === 0 && !parsed.diagnostics.some((d) => d.severity === 'Error')) return [];
  const all: QueryProblem[] = [...problems];
  // The query's first token is where its table must be.
  const explain: ExplainContext = { source, schema, headStart: parsed.tokens()[0]?.start ?? 0, tokens: parsed.tokens };
  for (const d of parsed.diagnostics) {
    if (d.severity !== 'Error') continue;
    if (TYPE_ERRORS.has(d.code) && acceptedTypeErrors.has(d.start)) continue;
    const problem = explainParserDiagnostic(d, explain);
    if (problem) all.push(problem);
  }
  if (all.length === 0) return [];
  const collapsed = collapseProblems(source, all, separatorsOf(parsed));
  return collapsed.map((p) => ruleDiagnosticAt(source, p.start, p.length, p.message, p.code));
}

/** Offsets of the top-level `|` and `;` that bound the regions of `collapseProblems`; a `||` is not one. */
function separatorsOf(parsed: ParsedKusto): number[] {
  const tokens = parsed.tokens();
  const bars = new Set(tokens.filter((t) => t.kind === 'BarToken').map((t) => t.start));
  return tokens
    .filter(
      (t) => t.kind === 'SemicolonToken' || (t.kind === 'BarToken' && !bars.has(t.start - 1) && !bars.has(t.start + 1)),
    )
    .map((t) => t.start);
}
