#!/usr/bin/env node
import { describeStorageFailure } from '../shared/adapters/storage/storageFailure';
import { describeError } from '../shared/core/describeError';
import { type CliIo, processIo } from './cliIo';
import { UsageError } from './localExportFiles';
import { PURGE_USAGE, purgeCommand } from './purgeCommand';
import { READ_USAGE, readCommand } from './readCommand';
import { REPLAY_USAGE, replayCommand } from './replayCommand';
import { RULES_USAGE, rulesCommand } from './rulesCommand';

const USAGE = `usage: export-alerts <command> [options]
Every command that takes files reads Continuous Export files and the successor formats (diagnostic
settings PT1H.json, workspace data export PT05M.json), placed by their path.

${READ_USAGE}

${RULES_USAGE}

${PURGE_USAGE}

${REPLAY_USAGE}`;

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<number>> = {
  read: readCommand,
  purge: purgeCommand,
  replay: replayCommand,
  rules: rulesCommand,
};

/** Runs one command line; returns the exit code (0 ok, 1 findings or failure, 2 bad usage). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}'`);
    return await command(args, io);
  } catch (error) {
    if (isUsageError(error)) {
      io.err(`export-alerts: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`export-alerts: ${describeStorageFailure(error) ?? describeError(error)}`);
    return 1;
  }
}

function isUsageError(error: unknown): error is Error {
  // node:util parseArgs throws TypeErrors coded ERR_PARSE_ARGS_*; match the code, not the class, which
  // differs between realms.
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
}

if (require.main === module) {
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
