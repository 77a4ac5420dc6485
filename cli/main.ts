#!/usr/bin/env node
import { CommanderError } from '@commander-js/extra-typings';

import { describeStorageFailure, statusOf, unreachableCodeOf } from '../shared/adapters/storage/storageFailure';
import { describeError } from '../shared/core/describeError';
import { type CliContext, cliContext } from './cliContext';
import type { CliIo } from './cliIo';
import { EXIT } from './exitCodes';
import { buildProgram } from './program';

/** Runs one command line; returns the exit code (exitCodes.ts). */
export async function runCli(
  argv: readonly string[],
  io?: CliIo,
  overrides: Partial<Omit<CliContext, 'io'>> = {},
): Promise<number> {
  const ctx = cliContext({ ...overrides, ...(io === undefined ? {} : { io }) });
  let code: number = EXIT.ok;
  const program = buildProgram(ctx, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    const storage = describeStorageFailure(error);
    ctx.io.err(`export-alerts: ${storage ?? describeError(error)}`);
    return isStorageUnreachable(error) ? EXIT.storageUnreachable : EXIT.findings;
  }
}

/** Help and version asked for are fine; help shown for a missing subcommand and every parse error are usage. */
function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  return EXIT.usage;
}

/** No answer from storage, or an answer refusing the credentials: nothing a retry of the command fixes. */
function isStorageUnreachable(error: unknown): boolean {
  const status = statusOf(error);
  return unreachableCodeOf(error) !== undefined || status === 401 || status === 403;
}

if (require.main === module) {
  // `export-alerts rules list | head`: a reader that stops early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`export-alerts: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
