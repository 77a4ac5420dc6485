import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { parseRetentionDays } from '../shared/adapters/settings/retentionSettings';
import { readRetentionSettings, runRetentionSweep } from '../shared/composition/runRetentionSweep';
import { defined } from '../shared/core/defined';
import { formatSweepSummary } from '../shared/core/retention/formatSweepSummary';
import type { SweepSummary } from '../shared/core/retention/sweepSummary';
import type { CliIo } from './cliIo';
import { cliEnvironment } from './cliSettings';
import { parseTelemetryType, UsageError } from './localExportFiles';

export const PURGE_USAGE = `export-alerts purge [--dry-run] [--days N] [--type T]... [--container C] [--connection S]
  Deletes expired export blobs exactly as the retentionSweep timer does (one budgeted run) and prints its summary.
  --dry-run        list every blob a real run would delete, delete nothing (also RETENTION_DRY_RUN=true)
  --days N         keep N days for every type in this run (replaces RETENTION_DAYS and RETENTION_DAYS_<Type>)
  --type T         sweep only this export folder type; repeat for more (Requests, Exceptions, Event, ...)
  --container C    container to sweep (default: EXPORT_CONTAINER, else 'export')
  --connection S   storage connection string (default: EXPORT_STORAGE, else AzureWebJobsStorage)`;

/**
 * `export-alerts purge`: one retention run from the command line, with the app settings `func start`
 * would see (the environment over local.settings.json). Exit code 0 when every expired blob
 * it reached was deleted, 1 when some were skipped or failed or the settings were refused.
 */
export async function purgeCommand(
  args: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = cliEnvironment(),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean' },
      days: { type: 'string' },
      type: { type: 'string', multiple: true },
      container: { type: 'string' },
      connection: { type: 'string' },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`purge takes no positional arguments, found '${positionals.join(' ')}'`);
  const days = values.days === undefined ? undefined : parseRetentionDays(values.days, '--days');
  if (typeof days === 'string') throw new UsageError(days);
  const types = values.type?.map((t) => defined(parseTelemetryType(t), `--type ${t}`));

  // Flags stand in for the settings they name, so they are validated by the same rules.
  const settings = readRetentionSettings({
    ...env,
    ...(values.connection === undefined ? {} : { EXPORT_STORAGE: values.connection }),
    ...(values.container === undefined ? {} : { EXPORT_CONTAINER: values.container }),
    ...(values['dry-run'] ? { RETENTION_DRY_RUN: 'true' } : {}),
  });
  if (!settings.ok) return report(settings.error, io);
  const chosen =
    days === undefined ? settings.value : { ...settings.value, policy: { defaultDays: days, daysByType: {} } };
  const summary = await runRetentionSweep(chosen, {
    now: new Date(),
    stopwatch: () => performance.now(),
    logger: { info: (m) => io.err(m), warn: (m) => io.err(m), error: (m) => io.err(m) },
    ...(types === undefined ? {} : { types }),
  });
  return report(summary, io);
}

function report(summary: SweepSummary, io: CliIo): number {
  if (summary.status === 'refused') {
    io.err(formatSweepSummary(summary));
    return 1;
  }
  for (const name of summary.wouldDelete) io.out(name);
  for (const { container, blobName } of summary.wouldDeleteSuccessor) io.out(`${container}/${blobName}`);
  io.out(formatSweepSummary(summary));
  return summary.skipped.count + summary.failed.count > 0 ? 1 : 0;
}
