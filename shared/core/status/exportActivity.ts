import { parseExportPath } from '../export/parseExportPath';
import type { SuccessorBlobRef } from '../export/successorPath';
import type { BlobSummary } from '../processExportBlob';
import type { RangeSummary } from '../processLogRange';

/** The export a delivery came from. */
export type ExportSource = 'continuousExport' | 'diagnosticSettings' | 'dataExport';

/** Where a delivery belongs in `export-alerts status`: one line per app and type (or table). */
export interface ExportActivity {
  /** The app (Continuous Export folder's app, diagnostic-settings component) or the data-export workspace. */
  readonly app: string;
  /** `Requests`, `Exceptions`, … for Continuous Export; `AppRequests`, … for the successor exports. */
  readonly type: string;
  readonly source: ExportSource;
  /** The blob name; `<container>/<name>` for an append blob. */
  readonly blob: string;
  /** The content version: the blob's ETag, or the range `bytes=<from>-<end>`. */
  readonly version: string;
  /** When it was processed, epoch ms, by the app's clock. */
  readonly at: number;
}

/** A delivery processed to the end: its alerts decided and their e-mails tried. */
export interface DeliveredActivity extends ExportActivity {
  readonly kind: 'delivered';
  readonly records: number;
  /** Matching records, over every rule. */
  readonly matches: number;
  /** E-mails sent by this delivery. */
  readonly emails: number;
}

/** A delivery that failed: the host retries the blob (and poisons it after its last try), the scanner the range. */
export interface FailedActivity extends ExportActivity {
  readonly kind: 'failed';
  readonly error: string;
  /** A blob-trigger try: counted toward the host's poison threshold. Ranges are retried without end. */
  readonly poisonable: boolean;
}

/** A Continuous Export blob processed; undefined for one outside the export layout (ignored, nothing to show). */
export function blobDelivered(summary: BlobSummary, version: string, at: number): DeliveredActivity | undefined {
  if (summary.status !== 'processed') return undefined;
  const placed = parseExportPath(summary.blobName);
  if (!placed.ok) return undefined;
  return {
    kind: 'delivered',
    app: placed.value.appName,
    type: placed.value.telemetryType,
    source: 'continuousExport',
    blob: summary.blobName,
    version,
    at,
    records: summary.records,
    matches: sumOf(summary.matches),
    emails: summary.emails.sent,
  };
}

/** A Continuous Export blob whose processing threw; undefined for one outside the export layout. */
export function blobFailed(
  blobName: string,
  version: string,
  error: string,
  at: number,
  poisonable: boolean,
): FailedActivity | undefined {
  const placed = parseExportPath(blobName);
  if (!placed.ok) return undefined;
  const { appName, telemetryType } = placed.value;
  return {
    kind: 'failed',
    app: appName,
    type: telemetryType,
    source: 'continuousExport',
    blob: blobName,
    version,
    at,
    error,
    poisonable,
  };
}

/** A range of a diagnostic-settings or data-export blob, processed. */
export function rangeDelivered(ref: SuccessorBlobRef, summary: RangeSummary, at: number): DeliveredActivity {
  return {
    kind: 'delivered',
    ...placeOfRange(ref),
    version: summary.version,
    at,
    records: summary.records,
    matches: sumOf(summary.matches),
    emails: summary.emails.sent,
  };
}

/** A range whose processing failed: the scanner leaves it for the next scan. */
export function rangeFailed(ref: SuccessorBlobRef, version: string, error: string, at: number): FailedActivity {
  return { kind: 'failed', ...placeOfRange(ref), version, at, error, poisonable: false };
}

function placeOfRange(ref: SuccessorBlobRef): Pick<ExportActivity, 'app' | 'type' | 'source' | 'blob'> {
  return {
    app: ref.componentName ?? lastSegment(ref.resourceId),
    type: ref.table,
    source: ref.format,
    blob: `${ref.container}/${ref.blobName}`,
  };
}

function lastSegment(id: string): string {
  const trimmed = id.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function sumOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
