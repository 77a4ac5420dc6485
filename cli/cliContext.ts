import type { CliIo } from './cliIo';
import { processIo } from './cliIo';
import { cliEnvironment } from './cliSettings';

/** App settings as the CLI sees them: the environment over local.settings.json. */
export type CliEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * What a command runs with besides its arguments. The binary passes the process's; tests pass
 * collectors, an explicit settings map and a fixed clock, so no test writes `process.env`.
 */
export interface CliContext {
  readonly io: CliIo;
  readonly env: CliEnvironment;
  readonly now: () => Date;
  /** Waits between appends of a replay; tests pass an instant one. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Whether stderr is a terminal: progress is drawn as a bar there, as plain lines elsewhere. */
  readonly interactive: boolean;
}

export function cliContext(overrides: Partial<CliContext> = {}): CliContext {
  return {
    io: overrides.io ?? processIo,
    env: overrides.env ?? cliEnvironment(),
    now: overrides.now ?? (() => new Date()),
    sleep: overrides.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    interactive: overrides.interactive ?? (overrides.io === undefined && process.stderr.isTTY),
  };
}
