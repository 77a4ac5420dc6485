import type { Readable } from 'node:stream';

import { type AlertResult, deliverAlerts, type DeliveryDeps } from './alerts/deliverAlerts';
import { type EmailCounts, tallyResults } from './alerts/deliveryTally';
import { MatchCollector } from './alerts/matchCollector';
import { AlertDeliveryError } from './errors';
import { type ExportBlobRef, parseExportPath } from './export/parseExportPath';
import { readExportRecords } from './export/readExportRecords';
import type { RowProblem } from './export/readExportRows';
import { tableForType, type TableName } from './export/telemetryTypes';
import type { Logger } from './logger';
import { plural } from './plural';
import type { AlertRule } from './rules/alertRule';
import { rowPrefilterOf } from './rules/prefilter/rowPrefilter';

/** A blob as the trigger delivers it. */
export interface ExportBlobInput {
  /** Name relative to the container. */
  readonly name: string;
  /** Identifies this content of the blob; a redelivery of the same content has the same etag. */
  readonly etag: string;
  /**
   * When the blob was written (its Last-Modified), epoch ms: windows are anchored to it, never to the
   * event times in the data. Without it, the processing time.
   */
  readonly depositedAt?: number;
  /**
   * The delivery version when it is known only once the content was read (a byte range the scanner
   * followed: `bytes=<from>-<end>`); else the etag.
   */
  readonly version?: () => string;
  readonly content: AsyncIterable<Uint8Array | string> | Readable;
}

export interface ProcessBlobDeps {
  readonly maxLineBytes: number;
  /** Rows with more telemetry items are reported, not expanded. */
  readonly maxItemsPerRow?: number;
  /** False: every row is parsed and evaluated (RULES_PREFILTER=off); else only those a rule could match. */
  readonly prefilter?: boolean;
  readonly logger: Logger;
  /**
   * The processing time, read once per blob: what `ago()` and `now()` in rules count from, and the
   * deposit time of a blob whose trigger did not say (no Last-Modified).
   */
  readonly now: () => number;
  /** The rules that apply to a blob; the catalog selects them by the blob's app and type. */
  readonly rulesFor?: (blob: ExportBlobRef) => Promise<readonly AlertRule[]>;
  /** Without it matches are only counted (back-tests, a deployment without mail settings). */
  readonly delivery?: DeliveryDeps;
}

export type { EmailCounts } from './alerts/deliveryTally';

export type BlobSummary =
  | { readonly status: 'ignored'; readonly blobName: string; readonly reason: string }
  | {
      readonly status: 'processed';
      readonly blobName: string;
      readonly table: TableName;
      /** Rows read into records. */
      readonly rows: number;
      /** Non-blank lines, and those of them parsed: the prefilter skips rows no rule could match. */
      readonly rowsSeen: number;
      readonly rowsParsed: number;
      readonly records: number;
      /** Malformed among the rows parsed (and lines too long to parse). */
      readonly badRows: number;
      readonly bytes: number;
      /** The first malformed rows, with line numbers. */
      readonly problems: readonly RowProblem[];
      /** Matching records per rule (`scope/id`), for every rule evaluated. */
      readonly matches: Readonly<Record<string, number>>;
      readonly emails: Readonly<EmailCounts>;
      /** Where the outbox wrote the e-mails sent. */
      readonly outbox: readonly string[];
    };

/**
 * The blob trigger's use case: place the blob in the export layout, stream its records through the
 * rules, and take each rule-and-group's matches to at most one e-mail. A blob outside the layout is
 * ignored with the reason rather than failing, which would only make the host retry and poison it.
 *
 * @throws AlertDeliveryError, after every alert was tried, when an e-mail could not be sent or another
 *   invocation holds its claim: the host then retries the blob, and the records keep the alerts that did
 *   go out from going twice. A message SendGrid refused for good does not fail the invocation.
 */
export async function processExportBlob(blob: ExportBlobInput, deps: ProcessBlobDeps): Promise<BlobSummary> {
  const placed = parseExportPath(blob.name);
  if (!placed.ok) {
    deps.logger.warn(`ignored blob ${blob.name}: ${placed.error.reason}`);
    return { status: 'ignored', blobName: blob.name, reason: placed.error.reason };
  }
  const ref = placed.value;
  const evaluatedAt = deps.now();
  const depositedAt = blob.depositedAt ?? evaluatedAt;
  const rules = deps.rulesFor ? await deps.rulesFor(ref) : [];
  const collector = new MatchCollector(rules, depositedAt, evaluatedAt);
  const filter =
    deps.prefilter === false
      ? undefined
      : rowPrefilterOf(
          rules.map((rule) => rule.query),
          'continuousExport',
        );
  const records = readExportRecords(ref, blob.content, {
    maxLineBytes: deps.maxLineBytes,
    ...(filter === undefined ? {} : { filter }),
    ...(deps.maxItemsPerRow === undefined ? {} : { maxItemsPerRow: deps.maxItemsPerRow }),
    onBadRow: (p) => deps.logger.warn(`malformed row: ${p.blobName} line ${p.line}: ${p.reason}`),
  });
  // One async step per slice of the blob, not per record.
  for await (const batch of records.batches()) for (const record of batch) collector.add(record);

  let results: AlertResult[] = [];
  if (deps.delivery) {
    const delivery = {
      appName: ref.appName,
      folder: ref.folder,
      blobName: ref.blobName,
      version: blob.version?.() ?? blob.etag,
      depositedAt,
    };
    results = await deliverAlerts(collector.all(), delivery, deps.delivery);
  }
  const { emails, outbox, failures } = tallyResults(results);
  const s = records.stats;
  const summary: BlobSummary = {
    status: 'processed',
    blobName: blob.name,
    table: tableForType(ref.telemetryType),
    rows: s.rows,
    rowsSeen: s.rowsSeen,
    rowsParsed: s.rowsParsed,
    records: s.records,
    badRows: s.badRows,
    bytes: s.bytes,
    problems: records.problems,
    matches: collector.countsPerRule(),
    emails,
    outbox,
  };
  if (failures.length > 0) throw new AlertDeliveryError(summary, failures);
  return summary;
}

/** The one log line of a blob. */
export function describeBlobSummary(summary: BlobSummary): string {
  if (summary.status === 'ignored') return `blob ${summary.blobName}: ignored (${summary.reason})`;
  const matches = Object.entries(summary.matches)
    .map(([rule, n]) => `${rule}=${n}`)
    .join(' ');
  const e = summary.emails;
  const mail = Object.entries(e)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    `blob ${summary.blobName}: ${summary.table}, ${describeRows(summary)}, ${summary.bytes} bytes` +
    (matches ? `, matches ${matches}` : '') +
    (mail ? `, e-mails: ${mail}` : '') +
    (summary.outbox.length > 0 ? `, outbox ${summary.outbox.join(' ')}` : '')
  );
}

/** Rows seen and parsed, and what came of them: the part of a blob's or range's log line about rows. */
export function describeRows(s: {
  readonly rowsSeen: number;
  readonly rowsParsed: number;
  readonly records: number;
  readonly badRows: number;
}): string {
  const skipped = s.rowsSeen - s.rowsParsed;
  return (
    `${plural(s.rowsSeen, 'row')} seen, ${s.rowsParsed} parsed` +
    (skipped > 0 ? ` (${skipped} no rule could match were skipped unread)` : '') +
    `, ${plural(s.records, 'record')}, ${s.badRows} malformed among those parsed`
  );
}
