/**
 * The slice of `Kusto.Language` (Microsoft's Kusto parser, compiled from C# by Bridge.NET) that rule
 * compilation reads. NOTE: the package ships only global `declare namespace` typings of 1.7 MB that
 * also declare a global `System`; declaring the few members we touch keeps the type check fast and
 * the global scope clean. Member names are the C# ones.
 */

/** A read-only .NET list as Bridge exposes it. */
export interface KustoList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

export interface KustoSymbol {
  readonly Name: string | null;
}

export interface KustoTypeSymbol {
  readonly Name: string | null;
}

/** Any node or token of the syntax tree; which optional members exist depends on the kind. */
export interface KustoElement {
  readonly Kind: number;
  readonly IsToken: boolean;
  readonly IsMissing: boolean;
  /** 0-based offset of the element's text, trivia (spaces, comments) excluded. */
  readonly TextStart: number;
  readonly Width: number;
  readonly ChildCount: number;
  readonly ContainsSyntaxDiagnostics: boolean;
  GetChild(index: number): KustoElement | null;

  // Tokens
  readonly Text?: string | null;
  /** A literal token's value as text: escapes decoded, `@"..."` unwrapped, `time(...)` stripped. */
  readonly ValueText?: string | null;

  // Expressions
  readonly ResultType?: KustoTypeSymbol | null;
  readonly ReferencedSymbol?: KustoSymbol | null;
  readonly ConstantValue?: unknown;
  readonly SimpleName?: string | null;
  readonly Token?: KustoElement | null;
  readonly Expression?: KustoElement | null;
  readonly Operator?: KustoElement | null;
  readonly Left?: KustoElement | null;
  readonly Right?: KustoElement | null;
  readonly Selector?: KustoElement | null;
  readonly First?: KustoElement | null;
  readonly Second?: KustoElement | null;
  readonly Name?: KustoElement | null;
  readonly ArgumentList?: KustoElement | null;
  readonly Expressions?: KustoList<KustoSeparated> | null;

  // Query operators and statements
  readonly Keyword?: KustoElement | null;
  readonly Condition?: KustoElement | null;
  readonly Parameters?: KustoList<KustoElement> | null;
  readonly Statements?: KustoList<KustoSeparated> | null;
  GetFirstToken?(): KustoElement | null;
  /** On a token: the next one in text order. */
  GetNextToken?(): KustoElement | null;
}

/** An element of a comma- or semicolon-separated list. */
export interface KustoSeparated {
  readonly Element: KustoElement | null;
}

export interface KustoDiagnostic {
  readonly Code: string | null;
  readonly Severity: string | null;
  readonly Message: string | null;
  readonly HasLocation: boolean;
  readonly Start: number;
  readonly Length: number;
}

export interface KustoCode {
  readonly Syntax: KustoElement | null;
  GetDiagnostics(): KustoList<KustoDiagnostic> | null;
  /** The subset of `GetDiagnostics()` found parsing, before names and types are analyzed. */
  GetSyntaxDiagnostics(): KustoList<KustoDiagnostic> | null;
}

/** The members of the `Kusto.Language` namespace that `kustoParser` calls. */
export interface KustoLanguage {
  readonly KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KustoCode | null };
  readonly GlobalState: { readonly Default: { WithDatabase(database: unknown): unknown } };
  readonly Symbols: {
    readonly TableSymbol: {
      readonly $ctor7: new (name: string, schema: string, description: string | null) => unknown;
    };
    readonly DatabaseSymbol: { readonly ctor: new (name: string, members: unknown[]) => unknown };
  };
  readonly Syntax: { readonly SyntaxKind: Readonly<Record<string, unknown>> };
}
