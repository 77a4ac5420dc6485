import { rm } from 'node:fs/promises';

import { BlobServiceClient } from '@azure/storage-blob';

import { type LocalHostOptions, startLocalHost } from '../../../local/localHost';
import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import type { SweepSummary } from '../../../shared/core/retention/sweepSummary';
import { testConnectionString } from '../../harness/storage';
import {
  cli,
  cliWith,
  collectLog,
  exportFolderWithFailures,
  isolatedSettings,
  receiptsTableName,
} from './localHostWorld';
import { ManualClock } from './manualClock';

let sendGrid: FakeSendGrid;
beforeAll(async () => {
  sendGrid = await startFakeSendGrid();
});
afterAll(() => sendGrid.close());
beforeEach(() => sendGrid.requests.splice(0));

const sent = () => sendGrid.requests.filter((r) => r.path === '/v3/mail/send' && r.status === 202);
const blobNames = async (container: string) => {
  const names: string[] = [];
  for await (const b of BlobServiceClient.fromConnectionString(testConnectionString())
    .getContainerClient(container)
    .listBlobsFlat())
    names.push(b.name);
  return names;
};

describe('local host, end to end on Azurite with the fake SendGrid', () => {
  it('e-mails a replayed blob’s alert once, sends nothing again after a restart, and its sweep deletes an old-dated blob', async () => {
    // Arrange: a host polling every 100 ms and sweeping every second of a clock the test moves,
    // mailing through the fake SendGrid
    // NOTE: 100 ms past a whole second, so the three 100 ms poll steps below never cross the sweep's
    // next second; crossing it would start the sweep before the test asks for it.
    const clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000 + 100));
    const settings = isolatedSettings({ SENDGRID_API_KEY: sendGrid.apiKey, RETENTION_SCHEDULE: '* * * * * *' });
    const container = settings['EXPORT_CONTAINER'] as string;
    const connection = testConnectionString();
    const { lines, log } = collectLog();
    const options: LocalHostOptions = {
      settings,
      pollIntervalMs: 100,
      clock,
      mailer: sendGridMailerFor(sendGrid).mailer,
      receiptsTable: receiptsTableName(),
      log,
    };
    let host = await startLocalHost(options);
    const { folder, blobName } = await exportFolderWithFailures('shop');

    try {
      // Act: a rule with the CLI, then the blob with replay
      const added = await cliWith(
        settings,
        'rules',
        'add',
        '--scope',
        'shop',
        '--id',
        'checkout-503',
        '--query',
        'requests | where resultCode == "503" and name == "POST /checkout"',
        '--to',
        'oncall@example.com',
        '--connection',
        connection,
      );
      const replayed = await cli('replay', folder, '--connection', connection, '--container', container);
      await host.processedOnce();
      await host.processedOnce();

      // Assert: one e-mail, for the three failures, and one summary line for the blob
      expect(added).toMatchObject({ code: 0, out: ['added rule shop/checkout-503 (requests, 1 recipient)'] });
      expect(replayed).toMatchObject({
        code: 0,
        out: [
          `uploaded ${container}/${blobName} (${replayed.out[0]?.match(/\((\d+) bytes\)/)?.[1]} bytes)`,
          `replayed 1 file into container '${container}'`,
        ],
      });
      expect(sent()).toHaveLength(1);
      expect((sent()[0]?.body as { subject: string }).subject).toMatch(/^\[Sev2\] checkout-503: 4 requests in shop /);
      const blobLines = lines.filter(
        (l) => l.source === 'exportBlobReceived' && l.text.startsWith(`blob ${blobName}:`),
      );
      expect(blobLines.map((l) => l.text)).toEqual([
        expect.stringMatching(
          /: requests, 40 rows seen, 4 parsed \(36 no rule could match were skipped unread\), 4 records, 0 malformed among those parsed, \d+ bytes, matches shop\/checkout-503=4, e-mails: sent 1$/,
        ),
      ]);

      // Act: restart the host on the same receipts
      await host.stop();
      lines.splice(0);
      host = await startLocalHost(options);
      const polls = [await host.processedOnce()];
      for (let i = 0; i < 3; i++) {
        const scheduled = host.nextPoll();
        clock.advance(100);
        polls.push(await scheduled);
      }

      // Assert: nothing invoked, nothing sent, by the asked-for poll or the three scheduled ones
      expect(polls.map((p) => [p.listed, p.invocations.length])).toEqual([
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 0],
      ]);
      expect(lines.filter((l) => l.source === 'exportBlobReceived')).toEqual([]);
      expect(lines).toContainEqual({
        level: 'info',
        source: 'host',
        text: `exportBlobReceived: watching container '${container}' (EXPORT_STORAGE) every 0.1 s, 4 at once, poison after 5 tries; 1 blob already has a receipt`,
      });
      expect(sent()).toHaveLength(1);

      // Act: the same file, filed under an hour in 2020
      const old = await cli(
        'replay',
        folder,
        '--date',
        '2020-01-01T05',
        '--connection',
        connection,
        '--container',
        container,
      );
      const timer = host.timer('retentionSweep');
      const next = timer.nextRun();
      clock.advanceTo(timer.nextTick);
      const sweep = await next;

      // Assert: the sweep deleted the old copy and kept the current one
      expect(old.code).toBe(0);
      expect(sweep).toMatchObject({ ok: true, isPastDue: false });
      expect((sweep as { result: SweepSummary }).result).toMatchObject({ status: 'completed', deleted: { blobs: 1 } });
      expect(await blobNames(container)).toEqual([blobName]);
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await host.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('tries a blob whose e-mail fails on later polls, gives up after five tries, and takes it up again when it changes', async () => {
    // Arrange: SendGrid answers 503 (retryable) until the blob changes; no throttle, so the failed
    // alert does not hold back the next version's
    const settings = isolatedSettings({ SENDGRID_API_KEY: sendGrid.apiKey });
    const container = settings['EXPORT_CONTAINER'] as string;
    const connection = testConnectionString();
    const { lines, log } = collectLog();
    // The clock stands still: only processedOnce polls, one try each.
    const host = await startLocalHost({
      settings,
      clock: new ManualClock(new Date()),
      mailer: sendGridMailerFor(sendGrid).mailer,
      receiptsTable: receiptsTableName(),
      log,
    });
    const { folder, blobName } = await exportFolderWithFailures('shop');
    try {
      await cliWith(
        settings,
        'rules',
        'add',
        '--scope',
        'shop',
        '--id',
        'checkout-503',
        '--query',
        'requests | where resultCode == "503"',
        '--to',
        'oncall@example.com',
        '--throttle',
        '0',
        '--connection',
        connection,
      );
      sendGrid.respondAlwaysWith({ status: 503 });
      await cli('replay', folder, '--connection', connection, '--container', container);

      // Act
      const reports = [];
      for (let i = 0; i < 6; i++) reports.push(await host.processedOnce());

      // Assert: tries 1-4 failed, the 5th made it poison, the 6th poll left it alone
      expect(reports.map((r) => r.invocations.map((v) => `${v.attempt}:${v.outcome}`))).toEqual([
        ['1:failed'],
        ['2:failed'],
        ['3:failed'],
        ['4:failed'],
        ['5:poison'],
        [],
      ]);
      const failedRequests = sendGrid.requests.map((r) => r.status);
      expect(failedRequests.length).toBeGreaterThanOrEqual(5);
      expect(new Set(failedRequests)).toEqual(new Set([503]));
      expect(lines.filter((l) => l.source === 'host' && l.level !== 'info').map((l) => l.text)).toEqual([
        ...[1, 2, 3, 4].map((n) =>
          expect.stringMatching(
            new RegExp(`^blob ${blobName}: try ${n} of 5 failed, trying again on the next poll: 1 alert e-mail`),
          ),
        ),
        expect.stringMatching(
          new RegExp(`^blob ${blobName}: poison after 5 failed tries, left alone until it changes: `),
        ),
      ]);

      // Act: SendGrid is back, and new content arrives under the same name (a new etag)
      sendGrid.respondAlwaysWith(undefined);
      await cli('replay', folder, '--connection', connection, '--container', container);
      const again = await host.processedOnce();

      // Assert: a first try of the new version, which now gets its e-mail out
      expect(again.invocations).toMatchObject([{ name: blobName, attempt: 1, outcome: 'done' }]);
      expect(sent()).toHaveLength(1);
    } finally {
      sendGrid.respondAlwaysWith(undefined);
      await host.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('local host: the maintenance timer sends what a poisoned blob left', () => {
  it('sends the alert of a blob the host gave up on, once SendGrid answers again, without the blob changing', async () => {
    // Arrange: SendGrid answers 503 until the blob is poison
    const clock = new ManualClock(new Date());
    const settings = isolatedSettings({ SENDGRID_API_KEY: sendGrid.apiKey });
    const container = settings['EXPORT_CONTAINER'] as string;
    const connection = testConnectionString();
    const host = await startLocalHost({
      settings,
      clock,
      mailer: sendGridMailerFor(sendGrid, { retryBudgetMs: 3_000 }).mailer,
      receiptsTable: receiptsTableName(),
    });
    const { folder } = await exportFolderWithFailures('shop');
    try {
      await cliWith(
        settings,
        'rules',
        'add',
        '--scope',
        'shop',
        '--id',
        'checkout-503',
        '--query',
        'requests | where resultCode == "503"',
        '--to',
        'oncall@example.com',
        '--connection',
        connection,
      );
      sendGrid.respondAlwaysWith({ status: 503 });
      await cli('replay', folder, '--connection', connection, '--container', container);
      const outcomes: string[] = [];
      for (let i = 0; i < 5; i++) outcomes.push(...(await host.processedOnce()).invocations.map((v) => v.outcome));

      // Act: SendGrid is back; the maintenance timer ticks
      sendGrid.respondAlwaysWith(undefined);
      const timer = host.timer('alertMaintenance');
      const next = timer.nextRun();
      clock.advanceTo(timer.nextTick);
      const run = await next;

      // Assert: poison, then one e-mail from the timer
      expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'poison']);
      expect(run).toMatchObject({ ok: true, result: { sent: 1, failed: 0 } });
      expect(sent()).toHaveLength(1);
    } finally {
      sendGrid.respondAlwaysWith(undefined);
      await host.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
