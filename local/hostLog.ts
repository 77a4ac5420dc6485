import type { LogHandler, LogLevel } from '@azure/functions';

/** One line the local host prints: what a function logged, or what the host itself did. */
export interface HostLogLine {
  readonly level: 'info' | 'warn' | 'error';
  /** The function that logged it, or `host`. */
  readonly source: string;
  readonly text: string;
}

export type HostLog = (line: HostLogLine) => void;

/** Forwards an invocation's `context.log/warn/error` to the host log; trace and debug are dropped. */
export function invocationLogHandler(source: string, log: HostLog): LogHandler {
  return (level: LogLevel, ...args: unknown[]) => {
    const mapped = LEVELS[level];
    if (mapped === undefined) return;
    log({
      level: mapped,
      source,
      text: args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' '),
    });
  };
}

const LEVELS: Partial<Record<LogLevel, HostLogLine['level']>> = {
  information: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
};
