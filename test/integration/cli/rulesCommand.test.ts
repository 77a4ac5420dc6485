import { join } from 'node:path';

import { runCli } from '../../../cli/main';
import { createTestContainer, testConnectionString, uniqueName } from '../../harness/storage';

const FIXTURES = join(__dirname, '../../fixtures');
const IKEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

function cli(table: string) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const saved = { ...process.env };
    // Every connection setting, so a developer's local.settings.json (read by the CLI) cannot interfere.
    for (const key of ['AzureWebJobsStorage', 'EXPORT_STORAGE', 'ALERT_RULES_STORAGE'])
      process.env[key] = testConnectionString();
    process.env['ALERT_RULES_TABLE'] = table;
    try {
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out, err };
    } finally {
      process.env = saved;
    }
  };
}

const newTable = () => uniqueName('rules').replace(/[^a-z0-9]/g, '');

describe('export-alerts rules', () => {
  it('adds a valid rule, lists, shows, disables, enables and removes it', async () => {
    const run = cli(newTable());
    const add = await run(
      'rules',
      'add',
      '--scope',
      'shop',
      '--id',
      'checkout-5xx',
      '--query',
      'requests | where toint(resultCode) >= 500',
      '--to',
      'ops@example.com',
      '--window',
      '10m',
      '--threshold',
      '5',
    );
    expect(add).toMatchObject({ code: 0, out: ['added rule shop/checkout-5xx (requests, 1 recipient)'] });

    expect((await run('rules', 'list')).out).toEqual([
      'RULE               STATE    STATUS  TABLE     QUERY / PROBLEMS',
      'shop/checkout-5xx  enabled  valid   requests  requests | where toint(resultCode) >= 500',
      '1 rule, 0 invalid',
    ]);
    const show = await run('rules', 'show', 'checkout-5xx');
    expect(show.out).toEqual([
      'rule shop/checkout-5xx: valid (requests)',
      '  Query            requests | where toint(resultCode) >= 500',
      '  Recipients       ops@example.com',
      '  Enabled          true',
      '  Severity         2  (default)',
      '  Threshold        5',
      '  WindowMinutes    10',
      '  GroupBy          -  (default)',
      '  ThrottleMinutes  15  (default)',
      '  MaxEvents        20  (default)',
      '  Columns          timestamp, name, resultCode, duration, url, operation_Id, cloud_RoleName  (default)',
      '  Subject          [Sev<severity>] <rule>: <count> <table> in <app> [<group>] (<from>–<to> UTC)  (default)',
      '  Notify           -  (default)',
      '  NotifyResolved   true  (default)',
      '  MuteUntil        -  (default)',
      '  MuteSchedule     -  (default)',
      '  MuteMinutes      -  (default)',
      '  TimeZone         UTC  (default)',
      '  ResourceId       -  (default)',
    ]);
    await run('rules', 'disable', 'checkout-5xx');
    expect((await run('rules', 'list')).out[1]).toContain('  disabled  ');
    await run('rules', 'enable', 'checkout-5xx');
    expect((await run('rules', 'list')).out[1]).toContain('  enabled  ');
    expect(await run('rules', 'remove', 'checkout-5xx')).toMatchObject({
      code: 0,
      out: ['removed rule shop/checkout-5xx'],
    });
    expect((await run('rules', 'list')).out).toEqual(['no rules']);
  });

  it('writes nothing for an invalid rule and says where the problem is', async () => {
    const run = cli(newTable());
    const add = await run(
      'rules',
      'add',
      '--scope',
      'shop',
      '--id',
      'bad',
      '--query',
      'requests | where resultcode == "500" | summarize count()',
      '--to',
      'ops@example.com',
    );
    expect(add.code).toBe(1);
    expect(add.err).toEqual([
      "rule shop/bad: Query line 1, col 18: unknown column 'resultcode' for table requests (did you mean 'resultCode'?)",
      '  requests | where resultcode == "500" | summarize count()',
      '                   ^^^^^^^^^^',
      "rule shop/bad: Query line 1, col 40: 'summarize' is not supported in alert rules: write <table> | where <condition>",
      '  requests | where resultcode == "500" | summarize count()',
      '                                         ^^^^^^^^^',
      'nothing was written',
    ]);
    expect((await run('rules', 'list')).out).toEqual(['no rules']);
  });

  it('validate exits 1 when a rule someone wrote into the table is invalid', async () => {
    const table = newTable();
    const run = cli(table);
    await run(
      'rules',
      'add',
      '--scope',
      '*',
      '--id',
      'ok',
      '--query',
      'exceptions | where type has "Timeout"',
      '--to',
      'a@example.com',
    );
    const { TableClient } = await import('@azure/data-tables');
    const client = TableClient.fromConnectionString(testConnectionString(), table, { allowInsecureConnection: true });
    await client.createEntity({
      partitionKey: '*',
      rowKey: 'broken',
      Query: 'exceptions | where typ == "x"',
      Recipients: 'nobody',
    });

    const result = await run('rules', 'validate');
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      "rule */broken: Query line 1, col 20: unknown column 'typ' for table exceptions (did you mean 'type'?)",
      '  exceptions | where typ == "x"',
      '                     ^^^',
      "rule */broken: invalid recipient address: 'nobody'",
      '2 rules, 1 valid, 1 invalid',
    ]);
    // The list keeps one line per rule, positions in the same words; show adds the carets.
    expect((await run('rules', 'list')).out[1]).toBe(
      "*/broken  enabled  INVALID  -           Query line 1, col 20: unknown column 'typ' for table exceptions (did you mean 'type'?); invalid recipient address: 'nobody'",
    );
    expect((await run('rules', 'show', 'broken')).out.slice(-4)).toEqual([
      "  problem: Query line 1, col 20: unknown column 'typ' for table exceptions (did you mean 'type'?)",
      '    exceptions | where typ == "x"',
      '                       ^^^',
      "  problem: invalid recipient address: 'nobody'",
    ]);
  });

  it('back-tests nothing for an invalid query, showing where it is wrong', async () => {
    const run = cli(newTable());
    const result = await run('rules', 'test', '--query', 'requests | wher name == "x"', join(FIXTURES, 'export'));
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      "query line 1, col 12: unknown query operator 'wher' (did you mean 'where'?)",
      '  requests | wher name == "x"',
      '             ^^^^',
    ]);
  });

  it('back-tests a query against local export folders', async () => {
    const run = cli(newTable());
    const result = await run(
      'rules',
      'test',
      '--query',
      'requests | where toint(resultCode) >= 400',
      join(FIXTURES, 'export'),
    );
    expect(result.code).toBe(0);
    expect(result.out[result.out.length - 1]).toBe(
      '1 blob of requests, 3 records, 2 matches, 0 malformed rows, 9 blobs of other tables skipped',
    );
    expect(result.out.some((l) => /edge_20240305_130102\.blob:\d+\t2024-03-05T.*\tresultCode=404/.test(l))).toBe(true);
  });

  it('back-tests a stored rule against blobs in a container, printing JSON lines only with --json', async () => {
    // Arrange
    const run = cli(newTable());
    const container = await createTestContainer('backtest');
    const row = (code: number) =>
      JSON.stringify({
        request: [
          {
            name: 'GET /x',
            responseCode: code,
            success: code < 400,
            count: 1,
            durationMetric: { value: 10000, count: 1 },
          },
        ],
        internal: { data: { id: `id-${code}`, documentVersion: '1.61' } },
        context: { data: { eventTime: '2024-03-05T13:00:00Z', samplingRate: 100 } },
      });
    const text = [row(200), row(503), row(500)].join('\n');
    for (const hour of ['12', '13']) {
      await container.getBlockBlobClient(`shop_${IKEY}/Requests/2024-03-05/${hour}/b.blob`).upload(text, text.length);
    }
    await container.getBlockBlobClient('notes/readme.txt').upload('hi', 2);
    await run(
      'rules',
      'add',
      '--scope',
      'shop',
      '--id',
      'r5xx',
      '--query',
      'requests | where toint(resultCode) >= 500',
      '--to',
      'a@example.com',
    );

    // Act
    const result = await run('rules', 'test', '--id', 'r5xx', '--container', container.containerName, '--json');

    // Assert
    expect(result.code).toBe(0);
    expect(result.out.map((l) => (JSON.parse(l) as { resultCode: string }).resultCode)).toEqual([
      '503',
      '500',
      '503',
      '500',
    ]);
    expect(result.err[result.err.length - 1]).toBe('2 blobs of requests, 6 records, 4 matches, 0 malformed rows');
  });

  it('says storage is unreachable with a non-zero exit code', async () => {
    const run = cli(newTable());
    const result = await run(
      'rules',
      'list',
      '--connection',
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;',
    );
    expect(result.code).toBe(3);
    expect(result.err[0]).toMatch(/storage is unreachable/);
  }, 30_000);

  it('exits 2 on a bad argument', async () => {
    const run = cli(newTable());
    expect((await run('rules', 'add', '--scope', 'a/b', '--id', 'x', '--query', 'q', '--to', 't')).code).toBe(2);
    expect((await run('rules', 'test', '--query', 'requests')).code).toBe(2);
    expect((await run('rules', 'frob')).code).toBe(2);
  });
});

describe('export-alerts rules test --render', () => {
  it('prints the e-mails a rule would send, with its throttling and grouping decisions', async () => {
    // Arrange
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { requestRow } = await import('../../helpers/exportRows');
    const root = mkdtempSync(join(tmpdir(), 'render-'));
    const dir = join(root, `shop_${IKEY}`, 'Requests', '2024-03-05', '13');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '1.blob'),
      [
        requestRow({ code: 500, tenant: 'acme', at: '2024-03-05T13:00:00Z' }),
        requestRow({ code: 500, tenant: 'globex', at: '2024-03-05T13:00:00Z' }),
      ].join('\n'),
    );
    writeFileSync(join(dir, '2.blob'), requestRow({ code: 503, tenant: 'acme', at: '2024-03-05T13:05:00Z' }));
    const run = cli(newTable());

    // Act
    const result = await run(
      'rules',
      'test',
      '--render',
      '--query',
      'requests | where toint(resultCode) >= 500 and customDimensions.tenant != ""',
      dir,
    );

    // Assert
    expect(result.code).toBe(0);
    const decisions = result.out.filter((l) => l.startsWith('== '));
    expect(decisions).toEqual([
      expect.stringMatching(/1\.blob \[\(no GroupBy\)\]: fired: 2 matches reached Threshold 1$/),
      expect.stringMatching(/2\.blob \[\(no GroupBy\)\]: suppressed: 1 match throttled until 2024-03-05T13:15:00.000Z/),
    ]);
    expect(result.out).toContain('Subject: [Sev2] query: 2 requests in shop (13:00–13:00 UTC)');
  });
});
