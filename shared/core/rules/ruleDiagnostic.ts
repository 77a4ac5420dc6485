/**
 * One problem in a rule's query, placed the way an editor shows it: 1-based line and column (in UTF-16
 * code units, as Monaco and the Log Analytics editor count), plus the offending text itself.
 */
export interface RuleDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly length: number;
  /** The source text the problem covers; empty for something missing (such as an expression after `and`). */
  readonly text: string;
  readonly message: string;
  /** The Kusto parser's code (`KS142`) or ours (`RULE...`), stable enough to branch on. */
  readonly code?: string;
}

/**
 * Places a problem found at a 0-based offset of the query text.
 *
 * @param source - the whole query text
 * @param start - 0-based offset of the problem, clamped to the text
 * @param length - how many characters the problem covers
 */
export function ruleDiagnosticAt(
  source: string,
  start: number,
  length: number,
  message: string,
  code?: string,
): RuleDiagnostic {
  const from = Math.min(Math.max(start, 0), source.length);
  const to = Math.min(from + Math.max(length, 0), source.length);
  // NOTE: lastIndexOf treats a negative position as 0, which would find a newline at offset 0.
  const lineStart = from === 0 ? 0 : source.lastIndexOf('\n', from - 1) + 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < from; i = source.indexOf('\n', i + 1)) line += 1;
  const diagnostic = { line, column: from - lineStart + 1, length: to - from, text: source.slice(from, to), message };
  return code === undefined ? diagnostic : { ...diagnostic, code };
}

/** `line 1, col 38: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)` */
export function formatRuleDiagnostic(diagnostic: RuleDiagnostic): string {
  return `line ${diagnostic.line}, col ${diagnostic.column}: ${diagnostic.message}`;
}
