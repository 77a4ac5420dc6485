/**
 * Kusto's regex dialect over re2js. Kusto's engine (https://learn.microsoft.com/kusto/query/regex) reads
 * some patterns differently from RE2: its Perl classes and word boundaries are Unicode, and its
 * character classes nest and combine (`[a-y&&xyz]`, `[0-9--4]`, `[a-g~~b-h]`, `[x[^xyz]]`), where RE2
 * reads the same text as literal characters. A rule must never match differently from the Kusto query
 * it claims to be, so each such construct is either rewritten to RE2 syntax with Kusto's meaning
 * (`\d`, `\s`, `\w` and their negations, `(?-u:\b)`) or refused with the reason (`\b`, `\B`, `\<`, `\>`,
 * the set operators, nested classes).
 */

export type KustoRegexTranslation =
  | { readonly ok: true; readonly source: string }
  | { readonly ok: false; readonly construct: string; readonly reason: string };

/** `\p{White_Space}`, which RE2 has no name for, as the code points Unicode gives it. */
const WHITE_SPACE = String.raw`\t\n\v\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`;

/**
 * Kusto's `\w` ("\p{Alphabetic} + \p{M} + \d + \p{Pc} + \p{Join_Control}"), which RE2 has no names
 * for, as code point ranges read from JavaScript's own Unicode tables: built once, on first use
 * (about 800 ranges, some 60 ms). NOTE: JavaScript's and Kusto's Unicode versions may differ.
 */
let wordRanges: string | undefined;
function unicodeWord(): string {
  if (wordRanges !== undefined) return wordRanges;
  const word = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
  const hex = (cp: number): string => `\\x{${cp.toString(16).toUpperCase()}}`;
  let text = '';
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const inside = cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) && word.test(String.fromCodePoint(cp));
    if (inside && start === -1) start = cp;
    if (!inside && start !== -1) {
      text += start === cp - 1 ? hex(start) : `${hex(start)}-${hex(cp - 1)}`;
      start = -1;
    }
  }
  wordRanges = text;
  return text;
}

/** Kusto's Unicode Perl classes that RE2 can spell exactly, outside and inside a bracketed class. */
const UNICODE_CLASSES: Readonly<Record<string, { readonly outside: () => string; readonly inside?: () => string }>> = {
  d: { outside: () => String.raw`\p{Nd}`, inside: () => String.raw`\p{Nd}` },
  D: { outside: () => String.raw`\P{Nd}`, inside: () => String.raw`\P{Nd}` },
  s: { outside: () => `[${WHITE_SPACE}]`, inside: () => WHITE_SPACE },
  S: { outside: () => `[^${WHITE_SPACE}]` },
  w: { outside: () => `[${unicodeWord()}]`, inside: unicodeWord },
  W: { outside: () => `[^${unicodeWord()}]` },
};

/** Kusto's ASCII forms (`(?-u:\b)`), which RE2 does not parse, in RE2's ASCII syntax. */
const ASCII_FORMS: Readonly<Record<string, string>> = {
  b: String.raw`\b`,
  B: String.raw`\B`,
  w: String.raw`[0-9A-Za-z_]`,
  W: String.raw`[^0-9A-Za-z_]`,
  d: String.raw`[0-9]`,
  D: String.raw`[^0-9]`,
  s: String.raw`[\t\n\v\f\r ]`,
  S: String.raw`[^\t\n\v\f\r ]`,
};

const REFUSED_ESCAPES: Readonly<Record<string, string>> = {
  b: String.raw`Kusto's \b is a Unicode word boundary, RE2's an ASCII one: write (?-u:\b) for the ASCII boundary`,
  B: String.raw`Kusto's \B is "not a Unicode word boundary", RE2's "not an ASCII one": write (?-u:\B) for ASCII`,
  '<': String.raw`\< is a start of word in Kusto but a literal < in RE2: write (?-u:\b) before the word, or \x3C for the character`,
  '>': String.raw`\> is an end of word in Kusto but a literal > in RE2: write (?-u:\b) after the word, or \x3E for the character`,
  Q: String.raw`Kusto does not read \Q...\E quoting (RE2 does): escape each character instead`,
  C: String.raw`Kusto has no \C (any byte): use . instead`,
};

const SET_OPERATORS: Readonly<Record<string, string>> = {
  '&&': 'an intersection',
  '--': 'a difference',
  '~~': 'a symmetric difference',
};

/**
 * Rewrites a Kusto pattern to an RE2 pattern with the same meaning, or names the first construct the
 * two engines read differently and that RE2 cannot express. Syntax errors are left for RE2 to report.
 */
export function translateKustoRegex(pattern: string): KustoRegexTranslation {
  let out = '';
  let i = 0;
  let inClass = false;
  let classStart = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (!inClass && pattern.startsWith('(?-u:\\', i) && pattern.charAt(i + 7) === ')') {
      const ascii = ASCII_FORMS[pattern.charAt(i + 6)];
      if (ascii !== undefined) {
        out += `(?:${ascii})`;
        i += 8;
        continue;
      }
    }
    if (ch === '\\') {
      const next = pattern.charAt(i + 1);
      const escape = escapeLength(pattern, i);
      const unicode = UNICODE_CLASSES[next];
      if (unicode) {
        const replacement = inClass ? unicode.inside : unicode.outside;
        if (replacement === undefined) {
          return refuse(
            `[...\\${next}...]`,
            `Kusto's \\${next} is Unicode and RE2 cannot negate that inside a bracketed class: write \\${next} outside the class, as an alternative`,
          );
        }
        out += replacement();
      } else {
        const reason = REFUSED_ESCAPES[next];
        if (reason !== undefined) return refuse(pattern.slice(i, i + escape), reason);
        out += pattern.slice(i, i + escape);
      }
      i += escape;
      continue;
    }
    if (!inClass) {
      if (ch === '[') {
        inClass = true;
        classStart = i;
        out += ch;
        i += 1;
        // A `]` first in the class (after an optional `^`) is a literal in both engines.
        if (pattern.charAt(i) === '^') {
          out += '^';
          i += 1;
        }
        if (pattern.charAt(i) === ']') {
          out += ']';
          i += 1;
        }
        continue;
      }
      out += ch;
      i += 1;
      continue;
    }
    // Inside a bracketed class.
    if (ch === ']') {
      inClass = false;
      out += ch;
      i += 1;
      continue;
    }
    if (ch === '[') {
      if (pattern.charAt(i + 1) === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end !== -1) {
          out += pattern.slice(i, end + 2);
          i = end + 2;
          continue;
        }
      }
      return refuse(
        classText(pattern, classStart),
        'a [ inside a class opens a nested class in Kusto but is a literal [ in RE2: write \\[ for the character, or list the characters without nesting',
      );
    }
    const pair = pattern.slice(i, i + 2);
    const operator = SET_OPERATORS[pair];
    if (operator !== undefined) {
      return refuse(
        classText(pattern, classStart),
        `${pair} in a class is ${operator} in Kusto but two literal characters in RE2: list the characters the class should match, or escape them (\\${pair.charAt(0)}\\${pair.charAt(1)})`,
      );
    }
    out += ch;
    i += 1;
  }
  return { ok: true, source: out };
}

function refuse(construct: string, reason: string): KustoRegexTranslation {
  return { ok: false, construct, reason };
}

/** The class starting at `start`, for a message, up to its likely end. */
function classText(pattern: string, start: number): string {
  const end = pattern.indexOf(']', start + 2);
  return pattern.slice(start, end === -1 ? pattern.length : Math.min(end + 1, start + 40));
}

/** Length of the escape at `i`: `\p{Greek}` and `\x{10FFFF}` whole, otherwise the backslash and one character. */
function escapeLength(pattern: string, i: number): number {
  const next = pattern.charAt(i + 1);
  if ((next === 'p' || next === 'P' || next === 'x') && pattern.charAt(i + 2) === '{') {
    const end = pattern.indexOf('}', i + 3);
    if (end !== -1) return end - i + 1;
  }
  if (next === '') return 1;
  // A surrogate pair escaped is one character.
  const code = pattern.charCodeAt(i + 1);
  return code >= 0xd800 && code <= 0xdbff ? 3 : 2;
}
