/** A caller waiting for the next run of something (a tick, a poll). */
export interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

/** A promise for the next run, and the waiter to settle it with. */
export function waitForNext<T>(waiting: Waiter<T>[]): Promise<T> {
  return new Promise<T>((resolve, reject) => waiting.push({ resolve, reject }));
}

/** Empties `waiting` and returns who was in it: the callers a run that starts now answers. */
export function takeWaiters<T>(waiting: Waiter<T>[]): Waiter<T>[] {
  return waiting.splice(0);
}
