import fc from 'fast-check';

import { readRuleFile } from '../../../cli/ruleFile';
import { parseRuleFile, type RuleFileFormat } from '../../../cli/ruleFileSyntax';
import { ruleFileText } from '../../../cli/ruleFileText';
import type { RuleEntity } from '../../../shared/core/rules/alertRule';
import { planRules } from '../../../shared/core/rules/rulePlan';

const QUERY = 'requests | where toint(resultCode) >= 500';
const FILE_KEYS = { PartitionKey: 'p', RowKey: 'r', Query: QUERY, Recipients: 'a@example.com' };

/** As TableRuleStore reads them: Int32 plain, Int64 and Double as `{ value, type }`, with the table's own fields. */
const stored: RuleEntity[] = [
  {
    partitionKey: 'shop',
    rowKey: 'b',
    Query: QUERY,
    Recipients: 'ops@example.com',
    Threshold: { value: '5', type: 'Int64' },
    WindowMinutes: { value: '10', type: 'Double' },
    Enabled: true,
    GroupBy: '',
    LastError: '',
    etag: 'W/"1"',
  },
  { partitionKey: '*', rowKey: '5', Query: QUERY, Recipients: 'ops@example.com', Severity: 0, Enabled: 'false' },
];

describe('ruleFileText', () => {
  it('writes YAML by scope and id, the keys first, only what each rule sets, numbers and flags as such', () => {
    expect(ruleFileText(stored, 'yaml')).toBe(
      [
        '- PartitionKey: "*"',
        '  RowKey: "5"',
        '  Query: requests | where toint(resultCode) >= 500',
        '  Recipients: ops@example.com',
        '  Severity: 0',
        '  Enabled: false',
        '- PartitionKey: shop',
        '  RowKey: b',
        '  Query: requests | where toint(resultCode) >= 500',
        '  Recipients: ops@example.com',
        '  Threshold: 5',
        '  WindowMinutes: 10',
        '  Enabled: true',
        '',
      ].join('\n'),
    );
  });

  it('writes the same list as JSON', () => {
    expect(JSON.parse(ruleFileText(stored, 'json'))).toEqual([
      { PartitionKey: '*', RowKey: '5', Query: QUERY, Recipients: 'ops@example.com', Severity: 0, Enabled: false },
      {
        PartitionKey: 'shop',
        RowKey: 'b',
        Query: QUERY,
        Recipients: 'ops@example.com',
        Threshold: 5,
        WindowMinutes: 10,
        Enabled: true,
      },
    ]);
  });

  it('writes a stored value no rule can hold as near as the file can say it, for apply to name', () => {
    // Arrange
    const odd = { ...stored[1]!, Threshold: { value: '5.5', type: 'Double' }, GroupBy: 3 };

    // Act
    const text = ruleFileText([odd], 'yaml');

    // Assert
    expect(text).toContain('\n  Threshold: 5.5\n  GroupBy: 3\n');
    expect(readRuleFile(text, { format: 'yaml' }).problems.map((p) => p.message)).toEqual([
      'Threshold must be a whole number ≥ 1, found 5.5 (Edm.Double); GroupBy must be text (columns separated by , or ;), found 3',
    ]);
  });

  it.each<RuleFileFormat>(['yaml', 'json'])('reads back, in %s, to a plan with nothing to do', (format) => {
    // Act
    const reading = readRuleFile(ruleFileText(stored, format), { format, requireKeys: true });
    const plan = planRules(
      reading.rules.map((r) => r.entity),
      stored,
      { prune: true },
    );

    // Assert
    expect(reading.problems).toEqual([]);
    expect(plan).toEqual({ steps: [], unchanged: 2, kept: [] });
  });

  it.each<RuleFileFormat>(['yaml', 'json'])('reads back, in %s, any text exactly as stored', (format) => {
    // Arrange: control characters and every character YAML gives a meaning to, line breaks, blanks at
    // either end, look-alikes of other types, and text past the 80 columns YAML would otherwise fold at.
    const text = fc.oneof(
      fc.string({ unit: 'binary-ascii', minLength: 1 }),
      fc.string({ unit: 'grapheme', minLength: 1 }),
      fc.constantFrom(
        'true',
        '5',
        '0x1F',
        'null',
        '~',
        '- x',
        '#',
        ' a ',
        'a\n',
        'a\r\nb',
        '*',
        '&a',
        'x '.repeat(100),
      ),
    );
    fc.assert(
      fc.property(text, (subject) => {
        // Act
        const entity: RuleEntity = {
          partitionKey: 'p',
          rowKey: 'r',
          Query: QUERY,
          Recipients: 'a@example.com',
          Subject: subject,
        };
        const document = parseRuleFile(ruleFileText([entity], format), format);

        // Assert
        expect(document.ok && document.entries[0]?.value).toEqual({ ...FILE_KEYS, Subject: subject });
      }),
      { numRuns: 1000 },
    );
  });
});
