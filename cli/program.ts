import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';

import { registerAlerts } from './alertsCommand';
import type { CliContext } from './cliContext';
import type { CommandSite, RunCommand } from './commandSite';
import { allCommands, commandPath } from './commandTree';
import { registerCompletion } from './completionCommand';
import { EXIT, EXIT_CODES_HELP } from './exitCodes';
import { UsageError } from './localExportFiles';
import { registerPurge } from './purgeCommand';
import { registerRead } from './readCommand';
import { registerReplay } from './replayCommand';
import { registerRules } from './rulesProgram';
import { registerStatus } from './statusCommand';
import { packageVersion } from './version';

/**
 * The whole command tree. NOTE: commander copies output and error settings to a subcommand when it is
 * created with `.command()`, so they are set on the program before any command is added.
 */
export function buildProgram(ctx: CliContext, setExitCode: (code: number) => void): Command {
  const program = new Command('export-alerts')
    .description(
      'Alert on and clean up exported Application Insights telemetry: read export files, manage and back-test ' +
        'KQL alert rules, replay data to a local host, and purge expired export blobs. ' +
        'Every command that takes files reads Continuous Export files and the successor formats (diagnostic ' +
        'settings PT1H.json, workspace data export PT05M.json), placed by their path.',
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for the command')
    .helpCommand('help [command]', 'show help for a command')
    .configureOutput({
      writeOut: (text) => ctx.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.io.err(text.replace(/\n$/, '')),
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `\n${EXIT_CODES_HELP}\n\nSettings come from the environment over local.settings.json (created by npm start).`,
    );

  const run: RunCommand = async (command, work) => {
    try {
      setExitCode(await work());
    } catch (error) {
      if (error instanceof UsageError && !error.pointToHelp) {
        ctx.io.err(`${commandPath(command)}: ${error.message}`);
        setExitCode(EXIT.usage);
        return;
      }
      if (error instanceof UsageError) command.error(error.message, { exitCode: EXIT.usage, code: 'usage' });
      throw error;
    }
  };
  const site: CommandSite = { ctx, run };
  registerRead(program, site);
  registerRules(program, site);
  registerReplay(program, site);
  registerPurge(program, site);
  registerAlerts(program, site);
  registerStatus(program, site);
  registerCompletion(program, site);
  for (const command of allCommands(program)) pointErrorsAtHelp(command);
  return program;
}

/** `export-alerts rules add: <message>` and, on the next line, where that command's help is. */
function pointErrorsAtHelp(command: CommandUnknownOpts): void {
  const path = commandPath(command);
  command.configureOutput({
    outputError: (text, write) => write(`${path}: ${text.replace(/^error: /, '')}`),
  });
  command.showHelpAfterError(`(run '${path} --help' for usage)`);
}
