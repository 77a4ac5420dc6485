import type { TableClient } from '@azure/data-tables';

import { describeError } from '../../core/describeError';
import { StorageContendedError, StoredStateError } from '../../core/errors';
import { hourOfDay, type SourceHealth, type SourceHealthReader } from '../../core/health/sourceHealth';
import type { DeliveredActivity, FailedActivity } from '../../core/status/exportActivity';
import type { ExportStatusBook, ExportStatusEntry, ExportStatusReader } from '../../core/status/exportStatusBook';
import { countFailure, noteFailedTry } from '../../core/status/failureCounts';
import { clipText } from './chunkedText';
import {
  deliveredProperty,
  exportStatusOf,
  failingProperty,
  ringProperties,
  sourceHealthOf,
  statusHeader,
} from './exportStatusEntity';
import { isAlreadyExists, isConditionNotMet, isNotFound, serviceCodeOf } from './storageFailure';
import { digestKey, tableKey } from './tableKeys';

/**
 * NOTE: the status is noted after a delivery's alerts went out, inside the same invocation: this caps
 * what a slow or unreachable table can add to it (the SDK's own retries included).
 */
export const STATUS_WRITE_TIMEOUT_MS = 5_000;
/** Conditional rounds of one failure note before it gives up (concurrent failures of one app and type). */
const MAX_ROUNDS = 5;

/**
 * The export status on Table Storage: one entity per app (PartitionKey) and type (RowKey), in the
 * ExportStatus table of AzureWebJobsStorage. A delivery costs one request, a blind Merge upsert of the
 * last-delivery properties, so concurrent deliveries never conflict (the last write wins; the table is
 * created on the first write that finds it missing). A failure reads the entity and merges its hour's
 * count back conditionally on the ETag, so concurrent failures each count: failures are rare, and the
 * extra read is theirs alone. The same write keeps what the export watchdog and the health digest read:
 * the delivery's hour of the day (`Delivered<HH>`) and the failure totals.
 */
export class TableExportStatus implements ExportStatusBook, ExportStatusReader, SourceHealthReader {
  constructor(
    private readonly table: TableClient,
    private readonly timeoutMs: number = STATUS_WRITE_TIMEOUT_MS,
  ) {}

  async noteDelivered(activity: DeliveredActivity): Promise<void> {
    const abortSignal = AbortSignal.timeout(this.timeoutMs);
    const entity = {
      partitionKey: tableKey(activity.app),
      rowKey: tableKey(activity.type),
      ...statusHeader(activity.app, activity.type, activity.source),
      LastBlob: clipText(activity.blob, 1024),
      LastVersion: clipText(activity.version, 256),
      LastAt: new Date(activity.at),
      LastRecords: activity.records,
      LastMatches: activity.matches,
      LastEmails: activity.emails,
      [deliveredProperty(hourOfDay(activity.at))]: new Date(activity.at),
    };
    await this.creatingTable(() => this.table.upsertEntity(entity, 'Merge', { abortSignal }), abortSignal);
  }

  async noteFailed(activity: FailedActivity): Promise<void> {
    const abortSignal = AbortSignal.timeout(this.timeoutMs);
    const partitionKey = tableKey(activity.app);
    const rowKey = tableKey(activity.type);
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const current = await this.read(partitionKey, rowKey, abortSignal);
      const entry = current?.health.status;
      const totals = current?.health.totals ?? { failures: 0, poisoned: 0 };
      const tried = activity.poisonable
        ? noteFailedTry(entry?.failing ?? [], digestKey(`${activity.blob}\u0000${activity.version}`, 16), activity.at)
        : { failing: entry?.failing ?? [], poisoned: false };
      const entity = {
        partitionKey,
        rowKey,
        ...statusHeader(activity.app, activity.type, activity.source),
        LastFailureBlob: clipText(activity.blob, 1024),
        LastFailureVersion: clipText(activity.version, 256),
        LastFailureAt: new Date(activity.at),
        LastError: clipText(activity.error, 2000),
        ...ringProperties(countFailure(entry?.ring ?? [], activity.at, tried.poisoned)),
        Failing: failingProperty(tried.failing),
        FailuresTotal: totals.failures + 1,
        PoisonedTotal: totals.poisoned + (tried.poisoned ? 1 : 0),
        ...(tried.poisoned
          ? { LastPoisonedBlob: clipText(activity.blob, 1024), LastPoisonedAt: new Date(activity.at) }
          : {}),
      };
      try {
        if (current === undefined) {
          await this.creatingTable(() => this.table.createEntity(entity, { abortSignal }), abortSignal);
        } else {
          await this.table.updateEntity(entity, 'Merge', { etag: current.etag, abortSignal });
        }
        return;
      } catch (error) {
        if (!isConditionNotMet(error) && !isAlreadyExists(error)) throw error;
      }
    }
    throw new StorageContendedError(
      `export status ${activity.app} ${activity.type} in table ${this.table.tableName} kept changing under ${MAX_ROUNDS} attempts to count a failure`,
    );
  }

  /** Every entry; one that does not read is named in `unreadable`, not thrown, so the others still show. */
  async list(): Promise<{ entries: ExportStatusEntry[]; unreadable: string[] }> {
    const { items, unreadable } = await this.readAll(exportStatusOf);
    return { entries: items, unreadable };
  }

  /** Every entry as the watchdog and the health digest read it; unreadable ones named, as by `list`. */
  async listSources(): Promise<{ sources: SourceHealth[]; unreadable: string[] }> {
    const { items, unreadable } = await this.readAll(sourceHealthOf);
    return { sources: items, unreadable };
  }

  private async readAll<T>(
    read: (table: string, entity: Record<string, unknown>) => T,
  ): Promise<{ items: T[]; unreadable: string[] }> {
    const items: T[] = [];
    const unreadable: string[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>()) {
        try {
          items.push(read(this.table.tableName, entity));
        } catch (error) {
          if (!(error instanceof StoredStateError)) throw error;
          unreadable.push(describeError(error));
        }
      }
    } catch (error) {
      // No table yet: the functions have noted nothing.
      if (!isNotFound(error)) throw error;
    }
    return { items, unreadable };
  }

  private async read(
    partitionKey: string,
    rowKey: string,
    abortSignal: AbortSignal,
  ): Promise<{ health: SourceHealth; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, rowKey, { abortSignal });
      return { health: sourceHealthOf(this.table.tableName, entity), etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Runs `write`; when the table is missing, creates it and runs `write` once more. */
  private async creatingTable(write: () => Promise<unknown>, abortSignal: AbortSignal): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isNotFound(error) || serviceCodeOf(error) !== 'TableNotFound') throw error;
      try {
        await this.table.createTable({ abortSignal });
      } catch (created) {
        if (!isAlreadyExists(created)) throw created;
      }
      await write();
    }
  }
}
