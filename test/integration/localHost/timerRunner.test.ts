import type { Timer } from '@azure/functions';

import type { HostLogLine } from '../../../local/hostLog';
import { type TimerHandler, type TimerRun, TimerRunner } from '../../../local/timerRunner';
import type { TimerStatus, TimerStatusStorage } from '../../../local/timerStatus';
import { parseNcrontab } from '../../../shared/core/schedule/ncrontab';
import { ManualClock } from './manualClock';

const START = '2026-11-25T13:47:12.000Z';

class MemoryTimerStatus implements TimerStatusStorage {
  readonly byName = new Map<string, TimerStatus>();
  async read(name: string): Promise<TimerStatus | undefined> {
    return this.byName.get(name);
  }
  async write(name: string, status: TimerStatus): Promise<void> {
    this.byName.set(name, status);
  }
}

function runnerFor(
  expression: string,
  handler: TimerHandler,
  options: { status?: MemoryTimerStatus; clock?: ManualClock } = {},
) {
  const schedule = parseNcrontab(expression);
  if (!schedule.ok) throw new Error(schedule.error);
  const clock = options.clock ?? new ManualClock(START);
  const status = options.status ?? new MemoryTimerStatus();
  const lines: HostLogLine[] = [];
  const runner = new TimerRunner({
    functionName: 'sweep',
    schedule: schedule.value,
    handler,
    status,
    clock,
    log: (l) => void lines.push(l),
  });
  return { runner, clock, status, lines };
}

/** Moves the clock to the runner's next tick and waits for that tick to finish. */
async function tickOnce(runner: TimerRunner, clock: ManualClock): Promise<TimerRun> {
  const run = runner.nextRun();
  clock.advanceTo(runner.nextTick);
  return run;
}

describe('TimerRunner on a manual clock', () => {
  it('runs each occurrence when the clock reaches it, not before, and hands the handler its schedule status', async () => {
    // Arrange
    const timers: Timer[] = [];
    const { runner, clock } = runnerFor('0 */5 * * * *', async (timer) => {
      timers.push(timer);
      return timers.length;
    });
    await runner.start();

    // Act
    clock.advanceTo(new Date('2026-11-25T13:49:59.999Z'));
    const early = timers.length;
    const first = await tickOnce(runner, clock);
    const second = await tickOnce(runner, clock);

    // Assert
    expect(early).toBe(0);
    expect([first, second]).toEqual([
      { ok: true, result: 1, isPastDue: false },
      { ok: true, result: 2, isPastDue: false },
    ]);
    expect(timers.map((t) => t.scheduleStatus)).toEqual([
      { last: '2026-11-25T13:50:00.000Z', next: '2026-11-25T13:55:00.000Z', lastUpdated: '2026-11-25T13:50:00.000Z' },
      { last: '2026-11-25T13:50:00.000Z', next: '2026-11-25T14:00:00.000Z', lastUpdated: '2026-11-25T13:55:00.000Z' },
    ]);
    expect(runner.nextTick?.toISOString()).toBe('2026-11-25T14:00:00.000Z');
    await runner.stop();
  });

  it('logs a failing tick and keeps the schedule', async () => {
    // Arrange
    let calls = 0;
    const { runner, clock, lines } = runnerFor('0 * * * * *', async () => {
      calls++;
      if (calls === 1) throw new Error('storage blip');
      return 'swept';
    });
    await runner.start();

    // Act
    const failed = await tickOnce(runner, clock);
    const next = await tickOnce(runner, clock);

    // Assert
    expect(failed).toEqual({ ok: false, error: 'storage blip', isPastDue: false });
    expect(next).toEqual({ ok: true, result: 'swept', isPastDue: false });
    expect(lines).toContainEqual({
      level: 'error',
      source: 'host',
      text: 'sweep failed; the schedule goes on: storage blip',
    });
    await runner.stop();
  });

  it('runs an occurrence missed while stopped once at start, past due, and keeps the regular schedule', async () => {
    // Arrange: the status says the 10:00 tick never ran; 11:00 to 13:00 were missed too
    const status = new MemoryTimerStatus();
    await status.write('sweep', {
      last: '2026-11-25T09:00:00.000Z',
      next: '2026-11-25T10:00:00.000Z',
      lastUpdated: '2026-11-25T09:00:00.000Z',
    });
    const seen: boolean[] = [];
    const { runner, clock, lines } = runnerFor('0 0 * * * *', async (timer) => void seen.push(timer.isPastDue), {
      status,
    });

    // Act
    await runner.start();
    const pastDue = await runner.pastDueRun;
    const regular = await tickOnce(runner, clock);

    // Assert
    expect(pastDue).toEqual({ ok: true, result: undefined, isPastDue: true });
    expect(regular).toEqual({ ok: true, result: undefined, isPastDue: false });
    expect(seen).toEqual([true, false]);
    expect(lines.filter((l) => l.text.includes('missed'))).toEqual([
      {
        level: 'info',
        source: 'host',
        text: 'sweep: missed the occurrence at 2026-11-25T10:00:00.000Z while stopped; running it now',
      },
    ]);
    expect(status.byName.get('sweep')).toEqual({
      last: '2026-11-25T14:00:00.000Z',
      next: '2026-11-25T15:00:00.000Z',
      lastUpdated: '2026-11-25T14:00:00.000Z',
    });
    await runner.stop();
  });

  it('does not run a past-due tick when the stored next occurrence is still ahead', async () => {
    const status = new MemoryTimerStatus();
    await status.write('sweep', {
      last: '2026-11-25T13:00:00.000Z',
      next: '2026-11-25T14:00:00.000Z',
      lastUpdated: '2026-11-25T13:00:00.000Z',
    });
    const { runner } = runnerFor('0 0 * * * *', async () => undefined, { status });
    await runner.start();
    expect(runner.pastDueRun).toBeUndefined();
    await runner.stop();
  });

  it('keeps no status for a schedule less than a minute apart, as the host does', async () => {
    const { runner, clock, status } = runnerFor('*/30 * * * * *', async () => undefined);
    await runner.start();
    await tickOnce(runner, clock);
    expect(status.byName.size).toBe(0);
    await runner.stop();
  });

  it('reaches an occurrence weeks away, past what one setTimeout can wait', async () => {
    // Arrange: New Year is 37 days (3.2e9 ms) ahead, beyond setTimeout's 2^31-1 ms
    const { runner, clock } = runnerFor('0 0 0 1 1 *', async () => 'new year');
    await runner.start();

    // Act
    const run = await tickOnce(runner, clock);

    // Assert
    expect(run).toEqual({ ok: true, result: 'new year', isPastDue: false });
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(runner.nextTick?.toISOString()).toBe('2028-01-01T00:00:00.000Z');
    await runner.stop();
  });

  it('runs one tick at a time: an occurrence due during the past-due run waits for it', async () => {
    // Arrange: the past-due run holds until released
    const status = new MemoryTimerStatus();
    await status.write('sweep', {
      last: '2026-11-25T12:00:00.000Z',
      next: '2026-11-25T13:00:00.000Z',
      lastUpdated: '2026-11-25T12:00:00.000Z',
    });
    const events: string[] = [];
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { runner, clock } = runnerFor(
      '0 0 * * * *',
      async (timer) => {
        events.push(`start ${timer.isPastDue ? 'past-due' : 'regular'}`);
        if (timer.isPastDue) await held;
        events.push(`end ${timer.isPastDue ? 'past-due' : 'regular'}`);
      },
      { status },
    );
    await runner.start();

    // Act: the 14:00 tick falls due while the past-due run still holds
    const regular = tickOnce(runner, clock);
    await Promise.resolve();
    release();
    await Promise.all([runner.pastDueRun, regular]);

    // Assert
    expect(events).toEqual(['start past-due', 'end past-due', 'start regular', 'end regular']);
    await runner.stop();
  });

  it('stops: waits for the tick in progress, disarms, and refuses to wait for a tick that will not come', async () => {
    // Arrange
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    let started = (): void => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const { runner, clock } = runnerFor('0 * * * * *', async () => {
      started();
      await held;
      finished = true;
    });
    await runner.start();
    const run = runner.nextRun();
    clock.advanceTo(runner.nextTick);
    await running;
    const waiting = runner.nextRun().catch((error: unknown) => error);

    // Act
    const stopped = runner.stop();
    release();
    await stopped;

    // Assert
    expect(finished).toBe(true);
    await expect(run).resolves.toMatchObject({ ok: true });
    expect(await waiting).toEqual(new Error('sweep: the timer stopped before its next tick'));
    expect(clock.pending).toBe(0);
  });
});
