import { formatRuleFileProblem, readRuleFile } from '../../../cli/ruleFile';

const rule = (extra: Record<string, unknown> = {}) => ({
  Query: 'requests | where toint(resultCode) >= 500',
  Recipients: 'ops@example.com',
  ...extra,
});
const read = (value: unknown) => readRuleFile(JSON.stringify(value, null, 2));
const messages = (text: string) => readRuleFile(text).problems.map((p) => formatRuleFileProblem('rules.json', p));

describe('readRuleFile', () => {
  it('reads rule entities with the table property names, scope * and the position as id by default', () => {
    // Act
    const { rules, problems } = read([
      rule(),
      rule({
        PartitionKey: 'shop',
        RowKey: 'r5xx',
        Threshold: 5,
        WindowMinutes: '10',
        Enabled: 'false',
        GroupBy: 'cloud_RoleName',
      }),
    ]);

    // Assert
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.position, r.line, `${r.rule.scope}/${r.rule.id}`])).toEqual([
      [1, 2, '*/1'],
      [2, 6, 'shop/r5xx'],
    ]);
    expect(rules[1]?.rule).toMatchObject({ threshold: 5, windowMinutes: 10, enabled: false, table: 'requests' });
    expect(rules[1]?.entity).toMatchObject({ partitionKey: 'shop', rowKey: 'r5xx', Threshold: 5 });
  });

  it('reports bad JSON with its line and column', () => {
    expect(messages('[\n  { "Query": "requests" "Recipients": 1 }\n]')).toEqual([
      expect.stringMatching(/^rules\.json:2:25: invalid JSON: Expected ',' or '}' after property value$/),
    ]);
    expect(messages('[\n  { "Query": "requests"')).toEqual([
      "rules.json:2:24: invalid JSON: Expected ',' or '}' after property value",
    ]);
    expect(messages('[\n')).toEqual(['rules.json:2:1: invalid JSON: Unexpected end of JSON input']);
  });

  it('reports a document that is not an array, and entries that are not objects, by position and line', () => {
    expect(messages('\n{ "Query": "requests" }')).toEqual([
      'rules.json:2:1: expected a JSON array of rules, found an object',
    ]);
    const { rules, problems } = read([rule(), 'requests | where true', null, [rule()]]);
    expect(rules).toHaveLength(1);
    expect(problems.map((p) => formatRuleFileProblem('f', p))).toEqual([
      'f:6: rule #2: expected a rule object, found a string ("requests | where true")',
      'f:7: rule #3: expected a rule object, found null',
      'f:8: rule #4: expected a rule object, found an array',
    ]);
  });

  it("reports each invalid rule's compileRule problems with its id and runs the valid ones", () => {
    // Act
    const { rules, problems } = read([
      rule({ RowKey: 'ok' }),
      {
        PartitionKey: 'shop',
        RowKey: 'typo',
        Query: 'requests | where resultcode == "500"',
        Recipients: 'nobody',
        Treshold: 5,
      },
    ]);

    // Assert
    expect(rules.map((r) => r.rule.id)).toEqual(['ok']);
    expect(problems).toHaveLength(1);
    expect(formatRuleFileProblem('rules.json', problems[0]!)).toMatch(
      /^rules\.json:7: rule #2 \(shop\/typo\): unknown property 'Treshold' \(did you mean 'Threshold'\?\); Query line 1, col 18: unknown column 'resultcode'.*did you mean 'resultCode'.*; invalid recipient address: 'nobody'$/,
    );
  });

  it('reports every entry of a duplicated id and runs none of them, a default id counting too', () => {
    const { rules, problems } = read([
      rule({ RowKey: '3' }),
      rule({ RowKey: 'x' }),
      rule(),
      rule({ PartitionKey: 'shop', RowKey: 'x' }),
    ]);
    expect(rules.map((r) => `${r.rule.scope}/${r.rule.id}`)).toEqual(['*/x', 'shop/x']);
    expect(problems.map((p) => [p.position, p.message])).toEqual([
      [1, 'duplicate id: rule */3 is also entry #3'],
      [3, 'duplicate id: rule */3 is also entry #1'],
    ]);
  });

  it('refuses keys Table Storage would refuse, so the file can be applied as it back-tests', () => {
    const { rules, problems } = read([rule({ RowKey: 'a/b' }), rule({ PartitionKey: 7 }), rule({ RowKey: '' })]);
    expect(rules).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^RowKey must be 1–512 characters without \/ \\ # \? or control characters/),
      'PartitionKey must be text, found a number (7)',
      expect.stringMatching(/^RowKey must be 1–512 characters/),
    ]);
  });

  it('ignores what the app writes (LastError) and a byte-order mark', () => {
    const { rules, problems } = readRuleFile(
      `\uFEFF${JSON.stringify([rule({ LastError: 'old', Timestamp: '2024-01-01' })])}`,
    );
    expect(problems).toEqual([]);
    expect(rules).toHaveLength(1);
  });

  it('finds each entry line whatever strings with brackets, commas and escapes come before it', () => {
    const text =
      '[{"Query":"requests | where name == \\"a,[b]\\\\\\"", "Recipients":"a@example.com", "Subject":"{x}, ]"},\n\n  {"Query":5}]';
    const { problems } = readRuleFile(text);
    expect(problems.map((p) => [p.position, p.line])).toContainEqual([2, 3]);
  });
});
