import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type { CursorStore, StoredCursor } from '../../core/cursors/cursorStore';
import type { ExportCursor } from '../../core/cursors/exportCursor';
import { cursorEntity, cursorOf } from './cursorEntity';
import { isAlreadyExists, isConditionNotMet, isNotFound } from './storageFailure';
import { tableKey } from './tableKeys';
import { tableReadiness } from './tableReady';

/**
 * Cursors on Table Storage: one partition per container, one entity per blob. Writes are conditional
 * on the entity's ETag (or insert-only), so of two scanners only one claims a range.
 *
 * A cursor that does not read (StoredStateError) fails the call: `get` fails that blob's scan alone,
 * `listOpen` the container's, and the scanner logs it with the entity's keys and tries again on the
 * next scan. Guessing an offset would read a range twice (a second e-mail) or skip it (a lost one);
 * an operator repairs or deletes the named entity.
 */
export class TableCursorStore implements CursorStore {
  private readonly ensureTable: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ensureTable = tableReadiness(table);
  }

  async get(container: string, blobName: string): Promise<StoredCursor | undefined> {
    await this.ensureTable();
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(tableKey(container), tableKey(blobName));
      return { cursor: cursorOf(this.table.tableName, entity), version: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(cursor: ExportCursor, expected: string | undefined): Promise<boolean> {
    await this.ensureTable();
    const entity = cursorEntity(cursor);
    try {
      if (expected === undefined) await this.table.createEntity(entity);
      else await this.table.updateEntity(entity, 'Replace', { etag: expected });
      return true;
    } catch (error) {
      // Another scanner wrote first; any other 409 (TableBeingDeleted) is a failure of its own.
      if (isAlreadyExists(error) || isConditionNotMet(error)) return false;
      throw error;
    }
  }

  async listOpen(container: string): Promise<ExportCursor[]> {
    await this.ensureTable();
    const cursors: ExportCursor[] = [];
    const filter = odata`PartitionKey eq ${tableKey(container)} and Closed eq false`;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      cursors.push(cursorOf(this.table.tableName, entity));
    return cursors;
  }

  async remove(container: string, blobNames: readonly string[]): Promise<void> {
    await this.ensureTable();
    const partitionKey = tableKey(container);
    for (let start = 0; start < blobNames.length; start += 100) {
      const actions = blobNames
        .slice(start, start + 100)
        .map((name): TransactionAction => ['delete', { partitionKey, rowKey: tableKey(name) }]);
      try {
        await this.table.submitTransaction(actions);
      } catch (error) {
        // Some had no cursor: delete one by one, ignoring the missing.
        if (!isNotFound(error)) throw error;
        for (const [, entity] of actions) {
          await this.table.deleteEntity(entity.partitionKey, entity.rowKey).catch((e: unknown) => {
            if (!isNotFound(e)) throw e;
          });
        }
      }
    }
  }
}
