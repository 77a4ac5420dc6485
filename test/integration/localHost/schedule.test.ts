import { monitorsSchedule, nextOccurrence, parseNcrontab } from '../../../shared/schedule/ncrontab';
import { startLocalHost } from '../../../local/localHost';
import { TimerStatusStore } from '../../../local/timerStatus';
import { tableClientFrom } from '../../../shared/storage/clients';
import { testConnectionString } from '../../harness/storage';
import { collectLog, isolatedSettings, receiptsTableName } from './localHostWorld';

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

describe('the local host’s retention timer', () => {
  it('runs an occurrence missed while stopped once at start, past due', async () => {
    // Arrange: the stored status says the hourly sweep was due an hour ago
    const receiptsTable = receiptsTableName();
    const table = tableClientFrom(testConnectionString(), receiptsTable);
    await table.createTable();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await new TimerStatusStore(table).write('retentionSweep', { last: hourAgo, next: hourAgo, lastUpdated: hourAgo });
    const { lines, log } = collectLog();

    // Act
    const host = await startLocalHost({ settings: isolatedSettings({ RETENTION_SCHEDULE: '0 0 * * * *' }), pollIntervalMs: 3_600_000, receiptsTable, log });
    try {
      for (let i = 0; i < 100 && !lines.some((l) => l.source === 'retentionSweep'); i++) await new Promise((r) => setTimeout(r, 50));

      // Assert
      expect(lines).toContainEqual({ level: 'info', source: 'host', text: `retentionSweep: missed the occurrence at ${hourAgo} while stopped; running it now` });
      expect(lines.find((l) => l.source === 'retentionSweep')?.text).toMatch(/^retention sweep at .*: 0 expired folders[^]*\(past-due tick\)$/);
      const status = await new TimerStatusStore(table).read('retentionSweep');
      expect(status?.last).toBe(hourAgo);
      expect(Date.parse(status?.next ?? '')).toBeGreaterThan(Date.now());
    } finally {
      await host.stop();
    }
  });
});
