import { toRecords } from '../../../../shared/core/export/toRecords';
import { workspaceRowToRecords } from '../../../../shared/core/export/workspace/workspaceRowToRecords';
import { compileQuery } from '../../../../shared/core/rules/compileQuery';
import { FOLDS_TO_ASCII } from '../../../../shared/core/rules/prefilter/literalNeedles';
import { rawFilterOf, rawFilterPasses, type RawFormat } from '../../../../shared/core/rules/prefilter/rawFilter';
import { requiredLiterals } from '../../../../shared/core/rules/prefilter/regexLiterals';
import { NOW } from '../ruleHelpers';

const CONTEXT = '"internal":{"data":{"id":"i1"}},"context":{"data":{"eventTime":"2024-03-05T12:30:00.0000000Z"}';

/** A Continuous Export requests row with `item` as its request and `context` members after `data`. */
function ceRow(item: string, context = ''): string {
  return `{"request":[{${item}}],${CONTEXT}${context ? `,${context}` : ''}}}`;
}

function wsRow(columns: string): string {
  return `{"TimeGenerated":"2024-03-05T12:30:00Z","Type":"AppRequests",${columns}}`;
}

/** What the exact predicate and the raw filter say of one row. */
function judge(query: string, format: RawFormat, row: string): { exact: boolean; raw: boolean } {
  const compiled = compileQuery(query);
  if (!compiled.ok) throw new Error(`${query}: ${compiled.error.map((d) => d.message).join('; ')}`);
  const document = JSON.parse(row) as Record<string, unknown>;
  const records =
    format === 'continuousExport'
      ? toRecords(document, { telemetryType: 'Requests' })
      : workspaceRowToRecords(document, { table: 'AppRequests' });
  if (!records.ok) throw new Error(records.error);
  return {
    exact: records.value.some((r) => compiled.value.predicate(r, NOW)),
    raw: rawFilterPasses(rawFilterOf(query, format), Buffer.from(row)),
  };
}

describe('rows a rule keeps pass its raw filter, whatever their spelling', () => {
  const cases: Array<[string, RawFormat, string, string]> = [
    [
      'a result code written with an exponent',
      'continuousExport',
      'requests | where resultCode == "500"',
      ceRow('"responseCode":5e2'),
    ],
    [
      'a result code with a mantissa below 1',
      'continuousExport',
      'requests | where resultCode in ("404", "500")',
      ceRow('"responseCode":0.5E3'),
    ],
    [
      'a result code that rounds up to the integer',
      'continuousExport',
      'requests | where resultCode == "500"',
      ceRow('"responseCode":499.99999999999999999'),
    ],
    [
      'a rounding run of nines split by the point',
      'continuousExport',
      'requests | where resultCode == "500"',
      ceRow('"responseCode":499999.99999999999999e-3'),
    ],
    [
      'a space after the colon',
      'continuousExport',
      'requests | where resultCode == "500"',
      ceRow('"responseCode": 5e2'),
    ],
    ['a tab before the colon', 'workspace', 'AppRequests | where ResultCode == "500"', wsRow('"ResultCode"\t:500')],
    ['a negative code', 'workspace', 'AppRequests | where ResultCode == "-5"', wsRow('"ResultCode":-0.5e1')],
    [
      'success as a spaced boolean',
      'continuousExport',
      'requests | where success == false',
      ceRow('"success" : false'),
    ],
    ['Success as a string', 'workspace', 'AppRequests | where Success == false', wsRow('"Success":"FALSE"')],
    ['Success as a boolean', 'workspace', 'requests | where success == true', wsRow('"Success":true')],
    [
      'a result code as a string',
      'continuousExport',
      'requests | where resultCode == "500"',
      ceRow('"responseCode":"500"'),
    ],
    [
      'a workspace result code with an exponent',
      'workspace',
      'AppRequests | where ResultCode == "500"',
      wsRow('"ResultCode":50E1'),
    ],
    [
      'a Properties boolean read as text',
      'workspace',
      'AppRequests | where Properties.tenant == "true"',
      wsRow('"Properties":{"tenant":true}'),
    ],
    [
      'a Properties prefix of a boolean',
      'workspace',
      'AppRequests | where Properties.tenant startswith "tr"',
      wsRow('"Properties":{"tenant":true}'),
    ],
    [
      'a Properties number with an exponent',
      'workspace',
      'requests | where customDimensions.tenant == "500"',
      wsRow('"Properties":{"tenant":5e2}'),
    ],
    [
      'Properties written as a string holding JSON',
      'workspace',
      'AppRequests | where Properties.tenant == "acme"',
      wsRow('"Properties":"{\\"tenant\\":\\"acme\\"}"'),
    ],
    [
      'the Kelvin sign under a case-insensitive operator',
      'continuousExport',
      'requests | where name contains "kel"',
      ceRow('"name":"\u212Aelvin"'),
    ],
    [
      'a dotted capital I under a case-insensitive operator',
      'continuousExport',
      'requests | where name has "i"',
      ceRow('"name":"\u0130"'),
    ],
    [
      'non-ASCII letters of another case',
      'continuousExport',
      'requests | where name in~ ("müller gmbh")',
      ceRow('"name":"MÜLLER GMBH"'),
    ],
    [
      'a \\u escape spelling a letter',
      'continuousExport',
      'requests | where name == "acme"',
      ceRow('"name":"\\u0061cme"'),
    ],
    [
      'a literal with a quote',
      'continuousExport',
      `requests | where name == 'say "hi"'`,
      ceRow('"name":"say \\"hi\\""'),
    ],
    ['an escaped slash', 'continuousExport', 'requests | where url contains "x/y"', ceRow('"url":"x\\/y"')],
    ['whitespace after the colon', 'continuousExport', 'requests | where name == "acme"', ceRow('"name":  \t"acme"')],
    [
      'a dimension key that repeats',
      'continuousExport',
      'requests | where customDimensions.tenant == "acme"',
      ceRow('', '"custom":{"dimensions":[{"tenant":"a"},{"tenant":"acme"}]}'),
    ],
    [
      '_ResourceId from resourceId',
      'workspace',
      'AppRequests | where _ResourceId endswith "/shop"',
      wsRow('"resourceId":"/SUBS/X/shop"'),
    ],
    [
      'a regex character made optional by *',
      'continuousExport',
      'requests | where name matches regex "ab*c"',
      ceRow('"name":"ac"'),
    ],
    [
      'a regex character made optional by ?',
      'continuousExport',
      'requests | where name matches regex "acme?"',
      ceRow('"name":"acm"'),
    ],
    ['a regex alternation', 'continuousExport', 'requests | where name matches regex "foo|bar"', ceRow('"name":"bar"')],
    [
      'a regex group alternation',
      'continuousExport',
      'requests | where name matches regex "(x|y)z"',
      ceRow('"name":"yz"'),
    ],
    [
      'a regex repeated zero times',
      'continuousExport',
      'requests | where name matches regex "a{0}b"',
      ceRow('"name":"b"'),
    ],
    [
      'an or with one needle-less side',
      'continuousExport',
      'requests | where name == "acme" or duration > 1s',
      ceRow('"name":"x","durationMetric":{"value":20000000.0,"count":1}'),
    ],
  ];
  test.each(cases)('%s', (_what, format, query, row) => {
    expect(judge(query, format, row)).toEqual({ exact: true, raw: true });
  });
});

describe('filters leave out rows that cannot match', () => {
  test('equality, membership and string operators give needles', () => {
    const row = ceRow('"name":"GET /","url":"https://x/"', '"device":{"roleName":"web"}');
    for (const query of [
      'requests | where name == "acme"',
      'requests | where name =~ "ACME"',
      'requests | where cloud_RoleName in ("api", "worker")',
      'requests | where url has_cs "Contoso"',
      'requests | where name startswith "POST"',
      'requests | where customDimensions["Build Id"] == "20240305.2"',
      'requests | where name matches regex "^GET /api/orders/[0-9]+$"',
      'requests | where name contains "x" and url contains "acme"',
      'requests | where resultCode == "503"',
      'requests | where resultCode in ("500", "404")',
      'AppRequests | where Name == "acme" | where Url has "y"',
      'requests | where success == false',
    ]) {
      expect({ query, raw: judge(query, 'continuousExport', row).raw }).toEqual({ query, raw: false });
    }
  });

  test('negations, conversions and derived columns give none', () => {
    for (const query of [
      'requests | where name != "acme"',
      'requests | where name !contains "acme"',
      'requests | where cloud_RoleName !in ("api")',
      'requests | where not(name == "acme")',
      'requests | where toint(resultCode) >= 500',
      'requests | where resultCode startswith "5"',
      'requests | where duration > 1s',
      'requests | where iKey == "abc"',
      'requests | where performanceBucket == "<250ms"',
      'requests | where name == ""',
      'requests | where name matches regex "^(POST|DELETE) "',
      'requests | where name == "acme" or success != false',
      'AppRequests | where Properties.tenant == "5e2"',
    ]) {
      expect({
        query,
        filter: rawFilterOf(query, 'continuousExport').kind === 'any' || rawFilterOf(query, 'workspace').kind === 'any',
      }).toEqual({ query, filter: true });
    }
  });

  test('a comparison with ago() or now() gives none: the time is known only when the rule runs', () => {
    for (const query of [
      'requests | where timestamp > ago(1h)',
      'requests | where timestamp between (ago(1h) .. now())',
      'requests | where name == tostring(now())',
      'requests | where name == "acme" or timestamp > ago(5m)',
      'AppRequests | where TimeGenerated >= now(-15m)',
    ]) {
      expect({ query, kind: rawFilterOf(query, 'continuousExport').kind }).toEqual({ query, kind: 'any' });
      expect({ query, kind: rawFilterOf(query, 'workspace').kind }).toEqual({ query, kind: 'any' });
    }
  });

  test('a condition with ago() joined by and keeps the needles of the other side', () => {
    expect(rawFilterOf('requests | where name == "acme" and timestamp > ago(1h)', 'continuousExport')).toEqual(
      rawFilterOf('requests | where name == "acme"', 'continuousExport'),
    );
  });

  test('a needle-giving filter admits any row with an escape that can spell a letter or a slash', () => {
    expect(rawFilterOf('requests | where name == "acme"', 'continuousExport')).toEqual({
      kind: 'or',
      filters: [
        { kind: 'needle', text: '"acme"', caseInsensitive: false },
        { kind: 'needle', text: '\\u', caseInsensitive: false },
        { kind: 'needle', text: '\\/', caseInsensitive: false },
      ],
    });
  });

  test('an escaped quote elsewhere in the row does not make it a candidate', () => {
    expect(judge('requests | where name == "acme"', 'continuousExport', ceRow('"name":"x","url":"a\\"b"'))).toEqual({
      exact: false,
      raw: false,
    });
    expect(judge("requests | where name contains 'a\"b'", 'continuousExport', ceRow('"name":"xa\\"b"'))).toEqual({
      exact: true,
      raw: true,
    });
  });
});

test('required literals of regular expressions', () => {
  expect(requiredLiterals('GET /api/orders/[0-9]+$')).toEqual(['GET /api/orders/']);
  expect(requiredLiterals('ab*c')).toEqual(['a']);
  expect(requiredLiterals('foo|bar')).toEqual(['foo', 'bar']);
  expect(requiredLiterals('foo|b?')).toBeUndefined();
  expect(requiredLiterals('größe-[0-9]{3}$')).toEqual(['größe-']);
  expect(requiredLiterals('(?i)acme')).toBeUndefined();
  expect(requiredLiterals('[|]x|y')).toEqual(['x', 'y']);
});

test('FOLDS_TO_ASCII lists every character whose lower case holds ASCII', () => {
  const found: string[] = [];
  for (let cp = 0x80; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (/[\x00-\x7f]/.test(String.fromCodePoint(cp).toLowerCase())) found.push(String.fromCodePoint(cp));
  }
  expect(found).toEqual(FOLDS_TO_ASCII.map(([ch]) => ch));
});
