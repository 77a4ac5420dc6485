import { createReadStream } from 'node:fs';

import type { Command } from '@commander-js/extra-typings';

import { readExportRecords, type RecordStream } from '../shared/core/export/readExportRecords';
import { DEFAULT_MAX_LINE_BYTES } from '../shared/core/export/readExportRows';
import { readWorkspaceRecords } from '../shared/core/export/workspace/readWorkspaceRecords';
import { plural } from '../shared/core/plural';
import type { CliIo } from './cliIo';
import type { CommandSite } from './commandSite';
import {
  listLocalExportFiles,
  parseSuccessorFormat,
  parseTelemetryType,
  parseWorkspaceTable,
  UsageError,
} from './localExportFiles';
import { recordJson } from './recordJson';

/** `export-alerts read PATH...` */
export function registerRead(parent: Command, { ctx, run }: CommandSite): void {
  const command = parent
    .command('read')
    .summary('read local export files and print their rows, records and malformed rows')
    .description(
      'Reads local export files or folders and prints, per blob, its rows, records and malformed rows, as ' +
        'the functions read them: Continuous Export files, and diagnostic-settings / data-export files (their ' +
        'layout from the path below a folder named like the container: insights-logs-apprequests/..., ' +
        'am-apprequests/...). Files that are not export files are skipped with one line each.',
    )
    .argument('<paths...>', 'export files or folders')
    .option('--json', 'print every record as one JSON line (Log Analytics columns) and nothing else on stdout')
    .option('--type <type>', 'telemetry type of Continuous Export files outside the layout (Requests, Exceptions, ...)')
    .option('--table <table>', 'workspace table of successor-format files outside the layouts (AppRequests, ...)')
    .option('--format <format>', 'diagnosticSettings or dataExport, with --table (reported only; both shapes read)')
    .option('--max-line-bytes <n>', 'skip and report rows longer than this', String(DEFAULT_MAX_LINE_BYTES))
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts read test/fixtures/export\n  $ export-alerts read --json export/ | jq .resultCode',
    );
  command.action((paths, options) => run(command, () => readCommand(paths, options, ctx.io)));
}

export interface ReadOptions {
  readonly json?: true;
  readonly type?: string;
  readonly table?: string;
  readonly format?: string;
  readonly maxLineBytes: string;
}

/** `export-alerts read`: the reader and normalizer over local files, as the functions run them. */
export async function readCommand(positionals: readonly string[], values: ReadOptions, io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError('read needs at least one file or folder');
  const maxLineBytes = Number(values.maxLineBytes);
  if (!(Number.isSafeInteger(maxLineBytes) && maxLineBytes > 0)) {
    throw new UsageError(`--max-line-bytes must be a positive whole number, found '${values.maxLineBytes}'`);
  }

  const type = parseTelemetryType(values.type);
  const table = parseWorkspaceTable(values.table);
  const format = parseSuccessorFormat(values.format);
  if (type !== undefined && table !== undefined)
    throw new UsageError(
      '--type and --table do not go together: --type is for Continuous Export files, --table for successor-format files',
    );
  const files = await listLocalExportFiles(positionals, {
    ...(type === undefined ? {} : { type }),
    ...(table === undefined ? {} : { table }),
    ...(format === undefined ? {} : { format }),
  });
  const totals = { blobs: 0, rows: 0, records: 0, badRows: 0, skipped: 0 };
  for (const { file, ref, successor, reason } of files) {
    const options = {
      maxLineBytes,
      onBadRow: (p: { line: number; reason: string }) => io.err(`${file}:${p.line}: ${p.reason}`),
    };
    let records: RecordStream;
    let kind: string;
    if (successor !== undefined) {
      records = readWorkspaceRecords({ blobName: file, table: successor.table }, createReadStream(file), options);
      kind = `${successor.table}${successor.format === undefined ? '' : ` (${successor.format})`}`;
    } else if (ref !== undefined) {
      records = readExportRecords(ref, createReadStream(file), options);
      kind = ref.telemetryType;
    } else {
      totals.skipped++;
      io.err(`${file}: skipped: ${reason ?? 'not an export file'}`);
      continue;
    }
    for await (const record of records) {
      if (values.json) io.out(recordJson(record.columns));
    }
    const s = records.stats;
    totals.blobs++;
    totals.rows += s.rows;
    totals.records += s.records;
    totals.badRows += s.badRows;
    const line = `${file}: ${kind}, ${plural(s.rows, 'row')}, ${plural(s.records, 'record')}, ${s.badRows} malformed, ${plural(s.bytes, 'byte')}`;
    if (values.json) io.err(line);
    else io.out(line);
  }
  const summary = [
    plural(totals.blobs, 'blob'),
    plural(totals.rows, 'row'),
    plural(totals.records, 'record'),
    plural(totals.badRows, 'malformed row'),
    `${plural(totals.skipped, 'file')} skipped`,
  ].join(', ');
  if (values.json) io.err(summary);
  else io.out(summary);
  return totals.badRows > 0 ? 1 : 0;
}
