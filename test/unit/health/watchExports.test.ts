import { WATCHDOG_LEDGER } from '../../../shared/core/health/healthRecord';
import { delivered } from '../../helpers/memoryExportStatus';
import { HealthWorld, HOUR, LEASE_MS, MIN, T0 } from './healthWorld';

const SUBJECT_STOPPED = '[export stopped] shop AppRequests (diagnostic settings): no data since 12:40 UTC';

/** shop's AppRequests, diagnostic settings, delivering every 5 minutes for a day up to 12:40, quiet since. */
async function stoppedShop(): Promise<HealthWorld> {
  const w = new HealthWorld();
  await w.steady('shop', 'AppRequests', 'diagnosticSettings', T0 - 30 * MIN);
  return w;
}

describe('watchExports', () => {
  it('sends one e-mail when a steady export stops, and none on the runs after', async () => {
    // Arrange
    const w = await stoppedShop();

    // Act: 29 minutes quiet, 30, then every minute for an hour
    w.clock = T0 - MIN;
    const early = await w.watch();
    w.clock = T0;
    const first = await w.watch();
    const later = [];
    for (let i = 0; i < 60; i++) {
      w.clock += MIN;
      later.push(await w.watch());
    }

    // Assert
    expect(early).toMatchObject({ watched: 1, stopped: 0, emails: { sent: 0 } });
    expect(first).toMatchObject({ watched: 1, stopped: 1, emails: { sent: 1, failed: 0, rejected: 0 } });
    expect(later.map((s) => s.emails.sent + s.stopped)).toEqual(Array.from({ length: 60 }, () => 0));
    expect(w.mailer.subjects()).toEqual([SUBJECT_STOPPED]);
    expect(w.mailer.delivered[0]?.to).toEqual(['ops@example.com']);
  });

  it('sends one e-mail when data flows again, with the length of the gap', async () => {
    // Arrange: reported stopped at 13:10, data again at 16:00
    const w = await stoppedShop();
    await w.watch();
    w.clock = T0 + 2 * HOUR + 50 * MIN;
    await w.status.noteDelivered(delivered('shop', 'AppRequests', 'diagnosticSettings', w.clock));

    // Act
    w.clock += MIN;
    const resumed = await w.watch();
    w.clock += MIN;
    const after = await w.watch();

    // Assert
    expect(resumed).toMatchObject({ resumed: 1, stopped: 0, emails: { sent: 1 } });
    expect(after).toMatchObject({ resumed: 0, stopped: 0, emails: { sent: 0 } });
    expect(w.mailer.subjects()).toEqual([
      SUBJECT_STOPPED,
      '[export flowing again] shop AppRequests (diagnostic settings) after 3 h 20 min',
    ]);
  });

  it('reports each stop and each resumption of a flapping export once', async () => {
    // Arrange
    const w = await stoppedShop();
    const subjects: string[][] = [];
    const deliver = () => w.status.noteDelivered(delivered('shop', 'AppRequests', 'diagnosticSettings', w.clock));

    // Act: stop (13:10), data (13:40), stop (14:11), data (14:20), quiet for an hour; two runs per step
    const runTwice = async () => {
      await w.watch();
      w.clock += MIN;
      await w.watch();
      subjects.push(w.mailer.delivered.splice(0).map((e) => e.subject));
    };
    await runTwice();
    w.clock = T0 + 30 * MIN;
    await deliver();
    await runTwice();
    w.clock = T0 + 61 * MIN;
    await runTwice();
    w.clock = T0 + 70 * MIN;
    await deliver();
    await runTwice();
    w.clock = T0 + 90 * MIN;
    await runTwice();

    // Assert: the relapse at 14:11 is reported although the gap left the export unsteady
    expect(subjects).toEqual([
      [SUBJECT_STOPPED],
      ['[export flowing again] shop AppRequests (diagnostic settings) after 1 h'],
      ['[export stopped] shop AppRequests (diagnostic settings): no data since 13:40 UTC'],
      ['[export flowing again] shop AppRequests (diagnostic settings) after 40 min'],
      [],
    ]);
  });

  it('sends nothing for an app quiet at night that delivered only by day', async () => {
    // Arrange: yesterday and today 08:00–22:00
    const w = new HealthWorld();
    const day = Date.UTC(2024, 2, 5);
    for (const start of [day - 24 * HOUR, day])
      await w.status.deliverEvery(
        'shop',
        'AppRequests',
        'diagnosticSettings',
        start + 8 * HOUR,
        start + 22 * HOUR,
        5 * MIN,
      );

    // Act: every 5 minutes from 22:05 to 08:00
    const runs = [];
    for (w.clock = day + 22 * HOUR + 5 * MIN; w.clock < day + 32 * HOUR; w.clock += 5 * MIN) runs.push(await w.watch());

    // Assert
    expect(runs.every((r) => r.watched === 0 && r.unwatched === 1)).toBe(true);
    expect(w.mailer.delivered).toEqual([]);
  });

  it('sends one e-mail when two timers run at once', async () => {
    // Arrange: both runs read the state before either writes
    const w = await stoppedShop();
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    w.health.hook = async (op, when) => {
      if (op !== 'listWatches' || when !== 'after') return;
      if (++arrived === 2) release();
      await bothRead;
    };

    // Act
    const [a, b] = await Promise.all([w.watch(), w.watch()]);

    // Assert
    expect([a.stopped + b.stopped, a.contended + b.contended]).toEqual([1, 1]);
    expect(w.mailer.subjects()).toEqual([SUBJECT_STOPPED]);
  });

  it('leaves a failed send to alert maintenance, which sends it once', async () => {
    // Arrange: SendGrid answers 503 once
    const w = await stoppedShop();
    w.mailer.script = ['retryable'];

    // Act
    const run = await w.watch();
    w.clock += MIN;
    const next = await w.watch();
    const maintenance = await w.maintain();
    const again = await w.maintain();

    // Assert
    expect(run).toMatchObject({ stopped: 1, emails: { sent: 0, failed: 1 } });
    expect(next).toMatchObject({ stopped: 0, emails: { sent: 0, failed: 0 } });
    expect(maintenance).toMatchObject({ open: 1, sent: 1 });
    expect(again).toMatchObject({ open: 0, sent: 0 });
    expect(w.mailer.subjects()).toEqual([SUBJECT_STOPPED]);
  });

  it('after a crash between recording the notice and sending it, alert maintenance sends it once the lease has passed', async () => {
    // Arrange: the process dies right after the notice is written
    const w = await stoppedShop();
    w.health.hook = (op, when) => {
      if (op === 'commitNotice' && when === 'after') throw new Error('the worker died');
    };
    await expect(w.watch()).rejects.toThrow('the worker died');
    w.health.hook = () => {};

    // Act: the next tick, within the lease; then one after it
    w.clock += MIN;
    const within = [await w.watch(), await w.maintain()];
    w.clock += LEASE_MS;
    const past = [await w.watch(), await w.maintain()];

    // Assert
    expect(within).toMatchObject([
      { stopped: 0, emails: { sent: 0 } },
      { open: 1, busy: 1, sent: 0 },
    ]);
    expect(past).toMatchObject([
      { stopped: 0, emails: { sent: 0 } },
      { open: 1, sent: 1 },
    ]);
    expect(w.mailer.subjects()).toEqual([SUBJECT_STOPPED]);
  });

  it('records a refused e-mail as rejected, not retried', async () => {
    // Arrange: SendGrid refuses the message (400)
    const w = await stoppedShop();
    w.mailer.script = ['permanent'];

    // Act
    const run = await w.watch();
    const maintenance = await w.maintain();

    // Assert
    expect(run).toMatchObject({ stopped: 1, emails: { rejected: 1 } });
    expect(maintenance).toMatchObject({ open: 0, sent: 0 });
    expect([...w.book.records.values()].map((r) => [r.ruleKey, r.status])).toEqual([[WATCHDOG_LEDGER, 'rejected']]);
  });

  it('names every source that stopped at once in one e-mail', async () => {
    // Arrange
    const w = new HealthWorld();
    for (const type of ['AppRequests', 'AppTraces', 'AppDependencies'])
      await w.steady('shop', type, 'diagnosticSettings', T0 - 30 * MIN);

    // Act
    const run = await w.watch();

    // Assert
    expect(run).toMatchObject({ stopped: 3, emails: { sent: 1 } });
    expect(w.mailer.subjects()).toEqual([
      '[export stopped] 3 exports: shop AppDependencies, shop AppRequests and 1 more',
    ]);
  });
});
