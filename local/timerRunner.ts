import { randomUUID } from 'node:crypto';

import { InvocationContext, type Timer } from '@azure/functions';

import { type HostLog, invocationLogHandler } from './hostLog';
import { type CronSchedule, monitorsSchedule, nextOccurrence } from '../shared/schedule/ncrontab';
import type { TimerStatusStore } from './timerStatus';

/** A timer-trigger handler as registered with `app.timer`. */
export type TimerHandler = (timer: Timer, context: InvocationContext) => Promise<unknown>;

export interface TimerRunnerDeps {
  readonly functionName: string;
  readonly schedule: CronSchedule;
  readonly handler: TimerHandler;
  readonly status: TimerStatusStore;
  readonly now: () => Date;
  readonly log: HostLog;
}

/** What a tick returned, or the error it threw. */
export type TimerRun = { readonly ok: true; readonly result: unknown; readonly isPastDue: boolean } | { readonly ok: false; readonly error: string; readonly isPastDue: boolean };

// NOTE: setTimeout fires at once for delays above 2^31-1 ms, so far occurrences are approached in steps.
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Runs a timer function on its NCRONTAB schedule (UTC), one tick at a time, like the host's timer
 * listener: a failing tick is logged and the schedule goes on; with a schedule at least a minute
 * apart, the status is kept in storage and an occurrence missed while stopped runs once at start,
 * past due.
 */
export class TimerRunner {
  private timeout: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private waiting: ((run: TimerRun) => void)[] = [];
  private stopped = false;
  private next: Date | undefined;
  /** The last occurrence that ran (ISO), for `Timer.scheduleStatus.last`. */
  private last: string | undefined;
  private readonly monitored: boolean;

  constructor(private readonly deps: TimerRunnerDeps) {
    this.monitored = monitorsSchedule(deps.schedule, deps.now());
  }

  /** When the next tick is due; undefined when the schedule names no date within five years. */
  get nextTick(): Date | undefined {
    return this.next;
  }

  async start(): Promise<void> {
    const status = this.monitored ? await this.deps.status.read(this.deps.functionName) : undefined;
    this.last = status?.last;
    if (status !== undefined && Date.parse(status.next) <= this.deps.now().getTime()) {
      this.deps.log({ level: 'info', source: 'host', text: `${this.deps.functionName}: missed the occurrence at ${status.next} while stopped; running it now` });
      void this.tick(new Date(status.next), true);
    }
    this.arm();
  }

  /** Resolves with the first tick that starts after the call. */
  nextRun(): Promise<TimerRun> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Stops scheduling and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timeout !== undefined) clearTimeout(this.timeout);
    await this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.deps.now();
    this.next = nextOccurrence(this.deps.schedule, now);
    if (this.next === undefined) {
      this.deps.log({ level: 'warn', source: 'host', text: `${this.deps.functionName}: schedule '${this.deps.schedule.expression}' has no occurrence within five years; not scheduled` });
      return;
    }
    const due = this.next;
    const wait = Math.min(due.getTime() - now.getTime(), MAX_WAIT_MS);
    this.timeout = setTimeout(() => {
      if (this.deps.now().getTime() < due.getTime()) this.arm();
      else void this.tick(due, false).then(() => this.arm());
    }, wait);
  }

  /** Runs the handler once, after any tick in progress, and records the schedule status. */
  private tick(occurrence: Date, isPastDue: boolean): Promise<void> {
    const run = this.running.then(async () => {
      if (this.stopped) return;
      const waiters = this.waiting;
      this.waiting = [];
      const now = this.deps.now();
      const following = nextOccurrence(this.deps.schedule, now) ?? occurrence;
      const scheduleStatus = { last: this.last ?? occurrence.toISOString(), next: following.toISOString(), lastUpdated: now.toISOString() };
      const timer: Timer = { isPastDue, schedule: { adjustForDST: false }, scheduleStatus };
      const context = new InvocationContext({
        invocationId: randomUUID(),
        functionName: this.deps.functionName,
        logHandler: invocationLogHandler(this.deps.functionName, this.deps.log),
      });
      let outcome: TimerRun;
      try {
        outcome = { ok: true, result: await this.deps.handler(timer, context), isPastDue };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.deps.log({ level: 'error', source: 'host', text: `${this.deps.functionName} failed; the schedule goes on: ${message}` });
        outcome = { ok: false, error: message, isPastDue };
      }
      this.last = occurrence.toISOString();
      if (this.monitored) {
        await this.deps.status
          .write(this.deps.functionName, { last: occurrence.toISOString(), next: following.toISOString(), lastUpdated: this.deps.now().toISOString() })
          .catch((error: unknown) => this.deps.log({ level: 'warn', source: 'host', text: `${this.deps.functionName}: could not record its schedule status: ${String(error)}` }));
      }
      for (const resolve of waiters) resolve(outcome);
    });
    this.running = run;
    return run;
  }
}
