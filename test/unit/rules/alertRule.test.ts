import { compileRule, formatRuleProblems, type RuleEntity } from '../../../shared/core/rules/alertRule';
import { parseColumnPath, readColumnPath, splitColumnList } from '../../../shared/core/rules/columnPath';
import { parseRecipients } from '../../../shared/core/rules/recipients';
import { dimensions, NOW, record } from './ruleHelpers';

const VALID: RuleEntity = {
  partitionKey: 'shop-prod',
  rowKey: 'checkout-5xx',
  Query: 'requests | where toint(resultCode) >= 500',
  Recipients: 'ops@example.com; oncall@example.com',
};

describe('compileRule', () => {
  it('fills the documented defaults for a minimal rule', () => {
    const result = compileRule(VALID);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      scope: 'shop-prod',
      id: 'checkout-5xx',
      table: 'requests',
      recipients: ['ops@example.com', 'oncall@example.com'],
      enabled: true,
      severity: 2,
      subject: undefined,
      threshold: 1,
      windowMinutes: 0,
      groupBy: [],
      throttleMinutes: 15,
      maxEvents: 20,
      columns: [],
    });
    expect(result.value.matches(record({ resultCode: '503' }), NOW)).toBe(true);
    expect(result.value.matches(record({ resultCode: '200' }), NOW)).toBe(false);
  });

  it('reads numbers and booleans written as strings, as Storage Explorer users often do', () => {
    const result = compileRule({
      ...VALID,
      Enabled: 'FALSE',
      Severity: '1',
      Threshold: '5',
      WindowMinutes: 10,
      MaxEvents: '7',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { enabled: false, severity: 1, threshold: 5, windowMinutes: 10, maxEvents: 7 },
    });
  });

  it('reads numbers however the Tables SDK returns them: Int64 as BigInt or typed value, integral Double, padded string', () => {
    // Arrange: what Storage Explorer and scripts write (issue 10 row 6).
    const entity = {
      ...VALID,
      Severity: 1n,
      Threshold: { value: '5', type: 'Int64' },
      WindowMinutes: { value: '10.0', type: 'Double' },
      ThrottleMinutes: 30.0,
      MaxEvents: ' 7 ',
      Enabled: { value: 'true', type: 'Boolean' },
      Subject: { value: 'Checkout failing', type: 'String' },
    };

    // Act
    const result = compileRule(entity);

    // Assert
    expect(result).toMatchObject({
      ok: true,
      value: {
        severity: 1,
        threshold: 5,
        windowMinutes: 10,
        throttleMinutes: 30,
        maxEvents: 7,
        enabled: true,
        subject: 'Checkout failing',
      },
    });
  });

  it.each<[Partial<RuleEntity>, string]>([
    [{ Threshold: 5.5 }, 'Threshold must be a whole number ≥ 1, found 5.5 (Edm.Double)'],
    [{ Threshold: { value: '5.5', type: 'Double' } }, 'Threshold must be a whole number ≥ 1, found 5.5 (Edm.Double)'],
    [{ Threshold: 'five' }, "Threshold must be a whole number ≥ 1, found 'five'"],
    [{ Threshold: NaN }, 'Threshold must be a whole number ≥ 1, found NaN (Edm.Double)'],
    [{ Threshold: 9007199254740993n }, 'Threshold must be a whole number ≥ 1, found 9007199254740993 (Edm.Int64)'],
    [{ Threshold: { n: 5 } }, 'Threshold must be a whole number ≥ 1, found an object ({"n":5})'],
    [{ Severity: 7n }, 'Severity must be a whole number 0–4, found 7 (Edm.Int64)'],
    [{ MaxEvents: { value: '501', type: 'Int64' } }, 'MaxEvents must be a whole number 1–500, found 501 (Edm.Int64)'],
    [{ WindowMinutes: '   5.5' }, "WindowMinutes must be a whole number 0–10080, found '   5.5'"],
    [{ Enabled: 1 }, 'Enabled must be true or false, found 1'],
    [{ Subject: 42 }, 'Subject must be text, found 42'],
    [{ Subject: true }, 'Subject must be text, found true (Edm.Boolean)'],
    [{ GroupBy: 5n }, 'GroupBy must be text (columns separated by , or ;), found 5 (Edm.Int64)'],
    [
      { Columns: { value: '3', type: 'Int32' } },
      'Columns must be text (columns separated by , or ;), found 3 (Edm.Int32)',
    ],
    [{ Recipients: 12 }, 'Recipients must be text (addresses separated by , or ;), found 12'],
    [{ Query: 500 }, 'Query must be text, found 500'],
  ])('names the property and the value as written for %p', (change, message) => {
    const result = compileRule({ ...VALID, ...change });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error.map((p) => p.message)).toEqual([message]);
  });

  it('parses GroupBy and Columns against the table, dynamic keys included', () => {
    const result = compileRule({
      ...VALID,
      GroupBy: 'cloud_RoleName, customDimensions["build id"]',
      Columns: 'name;customDimensions.tenant',
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        groupBy: [{ column: 'cloud_RoleName' }, { column: 'customDimensions', key: 'build id' }],
        columns: [{ column: 'name' }, { column: 'customDimensions', key: 'tenant' }],
      },
    });
  });

  it('reports every problem at once, the query ones with their position', () => {
    // Act
    const result = compileRule({
      ...VALID,
      Query: 'requests | where toint(resultcode) >= 500',
      Recipients: 'ops@example.com, not-an-address',
      Severity: 7,
      Threshold: 0,
      WindowMinutes: -5,
      GroupBy: 'cloudRoleName',
      Enabled: 'maybe',
    });

    // Assert
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.error.map((p) => `${p.property}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Query: line 1, col 24: .*resultcode.*did you mean 'resultCode'/),
        "Recipients: invalid recipient address: 'not-an-address'",
        'Severity: Severity must be a whole number 0–4, found 7',
        'Threshold: Threshold must be a whole number ≥ 1, found 0',
        'WindowMinutes: WindowMinutes must be a whole number 0–10080, found -5',
        "Enabled: Enabled must be true or false, found 'maybe'",
      ]),
    );
    const query = result.error.find((p) => p.property === 'Query');
    expect(query?.diagnostic).toMatchObject({ line: 1, column: 24, text: 'resultcode' });
  });

  it('checks GroupBy columns once the query names the table', () => {
    const result = compileRule({ ...VALID, GroupBy: 'cloudRoleName' });
    expect(result).toMatchObject({
      ok: false,
      error: [
        {
          property: 'GroupBy',
          message: "GroupBy: unknown column 'cloudRoleName' for table requests (did you mean 'cloud_RoleName'?)",
        },
      ],
    });
  });

  it.each([
    [{ Query: undefined }, 'Query is required'],
    [{ Query: '   ' }, 'Query is required'],
    [{ Recipients: '' }, 'Recipients is required'],
    [{ MaxEvents: 0 }, 'MaxEvents must be a whole number 1–500'],
    [{ ThrottleMinutes: 1.5 }, 'ThrottleMinutes must be a whole number'],
    [{ Query: `requests | where ${'('.repeat(6000)}success${')'.repeat(6000)}` }, 'over the 10000-character limit'],
  ])('rejects %j', (change, message) => {
    const result = compileRule({ ...VALID, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.map((p) => p.message).join('\n')).toContain(message);
  });

  it('formats problems as one line naming the rule', () => {
    const result = compileRule({ ...VALID, Threshold: 0 });
    if (result.ok) throw new Error('expected problems');
    expect(formatRuleProblems('shop-prod', 'checkout-5xx', result.error)).toBe(
      'rule shop-prod/checkout-5xx: Threshold must be a whole number ≥ 1, found 0',
    );
  });

  it('keeps the line LastError stores one line when a message quotes query text that spans lines', () => {
    const result = compileRule({ ...VALID, Query: 'requests\n| where resultcode == "500"\n| where nme == "x"' });
    if (result.ok) throw new Error('expected problems');
    const quoting = [...result.error, { property: 'Query', message: "'a\n  + b' is not supported" }];
    expect(formatRuleProblems('shop-prod', 'checkout-5xx', quoting)).toBe(
      "rule shop-prod/checkout-5xx: Query line 2, col 9: unknown column 'resultcode' for table requests (did you mean 'resultCode'?); " +
        "Query line 3, col 9: unknown column 'nme' for table requests (did you mean 'name'?); 'a + b' is not supported",
    );
  });
});

describe('parseRecipients', () => {
  it('splits on , and ; and drops duplicates ignoring case', () => {
    expect(parseRecipients(' a@example.com;b@example.org , A@EXAMPLE.COM;; ')).toEqual({
      ok: true,
      value: ['a@example.com', 'b@example.org'],
    });
  });

  it.each([
    'plain',
    'a@b',
    'a b@example.com',
    'a@exa mple.com',
    'x@example.com\r\nBcc: evil@example.com',
    '"q"@example.com',
    'a@-bad.com',
  ])('rejects %j', (address) => {
    expect(parseRecipients(address).ok).toBe(false);
  });
});

describe('column paths', () => {
  it('splits lists without breaking bracketed keys', () => {
    expect(splitColumnList('a, customDimensions["x, y"]; b')).toEqual(['a', 'customDimensions["x, y"]', 'b']);
  });

  it('reads a dynamic key from a null-prototype bag and nothing from the prototype chain', () => {
    const path = parseColumnPath('customDimensions.tenant', 'requests').path;
    const constructorPath = parseColumnPath('customDimensions.constructor', 'requests').path;
    if (!path || !constructorPath) throw new Error('expected paths');
    const row = record({ customDimensions: dimensions({ tenant: 'acme' }) });
    expect(readColumnPath(row, path)).toBe('acme');
    expect(readColumnPath(record({ customDimensions: { other: '1' } }), constructorPath)).toBeUndefined();
  });

  it('refuses a key on a non-dynamic column', () => {
    expect(parseColumnPath('name.x', 'requests').problem).toBe(
      "column 'name' is string, only dynamic columns have keys ('name.x')",
    );
  });
});
