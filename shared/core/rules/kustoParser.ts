import type { KustoCode, KustoElement, KustoLanguage } from './kustoSyntax';
import { QUERY_TABLE_NAMES, querySchemaOf } from './querySchema';

/** A problem the Kusto parser reported, at 0-based offsets of the query text. */
export interface ParserDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
  /** A syntax error (the text does not parse), as opposed to one found analyzing the parsed tree. */
  readonly syntax: boolean;
}

/** A token of the query as the parser read it: its `SyntaxKind` name and place. */
export interface ParsedToken {
  readonly kind: string;
  readonly start: number;
  readonly text: string;
}

export interface ParsedKusto {
  /** The `QueryBlock` at the root of the tree; `undefined` only if the parser returned nothing. */
  readonly root: KustoElement | undefined;
  /** Syntax and semantic problems, each once, in the parser's order. */
  readonly diagnostics: readonly ParserDiagnostic[];
  /** The tokens in text order, skipped ones included; walked on demand (diagnostics need them). */
  readonly tokens: () => readonly ParsedToken[];
}

interface LoadedParser {
  readonly kusto: KustoLanguage;
  /** The parser's view of our database: the classic and workspace tables with their columns and types. */
  readonly globals: unknown;
  readonly kindNames: ReadonlyMap<number, string>;
}

let loaded: LoadedParser | undefined;

/**
 * Parses and analyzes a query the way the Log Analytics editor does, against a database holding our
 * tables, so unknown tables, columns and functions get the parser's own diagnostics.
 *
 * The parser loads on first use (≈ 0.2 s, then ≈ 0.8 s for the first analysis; later queries take a few
 * milliseconds) and stays loaded for the life of the process.
 */
export function parseKusto(text: string): ParsedKusto {
  const parser = loadParser();
  const code = analyze(parser, text);
  const list = code?.GetDiagnostics();
  const diagnostics: ParserDiagnostic[] = [];
  const syntax = list && list.Count > 0 ? syntaxDiagnosticKeys(code) : new Set<string>();
  for (let i = 0; list && i < list.Count; i++) {
    const d = list.getItem(i);
    const start = d.HasLocation ? d.Start : 0;
    const length = d.HasLocation ? d.Length : 0;
    const id = d.Code ?? '';
    diagnostics.push({
      code: id,
      severity: d.Severity ?? 'Error',
      message: d.Message ?? 'invalid query',
      start,
      length,
      syntax: syntax.has(`${id}@${start}+${length}`),
    });
  }
  const root = code?.Syntax ?? undefined;
  let tokens: readonly ParsedToken[] | undefined;
  return { root, diagnostics, tokens: () => (tokens ??= tokensOf(root)) };
}

function syntaxDiagnosticKeys(code: KustoCode | null): Set<string> {
  const keys = new Set<string>();
  const list = code?.GetSyntaxDiagnostics();
  for (let i = 0; list && i < list.Count; i++) {
    const d = list.getItem(i);
    keys.add(`${d.Code ?? ''}@${d.HasLocation ? d.Start : 0}+${d.HasLocation ? d.Length : 0}`);
  }
  return keys;
}

function tokensOf(root: KustoElement | undefined): ParsedToken[] {
  const tokens: ParsedToken[] = [];
  for (let token = root?.GetFirstToken?.() ?? null; token; token = token.GetNextToken?.() ?? null) {
    if (token.Width > 0) {
      tokens.push({ kind: syntaxKindName(token), start: token.TextStart, text: token.Text ?? '' });
    }
  }
  return tokens;
}

/** The name of an element's `SyntaxKind` (`PipeExpression`, `FilterOperator`, `AndKeyword`, ...). */
export function syntaxKindName(element: KustoElement): string {
  return loadParser().kindNames.get(element.Kind) ?? 'Unknown';
}

function analyze(parser: LoadedParser, text: string): KustoCode | null {
  try {
    return parser.kusto.KustoCode.ParseAndAnalyze(text, parser.globals);
  } catch (error: unknown) {
    throw ownRealmRangeError(error);
  }
}

/**
 * A stack overflow in the parser (a query nested thousands deep) as this realm's `RangeError`, which
 * callers test with `instanceof`: under the test environment the parser runs in the jest worker's realm,
 * whose `RangeError` is another class.
 */
function ownRealmRangeError(error: unknown): unknown {
  if (error instanceof RangeError || typeof error !== 'object' || error === null) return error;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return name === 'RangeError' ? new RangeError(String(message), { cause: error }) : error;
}

function loadParser(): LoadedParser {
  if (loaded) return loaded;
  // NOTE: the package's `main` needs the Bridge.NET runtime loaded first; both files are plain scripts
  // that define the globals `Bridge`, `System` and `Kusto` rather than exporting anything. A namespace
  // already there is used as it is: the test environment (test/harness/kustoEnvironment.ts) loads the
  // parser once per jest worker and hands it to every test file.
  const defined = (): KustoLanguage | undefined =>
    (globalThis as unknown as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
  if (!defined()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a script run for its globals, loaded on first use
    require('@kusto/language-service-next/bridge.min.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- likewise, after the runtime above
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  }
  const kusto = defined();
  if (!kusto) throw new Error('@kusto/language-service-next loaded but defined no Kusto.Language namespace');

  const tables = QUERY_TABLE_NAMES.map((table) => {
    const columns = [...(querySchemaOf(table)?.columns ?? [])].map(([name, column]) => `['${name}']:${column.type}`);
    return new kusto.Symbols.TableSymbol.$ctor7(table, `(${columns.join(', ')})`, null);
  });
  const database = new kusto.Symbols.DatabaseSymbol.ctor('insights', tables);
  const kindNames = new Map<number, string>();
  for (const [name, value] of Object.entries(kusto.Syntax.SyntaxKind)) {
    if (typeof value === 'number') kindNames.set(value, name);
  }
  loaded = { kusto, globals: kusto.GlobalState.Default.WithDatabase(database), kindNames };
  return loaded;
}
