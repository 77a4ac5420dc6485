/**
 * The text of anything thrown, for a log line or a stored LastError: an Error's message (an error
 * from another realm too), else the value itself. Never throws, whatever was thrown.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  if (typeof message === 'string') return message;
  try {
    return String(error);
  } catch {
    // NOTE: String() throws on an object without a prototype or with a throwing toString.
    return Object.prototype.toString.call(error);
  }
}
