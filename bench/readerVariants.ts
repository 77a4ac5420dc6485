import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { readExportRows } from '../shared/core/export/readExportRows';
import type { TelemetryType } from '../shared/core/export/telemetryTypes';
import { toRecords } from '../shared/core/export/toRecords';

/** What one pass over a blob produced; the variants must agree on `rows` for a fair comparison. */
export interface PassResult {
  readonly rows: number;
  /** Normalized records (0 for variants that do not normalize). */
  readonly records: number;
  readonly badRows: number;
  readonly bytes: number;
}

export type ReaderVariant = (file: string, type: TelemetryType) => Promise<PassResult>;

const SOURCE = { appName: 'bench', instrumentationKey: '0f3c8a1e5b7d4c2a9e612d4b8f0a7c33' };

/** Ours: stream the file through the reader and normalize every row into records. */
export async function readAndNormalize(file: string, type: TelemetryType): Promise<PassResult> {
  const rows = readExportRows(createReadStream(file), { blobName: basename(file) });
  let records = 0;
  let badRows = 0;
  for await (const row of rows) {
    const result = toRecords(row.document, { ...SOURCE, telemetryType: type, line: row.line });
    if (result.ok) records += result.value.length;
    else badRows++;
  }
  return { rows: rows.stats.rows, records, badRows: badRows + rows.stats.badRows, bytes: rows.stats.bytes };
}

/** The reader alone, to show how the time splits between reading and normalizing. */
export async function readOnly(file: string): Promise<PassResult> {
  const rows = readExportRows(createReadStream(file), { blobName: basename(file) });
  for await (const row of rows) void row;
  return { rows: rows.stats.rows, records: 0, badRows: rows.stats.badRows, bytes: rows.stats.bytes };
}

/**
 * The baseline: the export documentation's own sample reads the whole blob into one string, splits
 * on '\n', drops blank entries and parses each. readFileSync is its fastest form in Node.
 */
export async function readWholeAndParse(file: string): Promise<PassResult> {
  const buffer = readFileSync(file);
  const text = buffer.toString('utf8');
  let rows = 0;
  let badRows = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      JSON.parse(line);
      rows++;
    } catch {
      // The documentation's sample skips rows it cannot parse; count them so a mismatch shows.
      badRows++;
    }
  }
  return { rows, records: 0, badRows, bytes: buffer.length };
}

export const READER_VARIANTS = {
  ours: readAndNormalize,
  readerOnly: readOnly,
  baseline: readWholeAndParse,
} as const satisfies Record<string, ReaderVariant>;

export type ReaderVariantName = keyof typeof READER_VARIANTS;

export function isReaderVariant(name: string): name is ReaderVariantName {
  return Object.prototype.hasOwnProperty.call(READER_VARIANTS, name);
}
