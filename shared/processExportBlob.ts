import type { Readable } from 'node:stream';

import { parseExportPath, type ExportBlobRef } from './export/parseExportPath';
import { readExportRecords } from './export/readExportRecords';
import type { RowProblem } from './export/readExportRows';
import type { TableName } from './export/telemetryTypes';
import { tableForType } from './export/telemetryTypes';
import type { Logger } from './logger';
import type { AlertRule } from './rules/alertRule';

export interface ProcessBlobOptions {
  readonly maxLineBytes: number;
  readonly logger: Logger;
  /** The rules that apply to this blob; the caller selects them by the blob's app and type. */
  readonly rulesFor?: (blob: ExportBlobRef) => Promise<readonly AlertRule[]>;
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
      /** Matching records per rule (`scope/id`), for every rule evaluated. */
      readonly matches: Readonly<Record<string, number>>;
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
  const rules = options.rulesFor ? await options.rulesFor(placed.value) : [];
  const counts = new Array<number>(rules.length).fill(0);
  const records = readExportRecords(placed.value, content, {
    maxLineBytes: options.maxLineBytes,
    onBadRow: (p) => options.logger.warn(`malformed row: ${p.blobName} line ${p.line}: ${p.reason}`),
  });
  for await (const record of records) {
    for (let i = 0; i < rules.length; i++) {
      if ((rules[i] as AlertRule).matches(record)) counts[i] = (counts[i] as number) + 1;
    }
  }
  const matches: Record<string, number> = {};
  rules.forEach((rule, i) => {
    matches[`${rule.scope}/${rule.id}`] = counts[i] as number;
  });
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
    matches,
  };
}
