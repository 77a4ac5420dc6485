import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';

import { readExportRecords } from '../shared/export/readExportRecords';
import { listLocalExportFiles, parseTelemetryType, UsageError } from './localExportFiles';
import type { CliIo } from './cliIo';
import { recordJson } from './recordJson';

export const READ_USAGE = `export-alerts read PATH... [--type T] [--json] [--max-line-bytes N]
  Reads local export files or folders and prints, per blob, its rows, records and malformed rows.
  --json            print every record as one JSON line (Log Analytics columns) and nothing else on stdout
  --type T          telemetry type for files outside the export layout (Requests, Exceptions, Event, ...)
  --max-line-bytes  skip and report rows longer than this (default 4194304)`;

/** `export-alerts read`: the reader and normalizer over local files, as the functions run them. */
export async function readCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { type: { type: 'string' }, json: { type: 'boolean' }, 'max-line-bytes': { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('read needs at least one file or folder');
  const maxLineBytes = values['max-line-bytes'] === undefined ? undefined : Number(values['max-line-bytes']);
  if (maxLineBytes !== undefined && !(Number.isSafeInteger(maxLineBytes) && maxLineBytes > 0)) {
    throw new UsageError(`--max-line-bytes must be a positive whole number, found '${values['max-line-bytes']}'`);
  }

  const files = await listLocalExportFiles(positionals, parseTelemetryType(values.type));
  const totals = { blobs: 0, rows: 0, records: 0, badRows: 0, skipped: 0 };
  for (const { file, ref, reason } of files) {
    if (!ref) {
      totals.skipped++;
      io.err(`${file}: skipped: ${reason ?? 'not an export file'}`);
      continue;
    }
    const records = readExportRecords(ref, createReadStream(file), {
      ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
      onBadRow: (p) => io.err(`${file}:${p.line}: ${p.reason}`),
    });
    for await (const record of records) {
      if (values.json) io.out(recordJson(record.columns));
    }
    const s = records.stats;
    totals.blobs++;
    totals.rows += s.rows;
    totals.records += s.records;
    totals.badRows += s.badRows;
    const line = `${file}: ${ref.telemetryType}, ${s.rows} rows, ${s.records} records, ${s.badRows} malformed, ${s.bytes} bytes`;
    if (values.json) io.err(line);
    else io.out(line);
  }
  const summary = `${totals.blobs} blobs, ${totals.rows} rows, ${totals.records} records, ${totals.badRows} malformed rows, ${totals.skipped} files skipped`;
  if (values.json) io.err(summary);
  else io.out(summary);
  return totals.badRows > 0 ? 1 : 0;
}
