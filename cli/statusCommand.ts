import type { Command } from '@commander-js/extra-typings';

import { queueServiceClientFrom, tableClientFrom } from '../shared/adapters/storage/clients';
import { peekPoisonQueue } from '../shared/adapters/storage/poisonQueue';
import { describeStorageFailure } from '../shared/adapters/storage/storageFailure';
import { TableExportStatus } from '../shared/adapters/storage/tableExportStatus';
import { describeError } from '../shared/core/describeError';
import { compileRule } from '../shared/core/rules/alertRule';
import { formatStatusReport, statusHasFindings, statusReport } from '../shared/core/status/exportStatusReport';
import { countPoisonQueue, type PoisonQueueCount } from '../shared/core/status/poisonMessages';
import { formatUtc } from '../shared/core/status/utcTime';
import { alertBookStorage, HOST_CONNECTION_HELP } from './alertBookStorage';
import type { CliContext } from './cliContext';
import type { CommandSite } from './commandSite';
import { formatTable } from './textTable';

/** `export-alerts status`: is the pipeline keeping up, and what failed in the last 24 hours. */
export function registerStatus(parent: Command, { ctx, run }: CommandSite): void {
  const command = parent
    .command('status')
    .summary('what was processed last, per app and type, and what failed in the last 24 h')
    .description(
      'Per app and type (or table): the last blob or range processed, when (UTC) and how long ago, with its ' +
        'records, matches and e-mails; failures and poisoned blobs in the last 24 h; valid and invalid rules; ' +
        'and the Functions host poison queue (webjobs-blobtrigger-poison). The functions note every delivery in ' +
        'EXPORT_STATUS_TABLE (one entity per app and type). Exit 1 when anything failed, was poisoned or is invalid.',
    )
    .option('--json', 'print the status as JSON, times in ISO 8601 UTC')
    .option('--connection <string>', HOST_CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts status\n  $ export-alerts status --json | jq \'.exports[] | select(.last.ageMs > 3600000) | "\\(.app) \\(.type)"\'',
    );
  command.action((options) => run(command, () => status(options, ctx)));
}

interface StatusOptions {
  readonly json?: true;
  readonly connection?: string;
}

async function status(values: StatusOptions, ctx: CliContext): Promise<number> {
  const now = ctx.now().getTime();
  const storage = alertBookStorage(values.connection, ctx.env);
  const book = new TableExportStatus(tableClientFrom(storage.connection, storage.config.statusTable));
  const [{ entries, unreadable }, rules, poisonQueue] = await Promise.all([
    book.list(),
    storage.rules.list(),
    poisonQueueCount(storage.connection, ctx, now),
  ]);
  const valid = rules.filter((r) => compileRule(r).ok).length;
  const report = statusReport(entries, { valid, invalid: rules.length - valid }, poisonQueue, unreadable, now);
  const code = statusHasFindings(report) ? 1 : 0;
  if (values.json) {
    ctx.io.out(JSON.stringify(reportJson(report), null, 2));
    return code;
  }
  ctx.io.out(`export status at ${formatUtc(now)}`);
  const text = formatStatusReport(report);
  if (text.rows.length === 0) {
    ctx.io.out(
      `no deliveries noted yet in table ${storage.config.statusTable}: the functions note each blob and range they process`,
    );
  } else {
    for (const line of formatTable(text.header, text.rows)) ctx.io.out(line);
  }
  for (const line of text.after) ctx.io.out(line);
  return code;
}

/** The poison queue of the host's account; a queue that cannot be read is said so, not fatal. */
async function poisonQueueCount(
  connection: Parameters<typeof queueServiceClientFrom>[0],
  ctx: CliContext,
  now: number,
): Promise<PoisonQueueCount> {
  try {
    const peek = await peekPoisonQueue(
      queueServiceClientFrom(connection, ctx.env['AzureWebJobsStorage__queueServiceUri']),
    );
    return peek === 'missing' ? { state: 'missing' } : countPoisonQueue(peek, 'exportBlobReceived', now);
  } catch (error) {
    return { state: 'unreadable', reason: describeStorageFailure(error) ?? describeError(error) };
  }
}

function reportJson(report: ReturnType<typeof statusReport>): object {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    at: iso(report.at),
    exports: report.exports.map((e) => ({
      ...e,
      last: e.last === undefined ? null : { ...e.last, at: iso(e.last.at) },
      lastFailure: e.lastFailure === undefined ? null : { ...e.lastFailure, at: iso(e.lastFailure.at) },
    })),
    rules: report.rules,
    lastDay: report.lastDay,
    poisonQueue: report.poisonQueue,
    unreadable: report.unreadable,
  };
}
