import type { TableClient } from '@azure/data-tables';

import { statusOf, tableKey } from '../shared/adapters/storage/tableKeys';
import { ensureTable } from '../shared/adapters/storage/tableReady';

/** A timer's schedule status, as the host's monitor keeps it (`Timer.scheduleStatus`), ISO times. */
export interface TimerStatus {
  readonly last: string;
  readonly next: string;
  readonly lastUpdated: string;
}

/** Where a timer runner keeps its schedule status. */
export interface TimerStatusStorage {
  read(functionName: string): Promise<TimerStatus | undefined>;
  write(functionName: string, status: TimerStatus): Promise<void>;
}

/**
 * Schedule status per timer function, beside the blob receipts: with it a restarted local host
 * notices an occurrence it missed while stopped and runs it once, past due, as the host's
 * schedule monitor does.
 */
export class TimerStatusStore implements TimerStatusStorage {
  private static readonly PARTITION = 'timers';

  constructor(private readonly table: TableClient) {}

  async read(functionName: string): Promise<TimerStatus | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(
        TimerStatusStore.PARTITION,
        tableKey(functionName),
      );
      const { Last, Next, LastUpdated } = entity;
      if (typeof Last !== 'string' || typeof Next !== 'string' || typeof LastUpdated !== 'string') return undefined;
      return { last: Last, next: Next, lastUpdated: LastUpdated };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async write(functionName: string, status: TimerStatus): Promise<void> {
    await ensureTable(this.table);
    await this.table.upsertEntity(
      {
        partitionKey: TimerStatusStore.PARTITION,
        rowKey: tableKey(functionName),
        Last: status.last,
        Next: status.next,
        LastUpdated: status.lastUpdated,
      },
      'Replace',
    );
  }
}
