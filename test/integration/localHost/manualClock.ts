import type { ClockTimer, HostClock } from '../../../local/hostClock';

interface Armed {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when the test moves it. Timers fire synchronously inside `advanceTo`, in
 * order of due time; what they start (a tick, a poll) is awaited through the host's own promises.
 */
export class ManualClock implements HostClock {
  private current: number;
  private readonly armed = new Map<number, Armed>();
  private ids = 0;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const id = ++this.ids;
    this.armed.set(id, { id, at: this.current + Math.max(0, ms), callback });
    return id as unknown as ClockTimer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.armed.delete(timer as unknown as number);
  }

  /** Timers armed and not yet fired or cleared. */
  get pending(): number {
    return this.armed.size;
  }

  /** Moves time on to `to`, firing every timer due by then, including those armed on the way. */
  advanceTo(to: Date | undefined): void {
    if (to === undefined) throw new Error('nothing to advance to: the timer is not armed');
    const target = to.getTime();
    if (target < this.current)
      throw new Error(`the clock does not go back: now ${this.now().toISOString()}, asked for ${to.toISOString()}`);
    for (let due = this.earliest(target); due !== undefined; due = this.earliest(target)) {
      this.armed.delete(due.id);
      this.current = due.at;
      due.callback();
    }
    this.current = target;
  }

  advance(ms: number): void {
    this.advanceTo(new Date(this.current + ms));
  }

  private earliest(notAfter: number): Armed | undefined {
    let first: Armed | undefined;
    for (const timer of this.armed.values())
      if (timer.at <= notAfter && (first === undefined || timer.at < first.at)) first = timer;
    return first;
  }
}
