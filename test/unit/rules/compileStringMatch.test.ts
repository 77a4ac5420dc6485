import { compileQuery } from '../../../shared/core/rules/compileQuery';
import { keeps, problemsOf, record } from './ruleHelpers';

// Each row: condition on the string column `name`, the record's value (undefined = column missing,
// which KQL reads as ""), and whether the record is kept. Examples follow the KQL string operator docs.
type Row = [condition: string, name: string | undefined, kept: boolean];

const table = (rows: Row[]): Row[] => rows;

describe.each([
  [
    '==, case-sensitive',
    table([
      ['name == "aBc"', 'aBc', true],
      ['name == "aBc"', 'abc', false],
      ['name == "aBc"', undefined, false],
      ['name == ""', undefined, true],
    ]),
  ],
  [
    '!=, case-sensitive',
    table([
      ['name != "ABC"', 'abc', true],
      ['name != "abc"', 'abc', false],
      ['name != "abc"', undefined, true],
    ]),
  ],
  [
    '=~ and !~, case-insensitive',
    table([
      ['name =~ "ABC"', 'abc', true],
      ['name =~ "ABC"', 'abd', false],
      ['name =~ "abc"', undefined, false],
      ['name !~ "xyz"', 'aBc', true],
      ['name !~ "ABC"', 'abc', false],
      ['name !~ "abc"', undefined, true],
    ]),
  ],
  [
    'contains',
    table([
      ['name contains "BRik"', 'FabriKam', true],
      ['name contains "xyz"', 'Fabrikam', false],
      ['name contains "a"', undefined, false],
      ['name !contains "xyz"', 'Fabrikam', true],
      ['name !contains "BRIK"', 'Fabrikam', false],
      ['name !contains "a"', undefined, true],
      ['name contains_cs "Kam"', 'FabriKam', true],
      ['name contains_cs "Kam"', 'Fabrikam', false],
      ['name !contains_cs "Kam"', 'Fabrikam', true],
      ['name !contains_cs "Kam"', 'FabriKam', false],
    ]),
  ],
  [
    'has, whole terms',
    table([
      ['name has "america"', 'North America', true],
      ['name has "america"', 'NorthAmerica', false],
      ['name has "Explorer"', 'KustoExplorerQueryRun', false],
      ['name has "c1db"', 'Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun', true],
      ['name has "b-c"', 'a b-c d', true],
      ['name has "b-c"', 'ab-cd', false],
      ['name has "b-c"', 'x-b-c', true],
      ['name has "-c"', 'ab-c', true],
      ['name has "north america"', 'In North America today', true],
      ['name !has "america"', 'North America', false],
      ['name !has "america"', 'Americas', true],
      ['name has_cs "America"', 'North America', true],
      ['name has_cs "America"', 'north america', false],
      ['name !has_cs "America"', 'north america', true],
    ]),
  ],
  [
    'hasprefix and hassuffix, term boundaries',
    table([
      ['name hasprefix "amer"', 'North America', true],
      ['name hasprefix "amer"', 'NorthAmerica', false],
      ['name !hasprefix "amer"', 'NorthAmerica', true],
      ['name hasprefix_cs "Amer"', 'North america', false],
      ['name hassuffix "rica"', 'North America', true],
      ['name hassuffix "rica"', 'North Americas', false],
      ['name !hassuffix "rica"', 'North America', false],
    ]),
  ],
  [
    'startswith and endswith',
    table([
      ['name startswith "fab"', 'Fabrikam', true],
      ['name startswith "fab"', 'xFab', false],
      ['name !startswith "fab"', 'Fabrikam', false],
      ['name !startswith "fab"', undefined, true],
      ['name startswith_cs "Fab"', 'fabrikam', false],
      ['name startswith_cs "Fab"', 'Fabrikam', true],
      ['name !startswith_cs "Fab"', 'fabrikam', true],
      ['name endswith "KAM"', 'Fabrikam', true],
      ['name !endswith "kam"', 'Fabrikam', false],
      ['name endswith_cs "kam"', 'FabriKam', false],
      ['name endswith_cs "kam"', 'Fabrikam', true],
      ['name !endswith_cs "kam"', 'FabriKam', true],
    ]),
  ],
  [
    'in, !in, in~, !in~',
    table([
      ['name in ("a", "B")', 'B', true],
      ['name in ("a", "B")', 'b', false],
      ['name in ("a", "B")', undefined, false],
      ['name !in ("a", "B")', 'b', true],
      ['name !in ("a", "B")', 'B', false],
      ['name !in ("a", "B")', undefined, true],
      ['name in~ ("a", "B")', 'b', true],
      ['name in~ ("a", "B")', 'c', false],
      ['name !in~ ("a", "B")', 'b', false],
      ['name !in~ ("a", "B")', 'c', true],
      ['name in (tolower("X"), "y")', 'x', true],
    ]),
  ],
  [
    'matches regex (RE2)',
    table([
      ['name matches regex "^Fab.*m$"', 'Fabrikam', true],
      ['name matches regex "^Fab.*m$"', 'fabrikam', false],
      ['name matches regex "(?i)^fab"', 'FABRIKAM', true],
      ['name matches regex @"\\d{3}"', 'code 503!', true],
      ['name matches regex "[0-9]+"', undefined, false],
      ['not(name matches regex "x")', 'abc', true],
    ]),
  ],
])('%s', (_operator, rows) => {
  it.each(rows)('%s with name %j → %s', (condition, name, kept) => {
    expect(keeps(`requests | where ${condition}`, record({ name }))).toBe(kept);
  });
});

describe('string operators on other types', () => {
  it('read a missing dynamic value as the empty string', () => {
    expect(keeps('requests | where customDimensions.x !contains "a"', record({}))).toBe(true);
    expect(keeps('requests | where customDimensions.x contains "a"', record({}))).toBe(false);
  });

  it('compare with a needle computed per record', () => {
    const rule = 'requests | where url contains name';
    expect(keeps(rule, record({ url: 'https://shop/Checkout', name: 'CHECKOUT' }))).toBe(true);
    expect(keeps(rule, record({ url: 'https://shop/cart', name: 'checkout' }))).toBe(false);
  });
});

describe('matches regex', () => {
  it('runs in linear time on input built to make backtracking engines explode', () => {
    const evil = `${'a'.repeat(50_000)}!`;
    const started = process.hrtime.bigint();

    const kept = keeps('requests | where name matches regex "^(a+)+$"', record({ name: evil }));

    expect(kept).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });

  it('reports a pattern RE2 cannot compile at the pattern', () => {
    expect(compileQuery('requests | where name matches regex "[a-"')).toMatchObject({
      ok: false,
      error: [
        {
          line: 1,
          column: 37,
          text: '"[a-"',
          code: 'RULE_BAD_REGEX',
          message: 'invalid regular expression: missing closing ]: `[a-`',
        },
      ],
    });
  });

  it('reports a look-behind, which RE2 (and Kusto) do not support', () => {
    expect(problemsOf('requests | where name matches regex "(?<=a)b"')[0]).toMatch(
      /^line 1, col 37: invalid regular expression: /,
    );
  });

  it('requires a constant pattern, compiled once per rule', () => {
    expect(problemsOf('requests | where name matches regex url')).toEqual([
      'line 1, col 37: the regular expression must be a string literal',
    ]);
  });
});
