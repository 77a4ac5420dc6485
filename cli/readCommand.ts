import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';

import { readExportRecords, type RecordStream } from '../shared/core/export/readExportRecords';
import { readWorkspaceRecords } from '../shared/core/export/workspace/readWorkspaceRecords';
import type { CliIo } from './cliIo';
import {
  listLocalExportFiles,
  parseSuccessorFormat,
  parseTelemetryType,
  parseWorkspaceTable,
  UsageError,
} from './localExportFiles';
import { recordJson } from './recordJson';

export const READ_USAGE = `export-alerts read PATH... [--type T | --table T [--format F]] [--json] [--max-line-bytes N]
  Reads local export files or folders and prints, per blob, its rows, records and malformed rows:
  Continuous Export files, and diagnostic-settings / data-export files (layout from the path below a
  folder named like the container: insights-logs-apprequests/..., am-apprequests/...).
  --json            print every record as one JSON line (Log Analytics columns) and nothing else on stdout
  --type T          telemetry type for Continuous Export files outside the layout (Requests, Exceptions, ...)
  --table T         workspace table for successor-format files outside the layouts (AppRequests, ...)
  --format F        diagnosticSettings or dataExport, for those files (reported only; both shapes read)
  --max-line-bytes  skip and report rows longer than this (default 4194304)`;

/** `export-alerts read`: the reader and normalizer over local files, as the functions run them. */
export async function readCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      table: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      'max-line-bytes': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('read needs at least one file or folder');
  const maxLineBytes = values['max-line-bytes'] === undefined ? undefined : Number(values['max-line-bytes']);
  if (maxLineBytes !== undefined && !(Number.isSafeInteger(maxLineBytes) && maxLineBytes > 0)) {
    throw new UsageError(`--max-line-bytes must be a positive whole number, found '${values['max-line-bytes']}'`);
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
      ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
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
    const line = `${file}: ${kind}, ${s.rows} rows, ${s.records} records, ${s.badRows} malformed, ${s.bytes} bytes`;
    if (values.json) io.err(line);
    else io.out(line);
  }
  const summary = `${totals.blobs} blobs, ${totals.rows} rows, ${totals.records} records, ${totals.badRows} malformed rows, ${totals.skipped} files skipped`;
  if (values.json) io.err(summary);
  else io.out(summary);
  return totals.badRows > 0 ? 1 : 0;
}
