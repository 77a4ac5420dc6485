/** A raw filter's shape (its own module: rawFilter.ts builds filters, literalNeedles.ts their parts). */
export type RawFilter =
  | { readonly kind: 'any' } // no usable needle: every row is a candidate
  | { readonly kind: 'needle'; readonly text: string; readonly caseInsensitive: boolean } // the row's bytes contain it
  | { readonly kind: 'and'; readonly filters: readonly RawFilter[] }
  | { readonly kind: 'or'; readonly filters: readonly RawFilter[] };
