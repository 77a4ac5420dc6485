import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvocationContext } from '@azure/functions';

import { runCli } from '../../../cli/main';
import { exportBlobHandler } from '../../../functions/exportBlobReceived';
import { type FakeSendGrid, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { loadConfig } from '../../../shared/adapters/settings/config';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableRuleStore } from '../../../shared/adapters/storage/tableRuleStore';
import { testConnectionString, uniqueName } from '../../harness/storage';

// Issue 14 §5 "What happened": alerts list / show, rules status and status, through the real entry
// point (runCli) against what the real blob-trigger handler wrote to Azurite.

const FOLDER = 'shopfront-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const FIXTURE = readFileSync(
  join(__dirname, `../../fixtures/export/${FOLDER}/Requests/2024-03-05/13/edge_20240305_130102.blob`),
);
const blobName = (file: string) => `${FOLDER}/Requests/2024-03-05/13/${file}`;
const BLOB_1 = blobName('edge_20240305_130200.blob');
const BLOB_2 = blobName('edge_20240305_130400.blob');
const T1 = Date.UTC(2024, 2, 5, 13, 2, 5);
const T2 = Date.UTC(2024, 2, 5, 13, 4, 5);
const NOW = Date.UTC(2024, 2, 5, 13, 5);

let sendGrid: FakeSendGrid;
let env: Record<string, string>;

beforeAll(async () => {
  sendGrid = await startFakeSendGrid();
  const name = uniqueName('happened').replace(/[^a-z0-9]/g, '');
  env = {
    AzureWebJobsStorage: testConnectionString(),
    ALERT_RULES_TABLE: `r${name}`,
    ALERT_STATE_TABLE: `s${name}`,
    EXPORT_STATUS_TABLE: `x${name}`,
    MAIL_TRANSPORT: 'sendgrid',
    SENDGRID_API_KEY: sendGrid.apiKey,
    SENDGRID_BASE_URL: sendGrid.url,
  };
  const rules = new TableRuleStore(tableClientFrom(env['AzureWebJobsStorage'] ?? '', env['ALERT_RULES_TABLE'] ?? ''));
  await rules.put({
    partitionKey: 'shopfront-prod',
    rowKey: 'not-found',
    Query: 'requests | where resultCode == "404"',
    Recipients: 'ops@example.com; dev@example.com',
    Severity: 1,
    ThrottleMinutes: 60,
  });
  await rules.put({
    partitionKey: '*',
    rowKey: 'busy',
    Query: 'requests',
    Recipients: 'ops@example.com',
    Threshold: 100,
    WindowMinutes: 10,
  });
  await rules.put({ partitionKey: '*', rowKey: 'idle', Query: 'exceptions', Recipients: 'ops@example.com' });

  // Two blobs of the same three requests, two minutes apart: the 404 fires once, then is throttled.
  let clock = T1;
  const handler = exportBlobHandler({ now: () => clock }, loadConfig(env));
  for (const [name, at] of [
    [BLOB_1, T1],
    [BLOB_2, T2],
  ] as const) {
    clock = at;
    await handler(
      FIXTURE,
      new InvocationContext({
        triggerMetadata: {
          name,
          properties: {
            eTag: `"0x${at}"`,
            lastModified: new Date(at - 5000).toISOString(),
            contentLength: FIXTURE.length,
          },
        },
        logHandler: () => {},
      }),
    );
  }
});
afterAll(() => sendGrid.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { env, now: () => new Date(NOW) },
  );
  return { code, out, err };
}

describe('export-alerts alerts, rules status and status after two deliveries', () => {
  it('lists the one e-mail sent, with its SendGrid message id, newest first', async () => {
    // Arrange: the id SendGrid gave, as --json reports it
    const json = await cli('alerts', 'list', '--json');
    const [alert] = JSON.parse(json.out.join('\n')) as { key: string; messageIds: string[] }[];
    if (alert === undefined) throw new Error('no alert listed');

    // Act
    const listed = await cli('alerts', 'list');

    // Assert
    expect(alert.messageIds).toHaveLength(1);
    expect(JSON.parse(json.out.join('\n'))).toEqual([
      {
        time: '2024-03-05T13:02:05.000Z',
        rule: 'shopfront-prod/not-found',
        group: '(all)',
        key: alert.key,
        status: 'sent',
        rows: 1,
        weighted: 1,
        recipients: ['ops@example.com', 'dev@example.com'],
        subject: '[Sev1] not-found: 1 request in shopfront-prod (12:59–12:59 UTC)',
        provider: 'sendgrid',
        messageIds: alert.messageIds,
        outboxFile: null,
        sentAt: '2024-03-05T13:02:05.000Z',
        attempts: 1,
        lastError: null,
        blob: BLOB_1,
      },
    ]);
    const pad = ' '.repeat(alert.key.length - 3);
    expect(listed).toEqual({
      code: 0,
      out: [
        `TIME (UTC)           RULE                      GROUP  MATCHES  STATUS  RECIPIENTS               KEY${pad}  MESSAGE ID / OUTBOX FILE`,
        `2024-03-05 13:02:05  shopfront-prod/not-found  (all)  1        sent    ops@example.com +1 more  ${alert.key}  sendgrid:${alert.messageIds[0] ?? ''}`,
        '1 alert in the last 24 h: 1 sent',
      ],
      err: [],
    });
  });

  it('lists the decisions that sent nothing with --status, and filters by rule, scope and time', async () => {
    // Act
    const all = await cli('alerts', 'list', '--status', 'all', '--json');
    const busy = await cli('alerts', 'list', '--rule', 'busy', '--status', 'counted');
    const scope = await cli('alerts', 'list', '--scope', 'shopfront-prod', '--status', 'suppressed,sent', '--json');
    const recent = await cli('alerts', 'list', '--since', '2m', '--status', 'all', '--json');
    const none = await cli('alerts', 'list', '--rule', 'idle');

    // Assert
    const kinds = (text: string[]) =>
      (JSON.parse(text.join('\n')) as { rule: string; status: string; time: string }[]).map(
        (a) => `${a.time} ${a.rule} ${a.status}`,
      );
    expect(kinds(all.out)).toEqual([
      '2024-03-05T13:04:05.000Z */busy counted',
      '2024-03-05T13:04:05.000Z shopfront-prod/not-found suppressed',
      '2024-03-05T13:02:05.000Z */busy counted',
      '2024-03-05T13:02:05.000Z shopfront-prod/not-found sent',
    ]);
    expect(busy.out.slice(1)).toEqual([
      '2024-03-05 13:04:05  */busy  (all)  3 (weight 27)  counted  -           d~LrPouA2FfMiZOSyYRNARQVyG7dSQwdOt  -',
      '2024-03-05 13:02:05  */busy  (all)  3 (weight 27)  counted  -           d~niT7W1OmGveY061P_XuXYenULA7hgNLk  -',
      '2 records in the last 24 h for rule busy: 2 counted',
    ]);
    expect(kinds(scope.out)).toEqual([
      '2024-03-05T13:04:05.000Z shopfront-prod/not-found suppressed',
      '2024-03-05T13:02:05.000Z shopfront-prod/not-found sent',
    ]);
    expect(kinds(recent.out)).toEqual([
      '2024-03-05T13:04:05.000Z */busy counted',
      '2024-03-05T13:04:05.000Z shopfront-prod/not-found suppressed',
    ]);
    expect(none).toEqual({ code: 0, out: ['no alerts in the last 24 h for rule idle'], err: [] });
  });

  it('cuts the list at --limit and says how many there were', async () => {
    const limited = await cli('alerts', 'list', '--status', 'all', '--limit', '1');
    expect(limited.out.at(-1)).toBe('4 records in the last 24 h; the newest 1 shown (1 counted); --limit shows more');
  });

  it('shows one record in full, e-mail included, and refuses an unknown key', async () => {
    // Arrange
    const [alert] = JSON.parse((await cli('alerts', 'list', '--json')).out.join('\n')) as { key: string }[];
    if (alert === undefined) throw new Error('no alert listed');

    // Act
    const shown = await cli('alerts', 'show', alert.key);
    const json = await cli('alerts', 'show', alert.key, '--rule', 'shopfront-prod/not-found', '--json');
    const unknown = await cli('alerts', 'show', 'd~nope');

    // Assert
    expect(shown.code).toBe(0);
    expect(shown.out.slice(0, 5)).toEqual([
      `alert ${alert.key}: rule shopfront-prod/not-found, group (all)`,
      '  Status         sent',
      '  Recorded       2024-03-05 13:02:05 UTC',
      '  Sent           2024-03-05 13:02:05 UTC',
      '  Attempts       1',
    ]);
    expect(shown.out).toContain('  Provider       sendgrid');
    expect(shown.out).toContain('  To                     ops@example.com, dev@example.com');
    expect(shown.out).toContain(`  X-Alert-Ledger-Key     ${alert.key}`);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      key: alert.key,
      status: 'sent',
      email: { to: ['ops@example.com', 'dev@example.com'], headers: { 'X-Alert-Ledger-Key': alert.key } },
    });
    expect(unknown).toEqual({
      code: 2,
      out: [],
      err: [
        "export-alerts alerts show: no alert record 'd~nope': records are kept ALERT_RECORD_DAYS (default 7)",
        "(run 'export-alerts alerts show --help' for usage)",
      ],
    });
  });

  it('shows the record of a rule that only counted, under the same key, with --rule', async () => {
    const shown = await cli('alerts', 'show', 'd~niT7W1OmGveY061P_XuXYenULA7hgNLk', '--rule', 'busy');
    expect(shown.out.slice(0, 2)).toEqual([
      'alert d~niT7W1OmGveY061P_XuXYenULA7hgNLk: rule */busy, group (all)',
      '  Status         counted',
    ]);
    expect(shown.out.at(-1)).toBe(
      'no e-mail: this record counted or suppressed matches, or its group went into a summary',
    );
  });

  it.each([
    [
      ['--status', 'bounced'],
      "--status takes sending, sent, failed, rejected, counted, suppressed, covered, summarized or all, comma-separated; found 'bounced'",
    ],
    [['--limit', '0'], "--limit takes a whole number from 1 to 10000, found '0'"],
    [['--since', 'yesterday'], "--since takes a duration such as 10m, 2h or 1d, found 'yesterday'"],
    [
      ['--rule', 'nope'],
      "no rule 'nope' in the rules table: for a rule removed since, name it with its scope (--rule <scope>/nope)",
    ],
  ])('refuses alerts list %j with one line and exit 2', async (argv, message) => {
    expect(await cli('alerts', 'list', ...argv)).toEqual({
      code: 2,
      out: [],
      err: [`export-alerts alerts list: ${message}`, "(run 'export-alerts alerts list --help' for usage)"],
    });
  });

  it('shows each rule and group: the throttle holding the 404s, the window counting requests', async () => {
    expect(await cli('rules', 'status')).toEqual({
      code: 0,
      out: [
        'alert state at 2024-03-05 13:05:00 UTC',
        'RULE                      GROUP  THROTTLE                                       WINDOW                                      LAST FIRED',
        '*/busy                    (all)  not throttled (never fired)                    54 of threshold 100 in the last 10 minutes  never',
        'shopfront-prod/not-found  (all)  quiet until 14:02 UTC, 1 match held            threshold 1 per delivery (no window)        13:02 UTC',
        '*/idle                    -      no state: never matched, or idle past 15 days  -                                           -',
        '3 rules, 2 groups with state, 1 quiet under a throttle',
      ],
      err: [],
    });
    expect(JSON.parse((await cli('rules', 'status', 'not-found', '--json')).out.join('\n'))).toEqual([
      {
        rule: 'shopfront-prod/not-found',
        group: '(all)',
        quietUntil: '2024-03-05T14:02:05.000Z',
        held: { rows: 1, weighted: 1, since: '2024-03-05T13:04:05.000Z' },
        window: null,
        threshold: 1,
        lastFiredAt: '2024-03-05T13:02:05.000Z',
        updatedAt: '2024-03-05T13:04:05.000Z',
        ruleProblem: null,
        throttle: 'quiet until 14:02 UTC, 1 match held',
        windowText: 'threshold 1 per delivery (no window)',
        mute: null,
        heldWhileMuted: { rows: 0, weighted: 0, since: null },
        episode: null,
      },
    ]);
  });

  it('shows the last blob of the app and type, its age and the rules', async () => {
    expect(await cli('status')).toEqual({
      code: 0,
      out: [
        'export status at 2024-03-05 13:05:00 UTC',
        'APP             TYPE      SOURCE             LAST PROCESSED           AGE   RECORDS  MATCHES  E-MAILS  FAILURES 24H  POISONED 24H  LAST BLOB OR RANGE',
        `shopfront-prod  Requests  Continuous Export  2024-03-05 13:04:05 UTC  55 s  3        4        0        0             0             ${BLOB_2}`,
        'rules: 3 valid, 0 invalid',
        'failures in the last 24 h: 0',
        "poisoned blobs in the last 24 h, by the functions' count: 0",
        expect.stringMatching(/^poison queue webjobs-blobtrigger-poison: /),
      ],
      err: [],
    });
  });
});
