import type { Readable } from 'node:stream';

import { type ReadRecordsOptions, type RecordStream, recordStream } from '../readExportRecords';
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
  return recordStream(ref.blobName, source, options, (row, limits) =>
    workspaceRowToRecords(row.document, { table: ref.table, line: row.line }, limits),
  );
}
