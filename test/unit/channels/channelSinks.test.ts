import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startChannelSinks } from '../../../local/channelSinks';
import type { HostLogLine } from '../../../local/hostLog';
import { startChannelReceiver } from '../../../scripts/channelReceivers';
import { createChannelSenders } from '../../../shared/adapters/channels/createChannelSenders';
import { checkConfig } from '../../../shared/adapters/settings/config';
import { noticePayload } from '../../../shared/core/channels/noticePayload';
import { notice } from './channelHelpers';

const SECRET = 'local-receiver-secret-not-for-production';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'channel-sinks-'));
});
afterEach(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('startChannelSinks', () => {
  it('receives what the senders of local settings deliver and writes each payload to the outbox', async () => {
    // Arrange: the settings local.settings.example.json holds, on a free port
    const port = await freePort();
    const checked = checkConfig({
      TEAMS_WEBHOOK_LOCAL: `http://127.0.0.1:${port}/teams/LOCAL`,
      SLACK_WEBHOOK_LOCAL: `http://localhost:${port}/slack/LOCAL`,
      WEBHOOK_URL_LOCAL: `http://127.0.0.1:${port}/webhook/LOCAL`,
      WEBHOOK_SECRET_LOCAL: SECRET,
      TEAMS_WEBHOOK_REMOTE: 'https://prod-1.westus.logic.azure.com/workflows/x?sig=y',
    });
    if (!checked.ok) throw checked.error;
    const lines: HostLogLine[] = [];
    const sinks = await startChannelSinks(checked.value.channels.targets, { outDir, log: (l) => lines.push(l) });

    try {
      // Act
      const senders = createChannelSenders(checked.value.channels);
      for (const kind of ['teams', 'slack', 'webhook'] as const) {
        await senders.get(`${kind}:LOCAL`)?.send(noticePayload(kind, notice()));
      }

      // Assert: one receiver for the one local port; every payload valid and written
      expect(sinks.receivers).toHaveLength(1);
      expect(sinks.receivers[0]?.received.map((r) => [r.kind, r.problems])).toEqual([
        ['teams', []],
        ['slack', []],
        ['webhook', []],
      ]);
      expect(readdirSync(outDir).sort()).toEqual(['slack-LOCAL', 'teams-LOCAL', 'webhook-LOCAL']);
      const [file] = readdirSync(join(outDir, 'webhook-LOCAL'));
      expect(file).toBe('0003-FIRING.json');
      expect(JSON.parse(readFileSync(join(outDir, 'webhook-LOCAL', file ?? ''), 'utf8'))).toMatchObject({
        schemaVersion: 1,
      });
      expect(lines[0]?.text).toBe(
        `local receiver for slack:LOCAL, teams:LOCAL, webhook:LOCAL on http://127.0.0.1:${port}, payloads in ${outDir}`,
      );
    } finally {
      await sinks.stop();
    }
  });

  it('numbers on after the payloads already written, so a restarted receiver overwrites none', async () => {
    // Arrange: a receiver wrote one payload, then stopped (npm start restarted)
    const first = await startChannelReceiver({ outDir });
    const send = async (url: string) => {
      const payload = noticePayload('teams', notice());
      await fetch(url, { method: 'POST', body: payload.body, headers: { 'content-type': 'application/json' } });
    };
    await send(first.urlFor('teams', 'LOCAL'));
    await first.close();

    // Act
    const second = await startChannelReceiver({ outDir });
    try {
      await send(second.urlFor('teams', 'LOCAL'));
    } finally {
      await second.close();
    }

    // Assert
    expect(readdirSync(join(outDir, 'teams-LOCAL')).sort()).toEqual(['0001.json', '0002.json']);
  });

  it('reports a port already taken and goes on without it', async () => {
    // Arrange
    const taken = await startChannelReceiver();
    const port = Number(new URL(taken.url).port);
    const lines: HostLogLine[] = [];

    // Act
    const sinks = await startChannelSinks(
      [{ kind: 'teams', name: 'LOCAL', url: `http://127.0.0.1:${port}/teams/LOCAL` }],
      {
        outDir,
        log: (l) => lines.push(l),
      },
    );
    await sinks.stop();
    await taken.close();

    // Assert
    expect(sinks.receivers).toEqual([]);
    expect(lines).toEqual([
      {
        level: 'warn',
        source: 'channels',
        text: `no local receiver on port ${port} (EADDRINUSE): teams:LOCAL will fail to deliver`,
      },
    ]);
  });
});

describe('the local receivers', () => {
  it('refuse what the services would: an invalid card, unescaped mrkdwn, a bad signature', async () => {
    // Arrange
    const receiver = await startChannelReceiver({ secrets: { OPS: SECRET }, outDir });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${receiver.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers });

    try {
      // Act
      const answers = await Promise.all([
        post('/teams/OPS', {
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: { type: 'AdaptiveCard', version: '1.5', msteams: {} },
            },
          ],
        }),
        post('/teams/OPS', { type: 'AdaptiveCard', version: '1.5', body: [] }),
        post('/slack/OPS', {
          text: 'hi',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<https://evil|x>' } }],
        }),
        post('/slack/OPS', {}),
        post(
          '/webhook/OPS',
          { schemaVersion: 1 },
          { 'X-Alert-Timestamp': '1', 'X-Alert-Signature': `sha256=${'0'.repeat(64)}` },
        ),
      ]);

      // Assert
      expect(await Promise.all(answers.map(async (a) => [a.status, await a.text()]))).toEqual([
        [400, expect.stringContaining("must NOT have additional properties: 'msteams'")],
        [400, expect.stringContaining('/attachments must be a non-empty array')],
        [400, 'invalid_blocks'],
        [400, 'no_text'],
        [401, '{"error":"signature stale"}'],
      ]);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
