/** Runs tasks with at most a fixed number in flight; the rest wait their turn in order. */
export interface InvocationSlots {
  readonly size: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * Slots shared by every blob function of the local host, as the host's `maxDegreeOfParallelism`
 * bounds blob invocations of the whole app, not of one function.
 * @param size - invocations in flight at once, at least 1
 */
export function invocationSlots(size: number): InvocationSlots {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`invocation slots must be a whole number ≥ 1, got ${size}`);
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next !== undefined) next();
    else inFlight--;
  };
  return {
    size,
    async run<T>(task: () => Promise<T>): Promise<T> {
      // A finishing task hands its slot straight to the next waiter, so inFlight never exceeds size.
      if (inFlight < size) inFlight++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
