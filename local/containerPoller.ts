import { type BlobWatcherDeps, pollContainer, type PollReport } from './blobWatcher';
import type { ClockTimer, HostClock } from './hostClock';
import { takeWaiters, type Waiter, waitForNext } from './runWaiters';

export interface ContainerPollerDeps extends Omit<BlobWatcherDeps, 'now'> {
  readonly intervalMs: number;
  readonly clock: HostClock;
}

/**
 * Polls the export container now and then `intervalMs` after each scheduled poll ends, one poll at a
 * time. A failing poll is logged (once per distinct message, since an unreachable emulator fails
 * every poll alike) and the schedule goes on.
 */
export class ContainerPoller {
  private polling: Promise<unknown> = Promise.resolve();
  private armed: ClockTimer | undefined;
  private readonly waiting: Waiter<PollReport>[] = [];
  private stopped = false;
  private lastFailureKind: string | undefined;

  private readonly watcher: BlobWatcherDeps;

  constructor(private readonly deps: ContainerPollerDeps) {
    this.watcher = { ...deps, now: () => deps.clock.now() };
  }

  /** Starts the first scheduled poll; it runs in the background. */
  start(): void {
    void this.enqueue(true).catch(() => undefined);
  }

  /**
   * Polls now, after any poll in progress, and resolves with what that poll did: every blob written
   * before the call has then been handled (or tried) once.
   */
  pollNow(): Promise<PollReport> {
    return this.enqueue(false);
  }

  /**
   * Resolves with the first poll that starts after the call, scheduled or asked for. By then the
   * next scheduled poll is armed, so a test may move its clock on by `intervalMs` right away.
   */
  nextPoll(): Promise<PollReport> {
    if (this.stopped) return Promise.reject(new Error('the local host is stopped'));
    return waitForNext(this.waiting);
  }

  /** Stops the schedule and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.armed !== undefined) this.deps.clock.clearTimeout(this.armed);
    this.armed = undefined;
    for (const waiter of takeWaiters(this.waiting))
      waiter.reject(new Error('the local host stopped before its next poll'));
    await this.polling;
  }

  private enqueue(scheduled: boolean): Promise<PollReport> {
    if (this.stopped) return Promise.reject(new Error('the local host is stopped'));
    const poll = this.polling.then(() => this.poll(scheduled));
    this.polling = poll.catch(() => undefined);
    return poll;
  }

  private async poll(scheduled: boolean): Promise<PollReport> {
    const waiters = takeWaiters(this.waiting);
    let report: PollReport;
    try {
      report = await pollContainer(this.watcher);
    } catch (error) {
      if (scheduled) {
        this.reportFailure(error);
        this.arm();
      }
      for (const waiter of waiters) waiter.reject(error);
      throw error;
    }
    if (scheduled) {
      if (this.lastFailureKind !== undefined)
        this.deps.log({ level: 'info', source: 'host', text: 'storage answers again; watching' });
      this.lastFailureKind = undefined;
      this.arm();
    }
    for (const waiter of waiters) waiter.resolve(report);
    return report;
  }

  private arm(): void {
    if (this.stopped) return;
    this.armed = this.deps.clock.setTimeout(() => {
      this.armed = undefined;
      void this.enqueue(true).catch(() => undefined);
    }, this.deps.intervalMs);
  }

  private reportFailure(error: unknown): void {
    const failure = describePollError(error);
    if (failure.kind !== this.lastFailureKind)
      this.deps.log({
        level: 'error',
        source: 'host',
        text: `could not poll container '${this.deps.container.containerName}': ${failure.text}`,
      });
    this.lastFailureKind = failure.kind;
  }
}

/**
 * What a failed poll says, and what kind of failure it is: storage messages carry a request id and a
 * time, so failures are told apart by their error code, not their text.
 */
function describePollError(error: unknown): { readonly kind: string; readonly text: string } {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'ECONNREFUSED' || code === 'REQUEST_SEND_ERROR')
    return { kind: code, text: `storage is unreachable (${code}); is Azurite running?` };
  const text = (typeof e?.message === 'string' ? e.message : String(error)).split('\n')[0] ?? '';
  return {
    kind: code ?? (typeof e?.statusCode === 'number' ? String(e.statusCode) : text),
    text: code === undefined ? text : `${text} (${code})`,
  };
}
