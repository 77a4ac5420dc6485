import type { Readable } from 'node:stream';

import type { ReadRecordsOptions, RecordStats, RecordStream } from '../readExportRecords';
import { readExportRows, type RowProblem } from '../readExportRows';
import type { TelemetryRecord } from '../telemetryRecord';
import type { RecordLimits } from '../toRecords';
import type { WorkspaceTableName } from '../workspaceTables';
import { workspaceRowToRecords } from './workspaceRowToRecords';

/** A successor-format blob: its name for problems, and the table its container holds. */
export interface WorkspaceBlobRef {
  readonly blobName: string;
  readonly table: WorkspaceTableName;
}

export interface ReadWorkspaceRecordsOptions extends ReadRecordsOptions {
  /** Line number of the source's first line (default 1), when it is a byte range starting mid-blob. */
  readonly firstLine?: number;
}

/**
 * Streams the records of a diagnostic-settings or data-export blob (or a byte range of one), in the
 * same shape as `readExportRecords`: rows that are not JSON objects, too long, of another table or
 * without a usable time are reported with blob name and line and skipped; the others still come through.
 */
export function readWorkspaceRecords(
  ref: WorkspaceBlobRef,
  source: AsyncIterable<Uint8Array | string> | Readable,
  options: ReadWorkspaceRecordsOptions = {},
): RecordStream {
  const problems: RowProblem[] = [];
  const stats: RecordStats = { rows: 0, badRows: 0, records: 0, bytes: 0, lines: 0 };
  const report = (problem: RowProblem) => {
    if (problems.length < 100) problems.push(problem);
    options.onBadRow?.(problem);
  };
  const rows = readExportRows(source, {
    blobName: ref.blobName,
    onBadRow: report,
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    ...(options.firstLine === undefined ? {} : { firstLine: options.firstLine }),
  });
  const limits: RecordLimits = options.maxItemsPerRow === undefined ? {} : { maxItemsPerRow: options.maxItemsPerRow };

  async function* records(): AsyncGenerator<TelemetryRecord> {
    let normalizeFailures = 0;
    try {
      for await (const row of rows) {
        const result = workspaceRowToRecords(row.document, { table: ref.table, line: row.line }, limits);
        if (!result.ok) {
          normalizeFailures++;
          report({ blobName: ref.blobName, line: row.line, reason: result.error });
          continue;
        }
        stats.records += result.value.length;
        yield* result.value;
      }
    } finally {
      stats.rows = rows.stats.rows - normalizeFailures;
      stats.badRows = rows.stats.badRows + normalizeFailures;
      stats.bytes = rows.stats.bytes;
      stats.lines = rows.stats.lines;
    }
  }

  const iterable = records();
  return { stats, problems, [Symbol.asyncIterator]: () => iterable };
}
