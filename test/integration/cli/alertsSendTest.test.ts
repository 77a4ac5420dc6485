import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';

import { runCli } from '../../../cli/main';
import { type ChannelReceiver, startChannelReceiver } from '../../../scripts/channelReceivers';
import { WEBHOOK_HEADERS } from '../../../shared/core/channels/webhookPayload';
import { checkWebhookSignature } from '../../../shared/core/channels/webhookSignature';
import { TEST_NOTE } from '../../../shared/core/mail/composeAlertEmail';
import { testConnectionString, uniqueName } from '../../harness/storage';
import { parseEml } from '../../unit/mail/mailHelpers';

// Issue 15 §1: `alerts send-test --id R` sends a clearly marked test alert through every channel of the
// rule: the e-mail to its recipients (the outbox here), a test notice to each channel of its Notify
// (the local receivers, which speak the Teams, Slack and webhook contracts and verify signatures).

const NOW = Date.UTC(2024, 2, 5, 13, 10);
const SECRET = 'pager-secret-0123456789abcdef';

interface Setup {
  readonly run: (...argv: string[]) => Promise<{ code: number; out: string[]; err: string[] }>;
  readonly outbox: string;
  readonly receiver: ChannelReceiver;
}

let receivers: ChannelReceiver[] = [];
let folders: string[] = [];

afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  receivers = [];
  folders = [];
});

async function receiver(): Promise<ChannelReceiver> {
  const started = await startChannelReceiver({ secrets: { PAGER: SECRET } });
  receivers.push(started);
  return started;
}

/**
 * A rules table holding `shop/checkout-5xx` (two recipients; Notify as given), an outbox folder, a
 * receiver, and the CLI pointed at them at NOW with TEAMS_WEBHOOK_OPS and WEBHOOK_URL_PAGER set.
 */
async function setup(
  options: { notify?: string; settings?: (r: ChannelReceiver) => Record<string, string> } = {},
): Promise<Setup> {
  const rules = TableClient.fromConnectionString(
    testConnectionString(),
    uniqueName('sendtest').replace(/[^a-z0-9]/g, ''),
    { allowInsecureConnection: true },
  );
  await rules.createTable();
  await rules.createEntity({
    partitionKey: 'shop',
    rowKey: 'checkout-5xx',
    Query: 'requests | where toint(resultCode) >= 500',
    Recipients: 'ops@example.com; lead@example.com',
    Severity: 1,
    Threshold: 5,
    WindowMinutes: 10,
    GroupBy: 'cloud_RoleName',
    Notify: options.notify ?? 'teams:OPS,webhook:PAGER',
    LastError: '',
  });
  const outbox = await mkdtemp(join(tmpdir(), 'send-test-'));
  folders.push(outbox);
  const channels = await receiver();
  const env = {
    AzureWebJobsStorage: testConnectionString(),
    ALERT_RULES_TABLE: rules.tableName,
    MAIL_TRANSPORT: 'outbox',
    OUTBOX_DIR: outbox,
    TEAMS_WEBHOOK_OPS: channels.urlFor('teams', 'OPS'),
    WEBHOOK_URL_PAGER: `${channels.urlFor('webhook', 'PAGER')}/hooks/secretpath42`,
    WEBHOOK_SECRET_PAGER: SECRET,
    ...options.settings?.(channels),
  };
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv,
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      { env, now: () => new Date(NOW) },
    );
    return { code, out, err };
  };
  return { run, outbox, receiver: channels };
}

async function outboxMessages(outbox: string) {
  const names = (await readdir(outbox)).filter((n) => n.endsWith('.eml'));
  return Promise.all(names.map(async (n) => parseEml(await readFile(join(outbox, n), 'utf8'))));
}

describe('export-alerts alerts send-test', () => {
  it('sends a marked test e-mail to the recipients and a test notice to each channel of Notify', async () => {
    // Arrange
    const { run, outbox, receiver } = await setup();

    // Act
    const { code, out, err } = await run('alerts', 'send-test', '--id', 'checkout-5xx');

    // Assert
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const [mail] = await outboxMessages(outbox);
    expect(out).toEqual([
      expect.stringMatching(/^email {10}sent to 2 recipients \(outbox: .+\.eml\)$/),
      `teams:OPS      delivered (${receiver.url}, HTTP 202)`,
      `webhook:PAGER  delivered (${receiver.url}, HTTP 200)`,
    ]);
    expect(mail?.headers.get('to')).toBe('ops@example.com, lead@example.com');
    expect(mail?.headers.get('subject')).toMatch(/^\[TEST\] \[Sev1\] checkout-5xx: 5 requests in shop /);
    const [text, html] = mail?.parts.map((p) => p.body) ?? [];
    expect(text).toMatch(/^TEST · FIRING · Sev1 Error\n/);
    expect(text).toContain(`${TEST_NOTE} 5 requests matched in 10 minutes (threshold 5) for cloud_RoleName = (test).`);
    expect(html).toContain('TEST · FIRING · Sev1 Error');

    const [teams, webhook] = receiver.received;
    expect(receiver.received.map((r) => [r.kind, r.name, r.status, r.problems])).toEqual([
      ['teams', 'OPS', 202, []],
      ['webhook', 'PAGER', 200, []],
    ]);
    const card = (teams?.json as { attachments: { content: unknown }[] }).attachments[0]?.content;
    expect(JSON.stringify(card)).toContain('TEST · FIRING · Sev1');
    const signed = checkWebhookSignature(
      webhook?.body ?? '',
      {
        timestamp: webhook?.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string,
        signature: webhook?.headers[WEBHOOK_HEADERS.signature.toLowerCase()] as string,
      },
      SECRET,
      Math.floor(Date.now() / 1000),
    );
    expect(signed).toBe('ok');
    expect(webhook?.json).toMatchObject({
      test: true,
      state: 'FIRING',
      group: { label: 'cloud_RoleName=(test)' },
      window: { minutes: 10, threshold: 5 },
      rule: { scope: 'shop', id: 'checkout-5xx' },
    });
  });

  it('sends to the other channels when one refuses and one is not configured, and exits 1 naming them', async () => {
    // Arrange: Teams answers 400 quoting the URL it was called on, as some proxies do; Slack has no setting.
    const failing = await receiver();
    const teamsUrl = failing.urlFor('teams', 'OPS');
    failing.respondAlwaysWith({ status: 400, body: `Bad request to ${teamsUrl}` });
    const {
      run,
      outbox,
      receiver: channels,
    } = await setup({
      notify: 'teams:OPS,slack:ALERTS,webhook:PAGER',
      settings: () => ({ TEAMS_WEBHOOK_OPS: teamsUrl }),
    });

    // Act
    const { code, out, err } = await run('alerts', 'send-test', '--id', 'checkout-5xx', '--scope', 'shop');

    // Assert
    expect(code).toBe(1);
    expect(out).toEqual([
      expect.stringMatching(/^email {10}sent to 2 recipients \(outbox: /),
      expect.stringMatching(/^teams:OPS {6}FAILED: teams:OPS \(http:\/\/127\.0\.0\.1:\d+\) refused the notice: .*400/),
      'slack:ALERTS   not configured: set SLACK_WEBHOOK_ALERTS',
      `webhook:PAGER  delivered (${channels.url}, HTTP 200)`,
    ]);
    expect(err).toEqual(['2 of 4 did not take the test: teams:OPS, slack:ALERTS']);
    expect(await outboxMessages(outbox)).toHaveLength(1);
    expect(failing.received).toHaveLength(1);
    const printed = [...out, ...err].join('\n');
    for (const secret of ['/teams/OPS', 'sig=', 'secretpath42', SECRET]) expect(printed).not.toContain(secret);
  });

  it('says which settings a webhook channel lacks, and never shows a configured URL', async () => {
    // Arrange
    const { run } = await setup({ notify: 'webhook:ONCALL' });

    // Act
    const { code, out } = await run('alerts', 'send-test', '--id', 'checkout-5xx', '--only', 'webhook:ONCALL');

    // Assert
    expect({ code, out }).toEqual({
      code: 1,
      out: ['webhook:ONCALL  not configured: set WEBHOOK_URL_ONCALL and WEBHOOK_SECRET_ONCALL'],
    });
  });

  it('sends only to the channels --only names', async () => {
    // Arrange
    const { run, outbox, receiver: channels } = await setup();

    // Act
    const { code, out } = await run('alerts', 'send-test', '--id', 'checkout-5xx', '--only', 'teams:OPS');

    // Assert
    expect({ code, out }).toEqual({ code: 0, out: [`teams:OPS  delivered (${channels.url}, HTTP 202)`] });
    expect(await outboxMessages(outbox)).toEqual([]);
    expect(channels.received.map((r) => r.kind)).toEqual(['teams']);
  });

  it.each([
    [['--id', 'nope'], "export-alerts alerts send-test: no rule 'nope'"],
    [
      ['--id', 'checkout-5xx', '--scope', 'other'],
      "export-alerts alerts send-test: no rule 'checkout-5xx' in scope 'other'",
    ],
    [
      ['--id', 'checkout-5xx', '--only', 'email,slack:OPS'],
      "export-alerts alerts send-test: --only takes email, teams:OPS, webhook:PAGER (the e-mail and rule shop/checkout-5xx's Notify), comma-separated; found 'slack:OPS'",
    ],
    [['--only', 'email'], "export-alerts alerts send-test: required option '--id <rule>' not specified"],
  ])('refuses %j as a usage error and sends nothing', async (argv, message) => {
    // Arrange
    const { run, outbox, receiver: channels } = await setup();

    // Act
    const { code, out, err } = await run('alerts', 'send-test', ...argv);

    // Assert
    expect({ code, out }).toEqual({ code: 2, out: [] });
    expect(err[0]).toBe(message);
    expect(err[1]).toBe("(run 'export-alerts alerts send-test --help' for usage)");
    expect(await outboxMessages(outbox)).toEqual([]);
    expect(channels.received).toEqual([]);
  });

  it('prints one JSON object with each channel result under --json', async () => {
    // Arrange
    const { run, receiver: channels } = await setup({
      notify: 'teams:OPS,slack:ALERTS,webhook:PAGER',
      // The receiver holds another secret: it refuses the signature with 401.
      settings: () => ({ WEBHOOK_SECRET_PAGER: 'not-the-receivers-secret-0123' }),
    });

    // Act
    const { code, out } = await run('alerts', 'send-test', '--id', 'checkout-5xx', '--json');

    // Assert
    expect(code).toBe(1);
    expect(JSON.parse(out.join('\n'))).toEqual({
      rule: 'shop/checkout-5xx',
      key: expect.stringMatching(/^test-20240305T131000Z-[0-9a-f]{8}$/),
      ok: false,
      channels: [
        {
          channel: 'email',
          status: 'sent',
          recipients: 2,
          provider: 'outbox',
          messageIds: [expect.any(String)],
          location: expect.stringMatching(/\.eml$/),
        },
        { channel: 'teams:OPS', status: 'delivered', target: channels.url, httpStatus: 202, attempts: 1 },
        {
          channel: 'slack:ALERTS',
          status: 'not-configured',
          error: 'not configured: set SLACK_WEBHOOK_ALERTS',
          settings: ['SLACK_WEBHOOK_ALERTS'],
        },
        {
          channel: 'webhook:PAGER',
          status: 'failed',
          error: expect.stringMatching(/^webhook:PAGER \(http:\/\/127\.0\.0\.1:\d+\) refused the notice: .*401/),
          httpStatus: 401,
          retryable: false,
        },
      ],
    });
  });
});
