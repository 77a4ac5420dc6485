import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { formatRuleFileProblem, readRuleFile } from '../../../cli/ruleFile';
import { ruleFileFormatOf } from '../../../cli/ruleFileSyntax';

const messages = (text: string, requireKeys = false) =>
  readRuleFile(text, { format: 'yaml', requireKeys }).problems.map((p) => formatRuleFileProblem('rules.yaml', p));

describe('readRuleFile, YAML', () => {
  it('reads a YAML list of rules with the line each starts on, numbers and flags as YAML types them', () => {
    // Arrange
    const text = [
      '# alert rules of the shop',
      '- PartitionKey: shop',
      '  RowKey: checkout-5xx',
      '  Query: |',
      '    requests',
      '    | where toint(resultCode) >= 500',
      '  Recipients: ops@example.com',
      '  Severity: 1',
      '  WindowMinutes: "10"',
      '  Enabled: false',
      '',
      '- PartitionKey: "*"',
      '  RowKey: exceptions',
      '  Query: exceptions | where type has "Timeout"',
      '  Recipients: ops@example.com',
    ].join('\n');

    // Act
    const { rules, problems } = readRuleFile(text, { format: 'yaml' });

    // Assert
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.position, r.line, `${r.rule.scope}/${r.rule.id}`])).toEqual([
      [1, 2, 'shop/checkout-5xx'],
      [2, 12, '*/exceptions'],
    ]);
    expect(rules[0]?.entity).toMatchObject({
      Query: 'requests\n| where toint(resultCode) >= 500\n',
      Severity: 1,
      WindowMinutes: '10',
      Enabled: false,
    });
    expect(rules[0]?.rule).toMatchObject({ severity: 1, windowMinutes: 10, enabled: false, table: 'requests' });
  });

  it('reports each invalid rule on the line its entry starts, YAML 1.2 reading `yes` as text', () => {
    expect(
      messages(
        [
          '- PartitionKey: shop',
          '  RowKey: ok',
          '  Query: requests | where true',
          '  Recipients: ops@example.com',
          '- PartitionKey: shop',
          '  RowKey: bad',
          '  Query: requests | where true',
          '  Recipients: ops@example.com',
          '  Enabled: yes',
          '  Treshold: 5',
          '  MaxEvents: 0',
        ].join('\n'),
      ),
    ).toEqual([
      "rules.yaml:5: rule #2 (shop/bad): unknown property 'Treshold' (did you mean 'Threshold'?); MaxEvents must be a whole number 1–500, found 0; Enabled must be true or false, found 'yes'",
    ]);
  });

  it.each([
    [
      "an unquoted query holding ': '",
      '- PartitionKey: shop\n  Query: requests | where name == "GET /a: b"\n',
      'rules.yaml:2:10: invalid YAML: Nested mappings are not allowed in compact mappings',
    ],
    ['an unclosed quote', "- Query: 'requests\n", "rules.yaml:2:1: invalid YAML: Missing closing 'quote"],
    ['a key given twice', '- RowKey: a\n  RowKey: b\n', 'rules.yaml:2:3: invalid YAML: Map keys must be unique'],
    ['a map, not a list', '\nPartitionKey: shop\n', 'rules.yaml:2: expected a YAML list of rules, found an object'],
    ['an empty file', '# nothing yet\n', 'rules.yaml:1: expected a YAML list of rules, found nothing'],
    [
      'an alias before its anchor',
      '- Query: *q\n',
      'rules.yaml:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): q',
    ],
  ])('reports %s with its line, and reads no rule', (_case, text, message) => {
    expect(messages(text)).toEqual([message]);
    expect(readRuleFile(text, { format: 'yaml' }).rules).toEqual([]);
  });

  it('reports every syntax error of the file at once', () => {
    expect(messages('- RowKey: a\n  RowKey: b\n- Query: x\n  Query: y\n')).toEqual([
      'rules.yaml:2:3: invalid YAML: Map keys must be unique',
      'rules.yaml:4:3: invalid YAML: Map keys must be unique',
    ]);
  });

  it('requires PartitionKey and RowKey when the file is to be applied, a position being no id', () => {
    expect(messages('- Query: requests | where true\n  Recipients: ops@example.com\n', true)).toEqual([
      "rules.yaml:1: rule #1 (*/1): PartitionKey (the scope: '<app>_<ikey>', the app name or '*') is required to apply a file; RowKey (the rule id) is required to apply a file",
    ]);
  });
});

describe('ruleFileFormatOf', () => {
  it.each([
    ['rules.yaml', '[]', 'yaml'],
    ['rules.YML', '{', 'yaml'],
    ['rules.json', '- a: 1', 'json'],
    ['rules', '\uFEFF  [\n', 'json'],
    [undefined, '{"a": 1}', 'json'],
    [undefined, '# rules\n- PartitionKey: shop', 'yaml'],
    [undefined, '', 'yaml'],
  ])('reads %s holding %j as %s', (path, content, format) => {
    expect(ruleFileFormatOf(path, content)).toBe(format);
  });

  it('keeps reading the JSON of rules test --file as JSON, with its error messages', () => {
    expect(readRuleFile('[\n').problems).toEqual([
      { line: 2, column: 1, message: 'invalid JSON: Unexpected end of JSON input' },
    ]);
  });
});

describe('docs/RULES.md, "Rules as code"', () => {
  it('shows a YAML file that reads as valid rules, ready to apply', () => {
    // Arrange
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'RULES.md'), 'utf8');
    const [example] = [...doc.matchAll(/```yaml\n(.*?)\n```/gs)].map((m) => m[1] ?? '');

    // Act
    const { rules, problems } = readRuleFile(example ?? '', { format: 'yaml', requireKeys: true });

    // Assert
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.line, `${r.rule.scope}/${r.rule.id}`, r.rule.table, r.rule.enabled])).toEqual([
      [2, 'shop-prod/checkout-5xx', 'requests', true],
      [10, 'shop-prod/slow-dependencies', 'dependencies', false],
    ]);
    expect(rules[1]?.rule.subject).toBe('[Sev{severity}] {rule}: {count} slow calls');
  });
});
