import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { startLocalHost } from '../../../local/localHost';
import { type FakeSendGrid, sendGridMailerFor, startFakeSendGrid } from '../../../scripts/fakeSendGrid';
import { testConnectionString, uniqueName } from '../../harness/storage';
import { cli, cliWith, collectLog, isolatedSettings, receiptsTableName } from './localHostWorld';
import { ManualClock } from './manualClock';

let sendGrid: FakeSendGrid;
beforeAll(async () => {
  sendGrid = await startFakeSendGrid();
});
afterAll(() => sendGrid.close());

const sent = () =>
  sendGrid.requests
    .filter((r) => r.path === '/v3/mail/send' && r.status === 202)
    .map((r) => r.body as { subject: string });

/** A diagnostic-settings PT1H.json in a folder named like its container, as an export archive holds it. */
async function diagnosticFolder(component: string, codes: readonly string[]): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'diag-'));
  const resource = `/SUBSCRIPTIONS/0000/RESOURCEGROUPS/SHOP/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/${component.toUpperCase()}`;
  const file = join(
    folder,
    'insights-logs-apprequests',
    `resourceId=${resource}`,
    'y=2024',
    'm=03',
    'd=05',
    'h=13',
    'm=00',
    'PT1H.json',
  );
  const at = Date.now() - 60_000;
  const rows = codes.map((code, i) =>
    JSON.stringify({
      time: new Date(at).toISOString(),
      resourceId: resource,
      Type: 'AppRequests',
      Id: `r${i}`,
      Name: 'POST /checkout',
      ResultCode: code,
      Success: code === '200',
      DurationMs: 40,
      ItemCount: 1,
      Properties: { tenant: 'acme', city: 'Zürich' },
    }),
  );
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${rows.join('\n')}\n`);
  return folder;
}

describe('local host: a diagnostic-settings append blob, end to end', () => {
  it('alerts once for the matching rows of a blob replayed in appends cut mid-line, and not again', async () => {
    // Arrange: a rule in the workspace schema for one component; the host's scanner on a clock the test moves
    const component = uniqueName('shop-api-');
    const clock = new ManualClock(new Date());
    const settings = isolatedSettings({
      SENDGRID_API_KEY: sendGrid.apiKey,
      EXPORT_SCAN_CONTAINERS: 'insights-logs-apprequests',
      EXPORT_CURSOR_TABLE: `cursors${uniqueName('').replace(/[^a-z0-9]/g, '')}`,
    });
    const connection = testConnectionString();
    const { lines, log } = collectLog();
    const host = await startLocalHost({
      settings,
      clock,
      mailer: sendGridMailerFor(sendGrid).mailer,
      receiptsTable: receiptsTableName(),
      log,
    });
    const folder = await diagnosticFolder(component, ['200', '503', '200', '503', '503', '200', '200', '503']);
    try {
      const added = await cliWith(
        settings,
        'rules',
        'add',
        '--scope',
        component,
        '--id',
        'checkout-503',
        '--query',
        'AppRequests | where ResultCode == "503"',
        '--to',
        'oncall@example.com',
        '--throttle',
        '0',
        '--connection',
        connection,
      );
      const replayed = await cli('replay', folder, '--date', 'now', '--appends', '5', '--connection', connection);

      // Act: two ticks of the scanner
      const scanner = host.timer('exportLogScan');
      const runs = [];
      for (let i = 0; i < 2; i++) {
        const next = scanner.nextRun();
        clock.advanceTo(scanner.nextTick);
        runs.push(await next);
      }

      // Assert: the four 503s in one e-mail, nothing on the second scan, a line per range
      expect(added.code).toBe(0);
      expect(replayed.code).toBe(0);
      const mine = sent().filter((m) => m.subject.toLowerCase().includes(component));
      expect(mine.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[Sev2\] checkout-503: 4 requests in /)]);
      expect(runs).toMatchObject([{ ok: true }, { ok: true }]);
      expect(
        lines.some(
          (l) =>
            l.source === 'exportLogScan' &&
            /^range insights-logs-apprequests\/.*bytes=0-\d+: requests, 8 rows/.test(l.text),
        ),
      ).toBe(true);
    } finally {
      await host.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
