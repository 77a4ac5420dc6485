import type { TableClient } from '@azure/data-tables';

import { digestKey, statusOf, tableKey } from '../storage/tableKeys';
import { tableReadiness } from '../storage/tableReady';
import { EMPTY_STATE, type AlertState } from './alertState';

export interface StateChange<T> {
  readonly state: AlertState;
  readonly changed: boolean;
  readonly result: T;
}

/** Per rule and group state, changed atomically: concurrent instances never lose each other's counts. */
export interface AlertStateStore {
  update<T>(ruleKey: string, groupKey: string, change: (state: AlertState) => StateChange<T>): Promise<T>;
}

/** Conflicts resolve in a few rounds; past this something is wrong and the invocation should fail. */
const MAX_ROUNDS = 25;

/**
 * Optimistic concurrency on Table Storage: read the entity and its etag, compute, write back only if
 * the etag still holds (insert only if still absent), else read again and recompute.
 */
export class TableAlertStateStore implements AlertStateStore {
  private readonly ensureTable: () => Promise<void>;

  constructor(
    private readonly table: TableClient,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.ensureTable = tableReadiness(table);
  }

  async update<T>(ruleKey: string, groupKey: string, change: (state: AlertState) => StateChange<T>): Promise<T> {
    await this.ensureTable();
    const partitionKey = tableKey(ruleKey);
    const rowKey = digestKey(`group:${groupKey}`);
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const current = await this.read(partitionKey, rowKey);
      const next = change(current?.state ?? EMPTY_STATE);
      if (!next.changed) return next.result;
      const entity = { partitionKey, rowKey, Rule: ruleKey, Group: groupKey.slice(0, 1024), State: JSON.stringify(next.state) };
      try {
        if (current) await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
        else await this.table.createEntity(entity);
        return next.result;
      } catch (error) {
        const status = statusOf(error);
        if (status !== 412 && status !== 409) throw error;
        // Someone else changed this state meanwhile: back off a little, with jitter, and recompute.
        await this.pause(Math.random() * Math.min(200, 10 * round));
      }
    }
    throw new Error(`alert state ${ruleKey} / ${groupKey} kept changing under ${MAX_ROUNDS} attempts to update it`);
  }

  private async read(partitionKey: string, rowKey: string): Promise<{ state: AlertState; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<{ State?: string }>(partitionKey, rowKey);
      return { state: JSON.parse(entity.State ?? 'null') ?? EMPTY_STATE, etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
