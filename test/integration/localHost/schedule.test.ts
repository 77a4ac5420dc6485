import type { TimerFunction } from '../../../local/appFunctions';
import { startLocalHost } from '../../../local/localHost';
import { TimerStatusStore } from '../../../local/timerStatus';
import { tableClientFrom } from '../../../shared/adapters/storage/clients';
import { monitorsSchedule, nextOccurrence, parseNcrontab } from '../../../shared/core/schedule/ncrontab';
import { testConnectionString } from '../../harness/storage';
import { collectLog, isolatedSettings, receiptsTableName } from './localHostWorld';
import { ManualClock } from './manualClock';

function next(expression: string, after: string): string | undefined {
  const schedule = parseNcrontab(expression);
  if (!schedule.ok) throw new Error(schedule.error);
  return nextOccurrence(schedule.value, new Date(after))?.toISOString();
}

describe('NCRONTAB schedules', () => {
  it.each([
    ['0 0 * * * *', '2026-11-25T13:47:12Z', '2026-11-25T14:00:00.000Z'],
    ['0 0 * * * *', '2026-11-25T14:00:00Z', '2026-11-25T15:00:00.000Z'],
    ['*/15 * * * * *', '2026-11-25T13:47:12.500Z', '2026-11-25T13:47:15.000Z'],
    ['0 */5 * * * *', '2026-11-25T13:47:12Z', '2026-11-25T13:50:00.000Z'],
    ['0 30 9 * * 1-5', '2026-11-27T10:00:00Z', '2026-11-30T09:30:00.000Z'],
    ['0 30 9 * Jan Mon', '2026-11-25T00:00:00Z', '2027-01-04T09:30:00.000Z'],
    ['0 0 0 29 2 *', '2026-11-25T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 0 3 1,15 * *', '2026-11-25T00:00:00Z', '2026-12-01T03:00:00.000Z'],
    ['5/20 0 0 1 1 *', '2026-11-25T00:00:00Z', '2027-01-01T00:00:05.000Z'],
  ])('%s after %s is %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it('finds no occurrence of a date that never comes', () => {
    expect(next('0 0 0 31 2 *', '2026-11-25T00:00:00Z')).toBeUndefined();
  });

  it.each([
    ['0 0 * * *', "'0 0 * * *' has 5 fields; NCRONTAB needs six: {second} {minute} {hour} {day} {month} {day-of-week}"],
    ['0 60 * * * *', "'0 60 * * * *': minute field '60' is not a value, range or step within 0-59"],
    ['0 0 * * * Mun', "'0 0 * * * Mun': day of week field 'Mun' is not a value, range or step within 0-6"],
    ['*/0 * * * * *', "'*/0 * * * * *': second field '*/0' has step '0', expected a positive whole number"],
  ])('refuses %s', (expression, message) => {
    expect(parseNcrontab(expression)).toEqual({ ok: false, error: message });
  });

  it('keeps status (the host’s useMonitor) only for schedules a minute or more apart', () => {
    const at = new Date('2026-11-25T13:47:12Z');
    const parsed = (e: string) => (parseNcrontab(e) as { value: Parameters<typeof monitorsSchedule>[0] }).value;
    expect(monitorsSchedule(parsed('0 * * * * *'), at)).toBe(true);
    expect(monitorsSchedule(parsed('*/30 * * * * *'), at)).toBe(false);
  });
});

describe('the local host’s timers', () => {
  it('runs the retention occurrence missed while stopped once at start, past due, then keeps the hour', async () => {
    // Arrange: the stored status says the hourly sweep was due an hour ago
    const clock = new ManualClock('2026-11-25T13:47:12.000Z');
    const hourAgo = '2026-11-25T12:47:12.000Z';
    const receiptsTable = receiptsTableName();
    const table = tableClientFrom(testConnectionString(), receiptsTable);
    await table.createTable();
    await new TimerStatusStore(table).write('retentionSweep', { last: hourAgo, next: hourAgo, lastUpdated: hourAgo });
    const { lines, log } = collectLog();

    // Act
    const host = await startLocalHost({
      settings: isolatedSettings({ RETENTION_SCHEDULE: '0 0 * * * *' }),
      clock,
      receiptsTable,
      log,
    });
    try {
      const sweep = host.timer('retentionSweep');
      const pastDue = await sweep.pastDueRun;

      // Assert
      expect(pastDue).toMatchObject({ ok: true, isPastDue: true });
      expect(lines).toContainEqual({
        level: 'info',
        source: 'host',
        text: `retentionSweep: missed the occurrence at ${hourAgo} while stopped; running it now`,
      });
      expect(lines.find((l) => l.source === 'retentionSweep')?.text).toMatch(
        /^retention sweep at .*: 0 expired folders[^]*\(past-due tick\)$/,
      );
      expect(await new TimerStatusStore(table).read('retentionSweep')).toEqual({
        last: hourAgo,
        next: '2026-11-25T14:00:00.000Z',
        lastUpdated: '2026-11-25T13:47:12.000Z',
      });

      // Act: the hour comes
      const regular = sweep.nextRun();
      clock.advanceTo(sweep.nextTick);

      // Assert: an on-time run, and the status moves on to the next hour
      expect(await regular).toMatchObject({ ok: true, isPastDue: false });
      expect(await new TimerStatusStore(table).read('retentionSweep')).toEqual({
        last: '2026-11-25T14:00:00.000Z',
        next: '2026-11-25T15:00:00.000Z',
        lastUpdated: '2026-11-25T14:00:00.000Z',
      });
    } finally {
      await host.stop();
    }
  });

  it('runs every timer function on its own schedule, each with its own status', async () => {
    // Arrange: two timer functions, as the app has once alert maintenance joins the retention sweep
    const clock = new ManualClock('2026-11-25T13:47:12.000Z');
    const receiptsTable = receiptsTableName();
    const ran: string[] = [];
    const timers: TimerFunction[] = [
      {
        name: 'retentionSweep',
        schedule: '0 0 * * * *',
        handler: async () => void ran.push(`retentionSweep ${clock.now().toISOString()}`),
      },
      {
        name: 'alertMaintenance',
        schedule: '0 */5 * * * *',
        handler: async () => void ran.push(`alertMaintenance ${clock.now().toISOString()}`),
      },
    ];
    const settings = isolatedSettings();
    const host = await startLocalHost({ settings, clock, receiptsTable, timers, log: () => {} });
    try {
      const maintenance = host.timer('alertMaintenance');

      // Act: maintenance at 13:50 and 13:55, then both at 14:00
      for (let i = 0; i < 2; i++) {
        const run = maintenance.nextRun();
        clock.advanceTo(maintenance.nextTick);
        await run;
      }
      const both = Promise.all([maintenance.nextRun(), host.timer('retentionSweep').nextRun()]);
      clock.advanceTo(new Date('2026-11-25T14:00:00.000Z'));
      await both;

      // Assert
      expect([...host.timers.keys()]).toEqual(['retentionSweep', 'alertMaintenance']);
      expect(ran.sort()).toEqual([
        'alertMaintenance 2026-11-25T13:50:00.000Z',
        'alertMaintenance 2026-11-25T13:55:00.000Z',
        'alertMaintenance 2026-11-25T14:00:00.000Z',
        'retentionSweep 2026-11-25T14:00:00.000Z',
      ]);
      const status = new TimerStatusStore(tableClientFrom(testConnectionString(), receiptsTable));
      expect((await status.read('alertMaintenance'))?.next).toBe('2026-11-25T14:05:00.000Z');
      expect((await status.read('retentionSweep'))?.next).toBe('2026-11-25T15:00:00.000Z');
    } finally {
      await host.stop();
    }
  });

  it('leaves out a timer whose schedule does not parse, says why, and runs the others', async () => {
    const { lines, log } = collectLog();
    const timers: TimerFunction[] = [
      { name: 'retentionSweep', schedule: '0 0 * * * *', handler: async () => undefined },
      { name: 'alertMaintenance', schedule: '0 0 * * *', handler: async () => undefined },
    ];
    const host = await startLocalHost({
      settings: isolatedSettings(),
      clock: new ManualClock('2026-11-25T13:47:12.000Z'),
      receiptsTable: receiptsTableName(),
      timers,
      log,
    });
    try {
      expect([...host.timers.keys()]).toEqual(['retentionSweep']);
      expect(() => host.timer('alertMaintenance')).toThrow('alertMaintenance is not scheduled');
      expect(lines).toContainEqual({
        level: 'error',
        source: 'host',
        text: expect.stringMatching(/^alertMaintenance not scheduled: '0 0 \* \* \*' has 5 fields/),
      });
    } finally {
      await host.stop();
    }
  });
});
