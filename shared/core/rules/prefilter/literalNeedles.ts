import type { RawFilter } from './rawFilterShape';
import type { RawFormat, RawSource } from './rawSources';

/** Where the literal must sit in the value: all of it, its start, its end, or anywhere. */
export type LiteralPlace = 'equals' | 'prefix' | 'suffix' | 'contains';

export const ANY: RawFilter = { kind: 'any' };

export function needle(text: string, caseInsensitive = false): RawFilter {
  return { kind: 'needle', text, caseInsensitive };
}

/**
 * Characters outside ASCII whose lower case holds an ASCII letter: under a case-insensitive operator
 * they match an ASCII needle without its bytes being in the row. JavaScript's `toLowerCase` (what rules
 * evaluate with) has exactly these two; a unit test walks every code point to keep the list complete.
 */
export const FOLDS_TO_ASCII: ReadonlyArray<readonly [string, string]> = [
  ['\u0130', 'i'], // İ → i̇
  ['\u212a', 'k'], // Kelvin sign → k
];

// JSON must escape these in a string, so a value holding one puts a backslash in its row.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
// A row whose bytes are not valid UTF-8 decodes to U+FFFD, which its bytes do not hold.
const NOT_IN_BYTES = /[\ufffd\ufeff]/;
// Not 0: an exponent far below zero (`1e-400`) underflows to it.
const SMALL_INTEGER = /^-?[1-9][0-9]{0,5}$/;
// Lower-case characters a number's text can have: digits, sign, point, exponent, `Infinity`.
const NUMBER_CHARS = /^[0-9.+\-einfty]*$/;

/**
 * The raw-byte condition for "the value (from `source`) equals / starts with / ends with / contains
 * `literal`", under KQL's case rule for the operator (lower-casing both sides when it ignores case).
 * Sound by construction: `ANY` whenever the value's raw spelling could lack every needle given.
 */
export function literalFilter(
  literal: string,
  source: RawSource,
  place: LiteralPlace,
  caseInsensitive: boolean,
): RawFilter {
  if (literal === '' || NOT_IN_BYTES.test(literal)) return ANY;
  // The caller adds the backslash needle for the whole row; a literal JSON would escape needs nothing else.
  if (NEEDS_ESCAPE.test(literal)) return needle('\\');
  if (source.kind !== 'verbatim') {
    const numeric = numberFilter(literal, place, source.key);
    if (numeric !== undefined) return numeric;
    if (NUMBER_CHARS.test(literal.toLowerCase())) return ANY;
  }
  // `looseText` may be `true` written without quotes, so its quotes cannot be relied on.
  const quoted = source.kind !== 'looseText';
  const open = quoted && (place === 'equals' || place === 'prefix') ? '"' : '';
  const close = quoted && (place === 'equals' || place === 'suffix') ? '"' : '';
  const text = `${open}${literal}${close}`;
  return caseInsensitive ? caseInsensitiveFilter(text.toLowerCase()) : needle(text);
}

/**
 * Where a JSON writer may put whitespace around a key's colon: a row holding any of these may spell
 * `"key": 500`, which the key-and-digits needles below do not find. Compact rows hold none of them
 * outside string contents, where a `"` would be escaped.
 */
const COLON_SPACING = ['": ', '":\t', '":\r', '" :', '"\t:', '"\r:'].map((text) => needle(text));

/**
 * A small whole number read from `key`, as a string or a JSON number. The number's text starts with the
 * digits of the value (`500`, `500.0`, `5000e-1`), or with a prefix of them and then `.`, `e` or `E`
 * (`5e2`, `50.0E1`), or with `0.` (`0.5e3`), or it rounds up to the value from below and so holds a
 * run of nines that a point may split, but not into two runs shorter than five (`499.99999999999999`). Other places (`startswith "5"`) could come from digits
 * that rounding changed, so only equality with up to six digits gets needles.
 */
function numberFilter(literal: string, place: LiteralPlace, key: string): RawFilter | undefined {
  if (place !== 'equals' || !SMALL_INTEGER.test(literal)) return undefined;
  const at = `${JSON.stringify(key)}:`;
  const starts = [`${at}${literal}`, `${at}"${literal}"`, `${at}0.`, `${at}-0`];
  for (let end = 1; end < literal.length; end++)
    for (const next of ['.', 'e', 'E']) starts.push(`${at}${literal.slice(0, end)}${next}`);
  if (literal.startsWith('-')) starts.push(`${at}-0.`);
  return { kind: 'or', filters: [...starts.map((text) => needle(text)), needle('99999'), ...COLON_SPACING] };
}

/**
 * `text` (already lower case) under ASCII case folding: the longest ASCII run of it, or any of the
 * non-ASCII characters that lower-case to one of its letters. Outside ASCII, case pairs differ in
 * their bytes, so a run with non-ASCII characters is not searched.
 */
function caseInsensitiveFilter(text: string): RawFilter {
  let best = '';
  for (const run of text.split(/[^\x00-\x7f]+/)) if (run.length > best.length) best = run;
  if (best === '') return ANY;
  const folded = FOLDS_TO_ASCII.filter(([, ascii]) => [...ascii].some((c) => best.includes(c))).map(([ch]) =>
    needle(ch),
  );
  const ascii = needle(best, /[a-z]/.test(best));
  return folded.length === 0 ? ascii : { kind: 'or', filters: [ascii, ...folded] };
}

/** `key == true|false`: the key, its colon and the literal, or in the workspace formats a string of it. */
export function boolFilter(key: string, value: boolean, format: RawFormat): RawFilter {
  const at = `${JSON.stringify(key)}:`;
  const spelled = [needle(`${at}${value}`)];
  if (format === 'workspace') spelled.push(needle(`${at}"${value}"`, true));
  return { kind: 'or', filters: [...spelled, ...COLON_SPACING] };
}
