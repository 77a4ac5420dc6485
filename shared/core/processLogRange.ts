import { type AlertResult, deliverAlerts, type DeliveryDeps } from './alerts/deliverAlerts';
import { type EmailCounts, tallyResults } from './alerts/deliveryTally';
import { type MatchBucket, MatchCollector } from './alerts/matchCollector';
import { AlertDeliveryError } from './errors';
import type { RowProblem } from './export/readExportRows';
import type { SuccessorBlobRef } from './export/successorPath';
import type { TableName } from './export/telemetryTypes';
import { readWorkspaceRecords } from './export/workspace/readWorkspaceRecords';
import { classicTableOf } from './export/workspaceTables';
import type { Logger } from './logger';
import { describeRows } from './processExportBlob';
import type { AlertRule } from './rules/alertRule';
import { rowPrefilterOf } from './rules/prefilter/rowPrefilter';
import { resourceOfRecord, scopeCoversResource } from './rules/ruleScope';

/** One byte range of a successor-format blob, as the scanner hands it over. */
export interface LogRangeInput {
  readonly ref: SuccessorBlobRef;
  readonly content: AsyncIterable<Uint8Array>;
  /** 1-based line of the range's first byte. */
  readonly firstLine: number;
  /** The delivery version, `bytes=<from>-<end>`, known once `content` is read. */
  readonly version: () => string;
  /** When the bytes arrived (the blob's Last-Modified at listing), epoch ms: anchors windows. */
  readonly depositedAt: number;
}

export interface ProcessLogDeps {
  readonly maxLineBytes: number;
  readonly maxItemsPerRow?: number;
  /** False: every row is parsed and evaluated (RULES_PREFILTER=off); else only those a rule could match. */
  readonly prefilter?: boolean;
  readonly logger: Logger;
  /** The processing time, read once per range: what `ago()` and `now()` in rules count from. */
  readonly now: () => number;
  /** Every rule of a table; each record then picks those whose scope covers its resource. */
  readonly rulesForTable?: (table: TableName) => Promise<readonly AlertRule[]>;
  readonly delivery?: DeliveryDeps;
}

export interface RangeSummary {
  readonly blobName: string;
  readonly version: string;
  readonly table: TableName;
  readonly rows: number;
  readonly rowsSeen: number;
  readonly rowsParsed: number;
  readonly records: number;
  readonly badRows: number;
  readonly bytes: number;
  readonly problems: readonly RowProblem[];
  readonly matches: Readonly<Record<string, number>>;
  readonly emails: Readonly<EmailCounts>;
  readonly outbox: readonly string[];
}

/**
 * The scanner's use case for one byte range of a diagnostic-settings or data-export blob: the same
 * reading, matching and delivery as a Continuous Export blob, with two differences. A rule applies to a
 * record when its scope covers the record's own resource (`_ResourceId`; a workspace holds many), and
 * the delivery is the range, keyed by blob name and `bytes=<from>-<end>`, so a range read twice alerts once.
 *
 * @throws AlertDeliveryError after every alert was tried, when one must be tried again: the scanner
 *   then leaves the range claimed for the next scan, with the same key.
 */
export async function processLogRange(input: LogRangeInput, deps: ProcessLogDeps): Promise<RangeSummary> {
  const { ref } = input;
  const table = classicTableOf(ref.table);
  const evaluatedAt = deps.now();
  const rules = deps.rulesForTable ? await deps.rulesForTable(table) : [];
  const scoped = rules.map((rule): AlertRule => ({
    ...rule,
    matches: (record, now) =>
      scopeCoversResource(rule.scope, resourceOfRecord(record, ref)) && rule.matches(record, now),
  }));
  const collector = new MatchCollector(scoped, input.depositedAt, evaluatedAt);
  // Built from every rule of the table, whatever its scope: a necessary condition for each is one for all.
  const filter =
    deps.prefilter === false
      ? undefined
      : rowPrefilterOf(
          rules.map((rule) => rule.query),
          'workspace',
        );
  const records = readWorkspaceRecords({ blobName: ref.blobName, table: ref.table }, input.content, {
    maxLineBytes: deps.maxLineBytes,
    ...(filter === undefined ? {} : { filter }),
    firstLine: input.firstLine,
    ...(deps.maxItemsPerRow === undefined ? {} : { maxItemsPerRow: deps.maxItemsPerRow }),
    onBadRow: (p) => deps.logger.warn(`malformed row: ${ref.container}/${p.blobName} line ${p.line}: ${p.reason}`),
  });
  // One async step per slice of the blob, not per record.
  for await (const batch of records.batches()) for (const record of batch) collector.add(record);
  const version = input.version();

  const results: AlertResult[] = [];
  if (deps.delivery) {
    // A workspace export holds many resources: its e-mails name the rule's scope, else the workspace.
    const byApp = new Map<string, MatchBucket[]>();
    for (const bucket of collector.all()) {
      const app =
        ref.componentName ??
        (bucket.rule.scope === '*' ? `workspace ${lastSegment(ref.resourceId)}` : bucket.rule.scope);
      byApp.set(app, [...(byApp.get(app) ?? []), bucket]);
    }
    for (const [appName, buckets] of byApp) {
      const delivery = {
        appName,
        folder: ref.resourceId,
        blobName: `${ref.container}/${ref.blobName}`,
        version,
        depositedAt: input.depositedAt,
      };
      results.push(...(await deliverAlerts(buckets, delivery, deps.delivery)));
    }
  }
  const { emails, outbox, failures } = tallyResults(results);
  const s = records.stats;
  const summary: RangeSummary = {
    blobName: `${ref.container}/${ref.blobName}`,
    version,
    table,
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

/** The one log line of a range. */
export function describeRangeSummary(summary: RangeSummary): string {
  const matches = Object.entries(summary.matches)
    .map(([rule, n]) => `${rule}=${n}`)
    .join(' ');
  const mail = Object.entries(summary.emails)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    `range ${summary.blobName} ${summary.version}: ${summary.table}, ${describeRows(summary)}, ${summary.bytes} bytes` +
    (matches ? `, matches ${matches}` : '') +
    (mail ? `, e-mails: ${mail}` : '') +
    (summary.outbox.length > 0 ? `, outbox ${summary.outbox.join(' ')}` : '')
  );
}

function lastSegment(id: string): string {
  const trimmed = id.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
