import type { InvocationContext, Timer } from '@azure/functions';

import { type AppConfig, loadConfig, SUCCESSOR_CONTAINER_PREFIXES } from '../shared/adapters/settings/config';
import { exportStatusServices, scanServices, type ServiceOverrides } from '../shared/composition/appServices';
import { scanAppendBlobs, type ScanSummary } from '../shared/core/cursors/scanAppendBlobs';
import { AlertDeliveryError } from '../shared/core/errors';
import { parseExportPath } from '../shared/core/export/parseExportPath';
import { canStillGrowUntil, parseSuccessorPath } from '../shared/core/export/successorPath';
import type { Logger } from '../shared/core/logger';
import { plural } from '../shared/core/plural';
import { type BlobSummary, describeBlobSummary, processExportBlob } from '../shared/core/processExportBlob';
import { describeRangeSummary, processLogRange, type RangeSummary } from '../shared/core/processLogRange';
import { blobDelivered, blobFailed, rangeDelivered, rangeFailed } from '../shared/core/status/exportActivity';
import { noteExportActivity } from '../shared/core/status/exportStatusBook';
import { registerWhenConfigured } from './appSettings';

/** How long past its period a blob is still read: diagnostic settings append into the previous hour's blob for a while. */
export const FOLLOW_GRACE_MINUTES = 120;

/** A scan leaves a minute of the function timeout for the range in progress. */
const SCAN_BUDGET_MS = 4 * 60_000;

/**
 * Timer: follows the append blobs of the successor exports (diagnostic settings `insights-logs-app*`,
 * workspace data export `am-app*`) with byte cursors, since no blob trigger can: the polling one
 * would hand over the whole blob on every append, the Event Grid one fires once, at creation. Each
 * new range of complete lines is read once, evaluated and alerted on. Logs a line per range and one
 * summary per scan.
 * @param config - the configuration checked once at startup; without it, read from process.env at each call (tests)
 */
export function exportLogScanHandler(overrides: ServiceOverrides = {}, startupConfig?: AppConfig) {
  return async (timer: Timer, context: InvocationContext): Promise<ScanSummary | undefined> => {
    const config = startupConfig ?? loadConfig();
    const logger: Logger = {
      info: (m) => context.log(m),
      warn: (m) => context.warn(m),
      error: (m) => context.error(m),
    };
    const services = scanServices(config, logger, overrides);
    if (!services) {
      context.warn('export log scan: EXPORT_STORAGE and AzureWebJobsStorage must both be set to follow append blobs');
      return undefined;
    }
    const status = exportStatusServices(config, overrides);
    const successors =
      config.scan.containers.length > 0
        ? config.scan.containers
        : await services.source.discover(SUCCESSOR_CONTAINER_PREFIXES);
    const followExport = config.triggerSource === 'Scan';
    const containers = followExport ? [config.exportContainer, ...successors] : successors;
    const summary = await scanAppendBlobs({
      containers,
      source: services.source,
      store: services.cursors,
      process: async (range) => {
        if (followExport && range.blob.container === config.exportContainer) {
          try {
            const result = await processExportBlob(
              {
                name: range.blob.name,
                etag: range.version(),
                version: range.version,
                content: range.content,
                depositedAt: range.blob.lastModified,
              },
              services.processBlob,
            );
            logger.info(describeBlobSummary(result));
            const delivered = blobDelivered(result, range.version(), status.now());
            if (delivered) await noteExportActivity(status.book, delivered, logger);
            return result.status === 'processed'
              ? { ok: true, records: result.records, emails: result.emails.sent }
              : { ok: true, records: 0, emails: 0 };
          } catch (error) {
            if (error instanceof AlertDeliveryError) logger.error(describeBlobSummary(error.summary as BlobSummary));
            // The scanner retries the range without end: no poison threshold applies.
            const message = error instanceof Error ? error.message : String(error);
            const failed = blobFailed(range.blob.name, range.version(), message, status.now(), false);
            if (failed) await noteExportActivity(status.book, failed, logger);
            return { ok: false, error: message };
          }
        }
        const placed = parseSuccessorPath(range.blob.container, range.blob.name);
        if (!placed.ok) return { ok: true, records: 0, emails: 0 };
        try {
          const result = await processLogRange(
            {
              ref: placed.value,
              content: range.content,
              firstLine: range.firstLine,
              version: range.version,
              depositedAt: range.blob.lastModified,
            },
            services.process,
          );
          logger.info(describeRangeSummary(result));
          await noteExportActivity(status.book, rangeDelivered(placed.value, result, status.now()), logger);
          return { ok: true, records: result.records, emails: result.emails.sent };
        } catch (error) {
          if (error instanceof AlertDeliveryError) logger.error(describeRangeSummary(error.summary as RangeSummary));
          const message = error instanceof Error ? error.message : String(error);
          await noteExportActivity(
            status.book,
            rangeFailed(placed.value, range.version(), message, status.now()),
            logger,
          );
          return { ok: false, error: message };
        }
      },
      growsUntil: (blob) => {
        if (followExport && blob.container === config.exportContainer) {
          // A Continuous Export blob is a block blob, written once: complete when listed, its last
          // line included even without a newline, and its cursor closed once read.
          const ref = parseExportPath(blob.name);
          if (ref.ok)
            return Math.min(blob.lastModified, ref.value.depositedAt.getTime() + (60 + FOLLOW_GRACE_MINUTES) * 60_000);
          logger.warn(`ignored blob ${blob.container}/${blob.name}: ${ref.error.reason}`);
          return undefined;
        }
        const placed = parseSuccessorPath(blob.container, blob.name);
        // NOTE: followed for two hours past its period at most: retention keeps a data-export blob far
        // longer (late records may still come), but an open cursor costs a listing on every scan.
        if (placed.ok)
          return Math.min(
            canStillGrowUntil(placed.value).getTime(),
            placed.value.periodStart.getTime() + (placed.value.periodMinutes + FOLLOW_GRACE_MINUTES) * 60_000,
          );
        logger.warn(`ignored blob ${blob.container}/${blob.name}: ${placed.error.reason}`);
        return undefined;
      },
      now: services.now,
      owner: context.invocationId,
      leaseMs: config.scan.leaseMs,
      maxRangeBytes: config.scan.maxRangeBytes,
      maxLineBytes: config.maxLineBytes,
      budgetMs: SCAN_BUDGET_MS,
      logger,
    });
    const text = describeScan(containers, summary) + (timer.isPastDue ? ' (past-due tick)' : '');
    if (summary.failed > 0) context.warn(text);
    else context.log(text);
    return summary;
  };
}

/** The handler with settings read from process.env at each call, for tests that set them. */
export const exportLogScan = exportLogScanHandler();

export function describeScan(containers: readonly string[], s: ScanSummary): string {
  return (
    `export log scan: ${plural(containers.length, 'container')}, ${plural(s.blobs, 'blob')} listed; ${plural(s.ranges, 'range')} read (${plural(s.bytes, 'byte')}, ` +
    `${plural(s.records, 'record')}, ${plural(s.emails, 'e-mail')}); restarted ${s.restarted}, closed ${s.closed}, held by another scanner ${s.busy}, ` +
    `ignored ${s.ignored}, failed ${s.failed}, left for the next scan ${s.deferred}`
  );
}

registerWhenConfigured('exportLogScan', ({ app, config, overrides }) =>
  app.timer('exportLogScan', {
    schedule: config.scan.schedule,
    handler: exportLogScanHandler(overrides, config),
  }),
);
