import type { Readable } from 'node:stream';

import { parseExportPath } from './export/parseExportPath';
import { readExportRecords } from './export/readExportRecords';
import type { RowProblem } from './export/readExportRows';
import type { TableName } from './export/telemetryTypes';
import { tableForType } from './export/telemetryTypes';
import type { Logger } from './logger';

export interface ProcessBlobOptions {
  readonly maxLineBytes: number;
  readonly logger: Logger;
}

export type BlobSummary =
  | { readonly status: 'ignored'; readonly blobName: string; readonly reason: string }
  | {
      readonly status: 'processed';
      readonly blobName: string;
      readonly table: TableName;
      readonly rows: number;
      readonly records: number;
      readonly badRows: number;
      readonly bytes: number;
      /** The first malformed rows, with line numbers. */
      readonly problems: readonly RowProblem[];
    };

/**
 * The blob trigger's use case: place the blob in the export layout, stream its records and report
 * what it held. A blob outside the layout is ignored with the reason rather than failing the
 * invocation, which would only make the host retry and poison it.
 */
export async function processExportBlob(
  blobName: string,
  content: AsyncIterable<Uint8Array | string> | Readable,
  options: ProcessBlobOptions,
): Promise<BlobSummary> {
  const placed = parseExportPath(blobName);
  if (!placed.ok) {
    options.logger.warn(`ignored blob ${blobName}: ${placed.error.reason}`);
    return { status: 'ignored', blobName, reason: placed.error.reason };
  }
  const records = readExportRecords(placed.value, content, {
    maxLineBytes: options.maxLineBytes,
    onBadRow: (p) => options.logger.warn(`malformed row: ${p.blobName} line ${p.line}: ${p.reason}`),
  });
  // NOTE: records are consumed here; rule evaluation and alerting plug into this loop.
  for await (const record of records) void record;
  const s = records.stats;
  return {
    status: 'processed',
    blobName,
    table: tableForType(placed.value.telemetryType),
    rows: s.rows,
    records: s.records,
    badRows: s.badRows,
    bytes: s.bytes,
    problems: records.problems,
  };
}
