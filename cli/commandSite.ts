import type { CommandUnknownOpts } from '@commander-js/extra-typings';

import type { CliContext } from './cliContext';

/**
 * Runs a command's work and keeps its exit code. A UsageError from the work is reported like the
 * parser's own errors: one line naming the command, and where its help is.
 */
export type RunCommand = (command: CommandUnknownOpts, work: () => Promise<number>) => Promise<void>;

/** What a command registers itself with: what it runs with, and how to run its work. */
export interface CommandSite {
  readonly ctx: CliContext;
  readonly run: RunCommand;
}
