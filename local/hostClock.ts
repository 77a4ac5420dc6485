/** An armed timer of a `HostClock`; only the clock that made it can read it. */
export type ClockTimer = { readonly __clockTimer: unique symbol };

/**
 * Time as the local host's timer runner and container poller see it. Injected so tests move time
 * themselves and wait for the tick or poll they caused, instead of racing the real clock.
 */
export interface HostClock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

export const systemClock: HostClock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms) as unknown as ClockTimer,
  clearTimeout: (timer) => clearTimeout(timer as unknown as NodeJS.Timeout),
};
