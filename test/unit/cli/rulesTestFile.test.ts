import { join } from 'node:path';

import { runCli } from '../../../cli/main';

const FIXTURES = join(__dirname, '../../fixtures/rulesFile');
const RULES = join(FIXTURES, 'rules.json');
const EXPORT = join(FIXTURES, 'export');
const SUCCESSOR = join(FIXTURES, 'successor');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const summary = (lines: readonly string[]) => lines.filter((l) => !l.includes('\t'));

describe('export-alerts rules test --file', () => {
  it('runs every rule of the file on the blobs of its table and scope, counting per rule', async () => {
    // Act
    const { code, out, err } = await run('rules', 'test', '--file', RULES, EXPORT);

    // Assert
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(summary(out).map((l) => l.replace(/^.*\/export\//, ''))).toEqual([
      'other_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 2 records, 2 rule matches (*/2 1, other/r5xx 1)',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Exceptions/2024-03-05/13/a.blob: 3 records, 2 rule matches (shop/cart 2)',
      'shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/Requests/2024-03-05/13/a.blob: 4 records, 4 rule matches (shop/r5xx 2, */2 2)',
      'rule shop/r5xx (requests): 2 matches of 4 records in its scope',
      'rule */2 (requests): 3 matches of 6 records in its scope',
      'rule shop/cart (exceptions): 2 matches of 3 records in its scope',
      'rule other/r5xx (requests): 1 match of 2 records in its scope',
      'rule shop/off (requests): disabled, not run (the functions skip it)',
      '3 blobs of requests, exceptions, 9 records, 8 rule matches, 0 malformed rows',
    ]);
    expect(out).toContainEqual(
      expect.stringMatching(/shop_.*Requests.*a\.blob:3\tshop\/r5xx\t2024-03-05T13:03:00\.000Z\tresultCode=503$/),
    );
  });

  it('scopes a rule on successor blobs by each record resource, as the functions do', async () => {
    const { code, out } = await run('rules', 'test', '--file', RULES, SUCCESSOR);
    expect(code).toBe(0);
    expect(summary(out).filter((l) => l.startsWith('rule '))).toEqual([
      'rule shop/r5xx (requests): 2 matches of 3 records in its scope',
      'rule */2 (requests): 2 matches of 3 records in its scope',
      'rule shop/cart (exceptions): 0 matches of 0 records in its scope',
      'rule other/r5xx (requests): 0 matches of 0 records in its scope',
      'rule shop/off (requests): disabled, not run (the functions skip it)',
    ]);
  });

  it('prints each match as a JSON line with its rule, and the summary on stderr, with --json', async () => {
    // Act
    const { code, out, err } = await run('rules', 'test', '--file', RULES, '--json', EXPORT, SUCCESSOR);

    // Assert
    expect(code).toBe(0);
    const records = out.map((l) => JSON.parse(l) as { rule: string; resultCode?: string; itemType: string });
    const perRule = new Map<string, number>();
    for (const r of records) perRule.set(r.rule, (perRule.get(r.rule) ?? 0) + 1);
    expect(Object.fromEntries(perRule)).toEqual({ 'shop/r5xx': 4, '*/2': 5, 'shop/cart': 2, 'other/r5xx': 1 });
    expect(records.filter((r) => r.rule === 'shop/r5xx').map((r) => r.resultCode)).toEqual([
      '500',
      '503',
      '500',
      '502',
    ]);
    expect(err[err.length - 1]).toBe('4 blobs of requests, exceptions, 12 records, 12 rule matches, 0 malformed rows');
  });

  it('renders each rule decision and e-mail, naming the rule, with --render', async () => {
    const { code, out } = await run('rules', 'test', '--file', RULES, '--render', EXPORT);
    expect(code).toBe(0);
    expect(
      out
        .filter((l) => l.startsWith('== '))
        .map((l) => l.replace(/^== .*\/export\/([a-z]+)_\w+\/(\w+)\/.*?a\.blob /, '$1 $2 ')),
    ).toEqual([
      'other Requests */2 [customDimensions.tenant=acme]: fired: 1 match reached Threshold 1',
      'other Requests other/r5xx [(no GroupBy)]: fired: 1 match reached Threshold 1',
      'shop Exceptions shop/cart [(no GroupBy)]: fired: 2 matches reached Threshold 1',
      'shop Requests shop/r5xx [(no GroupBy)]: fired: 2 matches reached Threshold 1',
      expect.stringMatching(/^shop Requests \*\/2 \[customDimensions\.tenant=acme\]: suppressed: /),
    ]);
    expect(out).toContain('Subject: [Sev1] cart: 2 exceptions in shop (12:59–13:00 UTC)');
  });

  it('reports every problem of the file with its line and id, runs the valid rules and exits 1', async () => {
    // Act
    const { code, out, err } = await run('rules', 'test', '--file', join(FIXTURES, 'problems.json'), EXPORT);

    // Assert
    expect(code).toBe(1);
    expect(err.map((l) => l.replace(/^.*problems\.json/, 'problems.json'))).toEqual([
      'problems.json:3: rule #2: expected a rule object, found a string ("requests | where true")',
      expect.stringMatching(
        /^problems\.json:4: rule #3 \(shop\/typo\): unknown property 'Treshold' \(did you mean 'Threshold'\?\); Query line 1, col 18: .*'resultcode'.*; invalid recipient address: 'nobody'$/,
      ),
      'problems.json:5: rule #4 (*/dup): duplicate id: rule */dup is also entry #5',
      'problems.json:6: rule #5 (*/dup): duplicate id: rule */dup is also entry #4',
      expect.stringMatching(
        /^problems\.json:7: rule #6 \(\*\/a\/b\): RowKey must be .*; Threshold must be a whole number ≥ 1, found 0$/,
      ),
    ]);
    expect(summary(out).slice(-2)).toEqual([
      'rule shop/r5xx (requests): 2 matches of 4 records in its scope',
      '1 blob of requests, 4 records, 2 rule matches, 0 malformed rows, 1 blob of other tables skipped, 1 blob of other scopes skipped (--any-scope tests them too)',
    ]);
  });

  it('runs nothing for a file that is not JSON, saying where it breaks', async () => {
    const { code, out, err } = await run('rules', 'test', '--file', join(FIXTURES, 'badJson.json'), EXPORT);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.map((l) => l.replace(/^.*badJson\.json/, 'badJson.json'))).toEqual([
      "badJson.json:3:18: invalid JSON: Expected ',' or '}' after property value",
      'badJson.json: no valid rule to test',
    ]);
  });

  it.each([
    [
      ['--file', RULES, '--query', 'requests | where true', EXPORT],
      'rules test needs --query, --id or --file (one of them)',
    ],
    [['--file', RULES, '--scope', 'shop', EXPORT], '--scope goes with --id'],
    [['--file', join(FIXTURES, 'missing.json'), EXPORT], 'missing.json: cannot read it (ENOENT)'],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const { code, err } = await run('rules', 'test', ...argv);
    expect(code).toBe(2);
    expect(err[0]).toContain(message);
  });
});
