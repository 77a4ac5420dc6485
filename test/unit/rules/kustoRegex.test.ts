import { translateKustoRegex } from '../../../shared/core/rules/kustoRegex';
import { keeps, problemsOf, record } from './ruleHelpers';

// Examples from https://learn.microsoft.com/kusto/query/regex (Kusto's regex syntax page).

/** Whether a rule `name matches regex @"<pattern>"` keeps a record named `name`. */
function matches(pattern: string, name: string): boolean {
  return keeps(`requests | where name matches regex @"${pattern.replace(/"/g, '""')}"`, record({ name }));
}

describe('Kusto regex constructs RE2 spells differently are read with Kusto’s meaning', () => {
  it.each([
    // "\d Digit (\p{Nd})": Arabic-Indic and fullwidth digits are digits in Kusto, not in RE2.
    [String.raw`^\d+$`, '٣٤٥', true],
    [String.raw`^\d+$`, '１２３', true],
    [String.raw`^\d+$`, '503', true],
    [String.raw`^\D$`, '٣', false],
    [String.raw`^[\d]+$`, '٣4', true],
    // "[0-9] Any ASCII digit."
    ['^[0-9]+$', '٣٤٥', false],
    // "\s Whitespace (\p{White_Space})": a no-break space and \v are white space in Kusto.
    [String.raw`^a\sb$`, 'a\u00a0b', true],
    [String.raw`^a\sb$`, 'a\u000bb', true],
    [String.raw`^a\Sb$`, 'a\u00a0b', false],
    [String.raw`^a[^\s]b$`, 'a\u3000b', false],
    [String.raw`^a[\s,]b$`, 'a\u2003b', true],
    // "\w Word character (\p{Alphabetic} + \p{M} + \d + \p{Pc} + \p{Join_Control})"; RE2's is ASCII.
    [String.raw`^\w+@\w+$`, 'jörg@société', true],
    [String.raw`^\w+$`, 'Ⓐβ٣_\u0301', true],
    [String.raw`^\w+$`, 'a-b', false],
    [String.raw`^\W$`, 'é', false],
    [String.raw`^[^\w]+$`, ' -/', true],
    [String.raw`^[^\w]+$`, 'ü', false],
    // The ASCII forms of the Unicode classes, "(?-u:\b)", which RE2 does not parse.
    [String.raw`(?-u:\b)abc(?-u:\b)`, '$$abc$$', true],
    [String.raw`^(?-u:\d)$`, '٣', false],
    [String.raw`^(?-u:\w)+$`, 'abc_1', true],
    [String.raw`^(?-u:\s)$`, '\u000b', true],
    // Forms both engines read alike.
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:^alpha:]]+$', 'abc', false],
    [String.raw`^[\[\]]+$`, '[]', true],
    [String.raw`^\p{Greek}+$`, 'αβγ', true],
    [String.raw`^[]a]+$`, ']a', true],
    ['(?i)a+(?-i)b+', 'AAb', true],
    ['(?i)a+(?-i)b+', 'AAB', false],
  ])('%s on %j is %s', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
  });
});

describe('Kusto regex constructs RE2 reads differently and cannot express are reported', () => {
  it.each([
    ['[a-y&&xyz]', '[a-y&&xyz]', 'an intersection'],
    ['[0-9&&[^4]]', '[0-9&&[^4]', 'an intersection'],
    ['[0-9--4]', '[0-9--4]', 'a difference'],
    ['[a-g~~b-h]', '[a-g~~b-h]', 'a symmetric difference'],
    ['[a&&b]', '[a&&b]', 'an intersection'],
    ['[x[^xyz]]', '[x[^xyz]', 'nested class'],
    [String.raw`[\W,]`, String.raw`[...\W...]`, 'inside a bracketed class'],
    [String.raw`\btimeout\b`, String.raw`\b`, 'Unicode word boundary'],
    [String.raw`\b{start}x`, String.raw`\b`, 'Unicode word boundary'],
    [String.raw`\Bx`, String.raw`\B`, 'Unicode'],
    [String.raw`\<word\>`, String.raw`\<`, 'start of word'],
    [String.raw`[\S,]`, String.raw`[...\S...]`, 'inside a bracketed class'],
    [String.raw`\Qa.b\E`, String.raw`\Q`, 'does not read'],
  ])('%s', (pattern, construct, why) => {
    const translated = translateKustoRegex(pattern);
    expect(translated.ok).toBe(false);
    if (translated.ok) return;
    expect(translated.construct).toBe(construct);
    expect(translated.reason).toContain(why);
  });

  it('places the diagnostic at the pattern and names the construct and the fix', () => {
    expect(problemsOf('requests | where name matches regex "[a-y&&xyz]"')).toEqual([
      'line 1, col 37: regular expression construct [a-y&&xyz] is not supported: && in a class is an intersection in Kusto but two literal characters in RE2: list the characters the class should match, or escape them (\\&\\&)',
    ]);
  });

  it('reports the same in trim(), which takes a regex too', () => {
    expect(problemsOf(String.raw`requests | where trim(@"\b", name) == "x"`)[0]).toMatch(
      /^line 1, col 23: regular expression construct \\b is not supported/,
    );
  });

  it('still reports RE2 syntax errors quoting the pattern as written', () => {
    expect(problemsOf(String.raw`requests | where name matches regex @"\d(" `)[0]).toMatch(
      /^line 1, col 37: invalid regular expression: missing closing \): `\\d\(`/,
    );
  });
});
