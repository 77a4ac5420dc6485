import { performance } from 'node:perf_hooks';

import { type Command, Option } from '@commander-js/extra-typings';

import { parseRetentionDays } from '../shared/adapters/settings/retentionSettings';
import { readRetentionSettings, runRetentionSweep } from '../shared/composition/runRetentionSweep';
import { defined } from '../shared/core/defined';
import { formatSweepSummary } from '../shared/core/retention/formatSweepSummary';
import type { SweepSummary } from '../shared/core/retention/sweepSummary';
import type { CliContext } from './cliContext';
import type { CliIo } from './cliIo';
import type { CommandSite } from './commandSite';
import { parseTelemetryType, UsageError } from './localExportFiles';

/** `export-alerts purge` */
export function registerPurge(parent: Command, { ctx, run }: CommandSite): void {
  const command = parent
    .command('purge')
    .summary('delete expired export blobs now, as the retentionSweep timer does')
    .description(
      'Deletes expired export blobs exactly as the retentionSweep timer does (one budgeted run over the ' +
        'Continuous Export container and the insights-logs-* / am-* containers) and prints its summary. ' +
        'Whether it deletes: --apply deletes, --dry-run lists only; without either the RETENTION_DRY_RUN ' +
        'setting decides (default true: list only), and the summary names what decided.',
    )
    .addOption(new Option('--apply', 'delete, even where RETENTION_DRY_RUN=true').conflicts('dryRun'))
    .option('--dry-run', 'list every blob a real run would delete, delete nothing, whatever RETENTION_DRY_RUN says')
    .option('--days <n>', 'keep N days for every type in this run (replaces RETENTION_DAYS and RETENTION_DAYS_<Type>)')
    .option(
      '--type <type>',
      'sweep only this export folder type; repeat for more (Requests, Exceptions, Event, ...)',
      (value, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--container <name>', "Continuous Export container (default: EXPORT_CONTAINER, else 'export')")
    .option('--connection <string>', 'storage connection string (default: EXPORT_STORAGE, else AzureWebJobsStorage)')
    .option('--json', 'print the run as one JSON object (the summary, every blob a dry run would delete, what decided)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts purge                 # what RETENTION_DRY_RUN says\n' +
        '  $ export-alerts purge --dry-run --days 30\n  $ export-alerts purge --apply --type Requests',
    );
  command.action((options) => run(command, () => purgeCommand(options, ctx)));
}

export interface PurgeOptions {
  readonly apply?: true;
  readonly dryRun?: true;
  readonly days?: string;
  readonly type: readonly string[];
  readonly container?: string;
  readonly connection?: string;
  readonly json?: true;
}

/**
 * `export-alerts purge`: one retention run from the command line, with the app settings `func start`
 * would see (the environment over local.settings.json). Exit code 0 when every expired blob
 * it reached was deleted, 1 when some were skipped or failed or the settings were refused.
 */
export async function purgeCommand(values: PurgeOptions, ctx: CliContext): Promise<number> {
  const { io, env } = ctx;
  const days = values.days === undefined ? undefined : parseRetentionDays(values.days, '--days');
  if (typeof days === 'string') throw new UsageError(days);
  const types =
    values.type.length === 0 ? undefined : values.type.map((t) => defined(parseTelemetryType(t), `--type ${t}`));

  // Flags stand in for the settings they name, so they are validated by the same rules.
  const dryRunOverride = values.apply ? 'false' : values.dryRun ? 'true' : undefined;
  const settings = readRetentionSettings({
    ...env,
    ...(values.connection === undefined ? {} : { EXPORT_STORAGE: values.connection }),
    ...(values.container === undefined ? {} : { EXPORT_CONTAINER: values.container }),
    ...(dryRunOverride === undefined ? {} : { RETENTION_DRY_RUN: dryRunOverride }),
  });
  if (!settings.ok) return report(settings.error, io);
  const chosen =
    days === undefined ? settings.value : { ...settings.value, policy: { defaultDays: days, daysByType: {} } };
  const summary = await runRetentionSweep(chosen, {
    now: ctx.now(),
    stopwatch: () => performance.now(),
    logger: { info: (m) => io.err(m), warn: (m) => io.err(m), error: (m) => io.err(m) },
    ...(types === undefined ? {} : { types }),
  });
  if (values.json) {
    const decided = summary.status === 'refused' ? undefined : decidedBy(values, env.RETENTION_DRY_RUN, summary.dryRun);
    io.out(JSON.stringify({ ...summary, ...(decided === undefined ? {} : { decidedBy: decided }) }, null, 2));
    return exitCodeOf(summary);
  }
  const code = report(summary, io);
  if (summary.status !== 'refused') io.out(decidedBy(values, env.RETENTION_DRY_RUN, summary.dryRun));
  return code;
}

/** Which flag or setting made this run delete or only list: a purge that deletes nothing says why. */
function decidedBy(values: PurgeOptions, setting: string | undefined, dryRun: boolean): string {
  if (values.apply) return 'deleting: --apply';
  if (values.dryRun) return 'dry run: --dry-run';
  const how = dryRun ? 'dry run' : 'deleting';
  if (setting === undefined || setting.trim() === '')
    return `${how}: RETENTION_DRY_RUN is not set (default true); pass --apply to delete`;
  return `${how}: RETENTION_DRY_RUN=${setting.trim()} (settings)${dryRun ? '; pass --apply to delete' : ''}`;
}

function report(summary: SweepSummary, io: CliIo): number {
  if (summary.status === 'refused') {
    io.err(formatSweepSummary(summary));
    return 1;
  }
  for (const name of summary.wouldDelete) io.out(name);
  for (const { container, blobName } of summary.wouldDeleteSuccessor) io.out(`${container}/${blobName}`);
  io.out(formatSweepSummary(summary));
  return exitCodeOf(summary);
}

function exitCodeOf(summary: SweepSummary): number {
  if (summary.status === 'refused') return 1;
  return summary.skipped.count + summary.failed.count > 0 ? 1 : 0;
}
