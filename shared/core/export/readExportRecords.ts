import type { Readable } from 'node:stream';

import type { Result } from '../result';
import type { LineFilter } from './candidateLineSplitter';
import type { ExportBlobRef } from './parseExportPath';
import { type ExportRow, readExportRows, type ReadOptions, type RowProblem } from './readExportRows';
import type { TelemetryRecord } from './telemetryRecord';
import { type RecordLimits, toRecords } from './toRecords';

export interface RecordStats {
  /** Rows that became records. */
  rows: number;
  /** Non-blank lines, parsed or skipped by the prefilter. */
  rowsSeen: number;
  /** Rows parsed; `badRows` are among them, except lines too long to parse. */
  rowsParsed: number;
  /** Whether the prefilter was on to the end (off without one, or once it stopped paying). */
  filtered: boolean;
  /** Rows reported and skipped: malformed JSON, too long, or not telemetry of the blob's type. */
  badRows: number;
  records: number;
  bytes: number;
  lines: number;
}

export interface RecordStream extends AsyncIterable<TelemetryRecord> {
  readonly stats: Readonly<RecordStats>;
  readonly problems: readonly RowProblem[];
  /** The records of each slice of the source together (one async step per slice); this or the iterator, once. */
  batches(): AsyncIterable<readonly TelemetryRecord[]>;
}

export interface ReadRecordsOptions {
  readonly maxLineBytes?: number;
  /** Rows holding more telemetry items are reported as malformed, not expanded (default 10,000). */
  readonly maxItemsPerRow?: number;
  readonly onBadRow?: (problem: RowProblem) => void;
  /** Rows this does not keep are counted, not parsed (see ReadOptions.filter). */
  readonly filter?: LineFilter;
  readonly adapt?: ReadOptions['adapt'];
}

/**
 * Streams the Log Analytics-style records of one export blob. Rows that cannot be read or
 * normalized are reported with blob name and line, the same way, and the others still come through.
 */
export function readExportRecords(
  ref: ExportBlobRef,
  source: AsyncIterable<Uint8Array | string> | Readable,
  options: ReadRecordsOptions = {},
): RecordStream {
  const recordSource = {
    appName: ref.appName,
    instrumentationKey: ref.instrumentationKey,
    telemetryType: ref.telemetryType,
  };
  return recordStream(ref.blobName, source, options, (row, limits) =>
    toRecords(row.document, { ...recordSource, line: row.line }, limits),
  );
}

/**
 * The record stream of one blob (or byte range) whatever its format: rows read with `readExportRows`,
 * normalized by `normalize`; a row that does not normalize is reported like a malformed one.
 */
export function recordStream(
  blobName: string,
  source: AsyncIterable<Uint8Array | string> | Readable,
  options: ReadRecordsOptions & { readonly firstLine?: number },
  normalize: (row: ExportRow, limits: RecordLimits) => Result<TelemetryRecord[], string>,
): RecordStream {
  const problems: RowProblem[] = [];
  const stats: RecordStats = {
    rows: 0,
    rowsSeen: 0,
    rowsParsed: 0,
    filtered: false,
    badRows: 0,
    records: 0,
    bytes: 0,
    lines: 0,
  };
  const report = (problem: RowProblem) => {
    if (problems.length < 100) problems.push(problem);
    options.onBadRow?.(problem);
  };
  const rows = readExportRows(source, {
    blobName,
    onBadRow: report,
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    ...(options.firstLine === undefined ? {} : { firstLine: options.firstLine }),
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    ...(options.adapt === undefined ? {} : { adapt: options.adapt }),
  });
  const limits: RecordLimits = options.maxItemsPerRow === undefined ? {} : { maxItemsPerRow: options.maxItemsPerRow };

  async function* batches(): AsyncGenerator<readonly TelemetryRecord[]> {
    let normalizeFailures = 0;
    try {
      for await (const batch of rows.batches()) {
        const out: TelemetryRecord[] = [];
        for (const row of batch) {
          const result = normalize(row, limits);
          if (!result.ok) {
            normalizeFailures++;
            report({ blobName, line: row.line, reason: result.error });
            continue;
          }
          for (const record of result.value) out.push(record);
        }
        stats.records += out.length;
        if (out.length > 0) yield out;
      }
    } finally {
      stats.rows = rows.stats.rows - normalizeFailures;
      stats.badRows = rows.stats.badRows + normalizeFailures;
      stats.bytes = rows.stats.bytes;
      stats.lines = rows.stats.lines;
      stats.rowsSeen = rows.stats.rowsSeen;
      stats.rowsParsed = rows.stats.rowsParsed;
      stats.filtered = rows.stats.filtered;
    }
  }

  async function* records(): AsyncGenerator<TelemetryRecord> {
    for await (const batch of batches()) for (const record of batch) yield record;
  }

  let iterable: AsyncGenerator<TelemetryRecord> | undefined;
  let batched = false;
  return {
    stats,
    problems,
    batches: () => {
      if (batched || iterable !== undefined) throw new Error(`the records of ${blobName} were already read`);
      batched = true;
      return batches();
    },
    [Symbol.asyncIterator]: () => {
      if (batched) throw new Error(`the records of ${blobName} were already read`);
      return (iterable ??= records());
    },
  };
}
