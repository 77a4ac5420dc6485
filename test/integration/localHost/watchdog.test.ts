import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLocalHost } from '../../../local/localHost';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { TableExportStatus } from '../../../shared/adapters/storage/tableExportStatus';
import type { DeliveredActivity } from '../../../shared/core/status/exportActivity';
import { testConnectionString } from '../../harness/storage';
import { collectLog, isolatedSettings, receiptsTableName } from './localHostWorld';
import { ManualClock } from './manualClock';

const MIN = 60_000;
const HOUR = 60 * MIN;

function delivered(at: number): DeliveredActivity {
  return {
    kind: 'delivered',
    app: 'shop',
    type: 'AppRequests',
    source: 'diagnosticSettings',
    blob: 'insights-logs-apprequests/resourceId=/SUBSCRIPTIONS/S/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP/PT1H.json',
    version: `bytes=0-${at % 100_000}`,
    at,
    records: 1,
    matches: 0,
    emails: 0,
  };
}

/** The subjects of the .eml files in the outbox, in name order. */
async function subjectsIn(outbox: string): Promise<string[]> {
  const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml')).sort();
  const texts = await Promise.all(files.map((f) => readFile(join(outbox, f), 'utf8')));
  // NOTE: long headers are folded onto continuation lines (RFC 5322 §2.2.3): unfolded before reading.
  return texts.map((t) => /^Subject: (.*)$/m.exec(t.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '');
}

describe('local host: the export watchdog on the maintenance timer’s schedule', () => {
  it('writes one "export stopped" e-mail to the outbox when a steady export goes quiet, and one when it flows again', async () => {
    // Arrange: a steady diagnostic-settings export whose last range was read 40 minutes ago (the
    // services run on the real clock; the timer's schedule on the test's)
    const outbox = await mkdtemp(join(tmpdir(), 'outbox-'));
    const settings = isolatedSettings({
      MAIL_TRANSPORT: 'outbox',
      OUTBOX_DIR: outbox,
      HEALTH_ALERT_RECIPIENTS: 'ops@example.com',
    });
    const status = new TableExportStatus(
      tableClientFrom(testConnectionString(), settings['EXPORT_STATUS_TABLE'] ?? ''),
    );
    const last = Date.now() - 40 * MIN;
    for (let at = last - 25 * HOUR; at <= last; at += 30 * MIN) await status.noteDelivered(delivered(at));
    const clock = new ManualClock(new Date());
    const { lines, log } = collectLog();
    const host = await startLocalHost({ settings, clock, receiptsTable: receiptsTableName(), log });
    const tick = async () => {
      const timer = host.timer('alertMaintenance');
      const next = timer.nextRun();
      clock.advanceTo(timer.nextTick);
      return next;
    };

    try {
      // Act: two ticks; then a new range is read; two ticks
      const ticks = [await tick(), await tick()];
      await status.noteDelivered(delivered(Date.now()));
      ticks.push(await tick(), await tick());

      // Assert
      expect(ticks.map((t) => t.ok)).toEqual([true, true, true, true]);
      expect(await subjectsIn(outbox)).toEqual([
        expect.stringMatching(
          /^\[export stopped\] shop AppRequests \(diagnostic settings\): no data since \d\d:\d\d UTC$/,
        ),
        expect.stringMatching(/^\[export flowing again\] shop AppRequests \(diagnostic settings\) after 40 min$/),
      ]);
      expect(
        lines
          .filter((l) => l.source === 'alertMaintenance' && l.text.startsWith('export watchdog:'))
          .map((l) => l.text),
      ).toEqual([
        expect.stringContaining('stopped 1, flowing again 0'),
        expect.stringContaining('stopped 0, flowing again 0'),
        expect.stringContaining('stopped 0, flowing again 1'),
        expect.stringContaining('stopped 0, flowing again 0'),
      ]);
    } finally {
      await host.stop();
      await rm(outbox, { recursive: true, force: true });
    }
  });
});
