import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLocalHost } from '../../../local/localHost';
import { startChannelReceiver } from '../../../scripts/channelReceivers';
import { emlSubject, runDemo } from '../../../scripts/demo';
import { isolatedSettings, receiptsTableName, withEnvironment } from './localHostWorld';

describe('npm run demo', () => {
  it('adds the sample rule, replays generated blobs and finds the alert e-mail in the outbox', async () => {
    // Arrange: a local host writing to a fresh outbox
    const outboxDir = await mkdtemp(join(tmpdir(), 'demo-outbox-'));
    const settings = isolatedSettings({ OUTBOX_DIR: outboxDir });
    const host = await startLocalHost({ settings, pollIntervalMs: 200, receiptsTable: receiptsTableName() });
    const out: string[] = [];

    try {
      // Act: in a shell with the host's settings, as `npm run demo` reads them, so its CLI calls
      // write the rules table the host reads
      const result = await withEnvironment(settings, () =>
        runDemo({
          settings,
          outboxDir,
          io: { out: (l) => out.push(l), err: (l) => out.push(l) },
          timeoutMs: 20_000,
        }),
      );

      // Assert
      expect(existsSync(result.emlPath)).toBe(true);
      expect(result.emlPath.startsWith(outboxDir)).toBe(true);
      expect(result.subject).toMatch(/^\[Sev1\] demo-checkout-errors: 3 requests in contoso-shop \(.+ UTC\)$/);
      expect(result.diagnostic.subject).toMatch(
        /^\[Sev1\] demo-checkout-errors-ws: 3 requests in contoso-shop \(.+ UTC\)$/i,
      );
      expect(out).toContain('added rule contoso-shop/demo-checkout-errors (requests, 1 recipient)');
      expect(out.filter((l) => l.startsWith('uploaded '))).toHaveLength(2);
      expect(out.filter((l) => l.startsWith('appended insights-logs-apprequests/'))).toHaveLength(1);
    } finally {
      await host.stop();
      await rm(outboxDir, { recursive: true, force: true });
    }
  });

  it('with local channel settings, notifies the local Teams and webhook receivers too', async () => {
    // Arrange: receivers on a free port, and the settings npm start would point at them
    const outboxDir = await mkdtemp(join(tmpdir(), 'demo-outbox-'));
    const channelOutDir = join(outboxDir, 'channels');
    const secret = 'demo-receiver-secret-0123456789';
    const receiver = await startChannelReceiver({ outDir: channelOutDir, secrets: { LOCAL: secret } });
    const settings = isolatedSettings({
      OUTBOX_DIR: outboxDir,
      TEAMS_WEBHOOK_LOCAL: receiver.urlFor('teams', 'LOCAL'),
      WEBHOOK_URL_LOCAL: receiver.urlFor('webhook', 'LOCAL'),
      WEBHOOK_SECRET_LOCAL: secret,
    });
    const host = await startLocalHost({ settings, pollIntervalMs: 200, receiptsTable: receiptsTableName() });
    const out: string[] = [];

    try {
      // Act
      const result = await withEnvironment(settings, () =>
        runDemo({
          settings,
          outboxDir,
          channelOutDir,
          io: { out: (l) => out.push(l), err: (l) => out.push(l) },
          timeoutMs: 20_000,
        }),
      );

      // Assert: valid payloads on each channel. NOTE: the classic-schema demo rule matches the
      // diagnostic-settings blob too, so a second alert's notices may arrive while the demo finishes.
      expect(result.channels.map((c) => c.channel)).toEqual(['teams:LOCAL', 'webhook:LOCAL']);
      const received = receiver.received.map((r) => ({ kind: r.kind, status: r.status, problems: r.problems }));
      expect(new Set(received.map((r) => r.kind))).toEqual(new Set(['teams', 'webhook']));
      for (const r of received)
        expect(r).toEqual({ kind: r.kind, status: r.kind === 'teams' ? 202 : 200, problems: [] });
      const hook = JSON.parse(await readFile(result.channels[1]?.file ?? '', 'utf8')) as { rule: { id: string } };
      expect(hook.rule.id).toBe('demo-checkout-errors');
      expect(out.some((l) => l.includes('--notify teams:LOCAL,webhook:LOCAL'))).toBe(true);
    } finally {
      await host.stop();
      await receiver.close();
      await rm(outboxDir, { recursive: true, force: true });
    }
  });

  it('fails with what to check when no e-mail arrives in time', async () => {
    // Arrange: storage, but no host to process the blobs
    const outboxDir = await mkdtemp(join(tmpdir(), 'demo-outbox-'));
    const settings = isolatedSettings({ OUTBOX_DIR: outboxDir });
    const quiet = { out: () => {}, err: () => {} };

    // Act
    const demo = runDemo({ settings, outboxDir, io: quiet, timeoutMs: 500 });

    // Assert
    await expect(demo).rejects.toMatchObject({
      code: 'DEMO_NO_EMAIL',
      message: expect.stringMatching(
        /^no alert e-mail reached .* within 1 s; the host's lines above say what happened to the blobs/,
      ),
    });
    await rm(outboxDir, { recursive: true, force: true });
  });

  it('reads a folded, encoded Subject header', () => {
    const raw =
      'From: a@example.com\r\nSubject: =?UTF-8?Q?[Sev1]_rule:_3_requests_(13:05=E2=80=93?=\r\n =?UTF-8?Q?13:06_UTC)?=\r\n\r\nbody';
    expect(emlSubject(raw)).toBe('[Sev1] rule: 3 requests (13:05–13:06 UTC)');
  });
});
