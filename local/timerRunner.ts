import { randomUUID } from 'node:crypto';

import { InvocationContext, type Timer } from '@azure/functions';

import { type CronSchedule, monitorsSchedule, nextOccurrence } from '../shared/core/schedule/ncrontab';
import type { ClockTimer, HostClock } from './hostClock';
import { type HostLog, invocationLogHandler } from './hostLog';
import { takeWaiters, type Waiter, waitForNext } from './runWaiters';
import type { TimerStatusStorage } from './timerStatus';

/** A timer-trigger handler as registered with `app.timer`. */
export type TimerHandler = (timer: Timer, context: InvocationContext) => Promise<unknown>;

export interface TimerRunnerDeps {
  readonly functionName: string;
  readonly schedule: CronSchedule;
  readonly handler: TimerHandler;
  readonly status: TimerStatusStorage;
  readonly clock: HostClock;
  readonly log: HostLog;
}

/** What a tick returned, or the error it threw. */
export type TimerRun =
  | { readonly ok: true; readonly result: unknown; readonly isPastDue: boolean }
  | { readonly ok: false; readonly error: string; readonly isPastDue: boolean };

/** One scheduled timer function of the local host, as tests and tools observe it. */
export interface LocalTimer {
  readonly functionName: string;
  /** When the next tick is due; undefined when the schedule names no date within five years. */
  readonly nextTick: Date | undefined;
  /** The run of an occurrence missed while stopped, which `start` began; undefined when none was missed. */
  readonly pastDueRun: Promise<TimerRun> | undefined;
  /**
   * Resolves with the first tick that starts after the call. By then the following tick is armed, so
   * a test may move its clock to `nextTick` right away. Rejects when the timer stops first.
   */
  nextRun(): Promise<TimerRun>;
}

// NOTE: setTimeout fires at once for delays above 2^31-1 ms, so far occurrences are approached in steps.
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Runs a timer function on its NCRONTAB schedule (UTC), one tick at a time, like the host's timer
 * listener: a failing tick is logged and the schedule goes on; with a schedule at least a minute
 * apart, the status is kept in storage and an occurrence missed while stopped runs once at start,
 * past due.
 */
export class TimerRunner implements LocalTimer {
  private armed: ClockTimer | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private readonly waiting: Waiter<TimerRun>[] = [];
  private stopped = false;
  private next: Date | undefined;
  private catchUp: Promise<TimerRun> | undefined;
  /** The last occurrence that ran (ISO), for `Timer.scheduleStatus.last`. */
  private last: string | undefined;
  private readonly monitored: boolean;

  constructor(private readonly deps: TimerRunnerDeps) {
    this.monitored = monitorsSchedule(deps.schedule, deps.clock.now());
  }

  get functionName(): string {
    return this.deps.functionName;
  }

  get nextTick(): Date | undefined {
    return this.next;
  }

  get pastDueRun(): Promise<TimerRun> | undefined {
    return this.catchUp;
  }

  async start(): Promise<void> {
    const status = this.monitored ? await this.deps.status.read(this.deps.functionName) : undefined;
    this.last = status?.last;
    if (status !== undefined && Date.parse(status.next) <= this.deps.clock.now().getTime()) {
      this.deps.log({
        level: 'info',
        source: 'host',
        text: `${this.deps.functionName}: missed the occurrence at ${status.next} while stopped; running it now`,
      });
      this.catchUp = this.tick(new Date(status.next), true);
    }
    this.arm();
  }

  nextRun(): Promise<TimerRun> {
    if (this.stopped) return Promise.reject(new Error(`${this.deps.functionName}: the timer is stopped`));
    return waitForNext(this.waiting);
  }

  /** Stops scheduling and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.armed !== undefined) this.deps.clock.clearTimeout(this.armed);
    this.armed = undefined;
    for (const waiter of takeWaiters(this.waiting))
      waiter.reject(new Error(`${this.deps.functionName}: the timer stopped before its next tick`));
    await this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.armed !== undefined) this.deps.clock.clearTimeout(this.armed);
    const now = this.deps.clock.now();
    this.next = nextOccurrence(this.deps.schedule, now);
    if (this.next === undefined) {
      this.deps.log({
        level: 'warn',
        source: 'host',
        text: `${this.deps.functionName}: schedule '${this.deps.schedule.expression}' has no occurrence within five years; not scheduled`,
      });
      return;
    }
    const due = this.next;
    const wait = Math.min(due.getTime() - now.getTime(), MAX_WAIT_MS);
    this.armed = this.deps.clock.setTimeout(() => {
      this.armed = undefined;
      if (this.deps.clock.now().getTime() < due.getTime()) this.arm();
      else void this.tick(due, false);
    }, wait);
  }

  /**
   * Runs the handler once, after any tick in progress, records the schedule status, arms the next
   * scheduled tick, and only then answers the waiters.
   */
  private tick(occurrence: Date, isPastDue: boolean): Promise<TimerRun> {
    const run = this.running.then(async (): Promise<TimerRun> => {
      if (this.stopped) return { ok: false, error: 'the timer stopped before this tick ran', isPastDue };
      const waiters = takeWaiters(this.waiting);
      const outcome = await this.invoke(occurrence, isPastDue);
      // A past-due run leaves the regular schedule, armed at start, as it is.
      if (!isPastDue) this.arm();
      for (const waiter of waiters) waiter.resolve(outcome);
      return outcome;
    });
    this.running = run;
    return run;
  }

  private async invoke(occurrence: Date, isPastDue: boolean): Promise<TimerRun> {
    const { clock, functionName, log } = this.deps;
    const now = clock.now();
    const following = nextOccurrence(this.deps.schedule, now) ?? occurrence;
    const scheduleStatus = {
      last: this.last ?? occurrence.toISOString(),
      next: following.toISOString(),
      lastUpdated: now.toISOString(),
    };
    const timer: Timer = { isPastDue, schedule: { adjustForDST: false }, scheduleStatus };
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName,
      logHandler: invocationLogHandler(functionName, log),
    });
    let outcome: TimerRun;
    try {
      outcome = { ok: true, result: await this.deps.handler(timer, context), isPastDue };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log({ level: 'error', source: 'host', text: `${functionName} failed; the schedule goes on: ${message}` });
      outcome = { ok: false, error: message, isPastDue };
    }
    this.last = occurrence.toISOString();
    if (this.monitored) {
      await this.deps.status
        .write(functionName, {
          last: occurrence.toISOString(),
          next: following.toISOString(),
          lastUpdated: clock.now().toISOString(),
        })
        .catch((error: unknown) =>
          log({
            level: 'warn',
            source: 'host',
            text: `${functionName}: could not record its schedule status: ${String(error)}`,
          }),
        );
    }
    return outcome;
  }
}
