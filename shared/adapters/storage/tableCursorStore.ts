import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type { CursorStore, StoredCursor } from '../../core/cursors/cursorStore';
import type { ExportCursor } from '../../core/cursors/exportCursor';
import { statusOf, tableKey } from './tableKeys';
import { tableReadiness } from './tableReady';

/**
 * Cursors on Table Storage: one partition per container, one entity per blob. Writes are conditional
 * on the entity's ETag (or insert-only), so of two scanners only one claims a range.
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
      return { cursor: fromEntity(entity), version: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async put(cursor: ExportCursor, expected: string | undefined): Promise<boolean> {
    await this.ensureTable();
    const entity = toEntity(cursor);
    try {
      if (expected === undefined) await this.table.createEntity(entity);
      else await this.table.updateEntity(entity, 'Replace', { etag: expected });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }

  async listOpen(container: string): Promise<ExportCursor[]> {
    await this.ensureTable();
    const cursors: ExportCursor[] = [];
    const filter = odata`PartitionKey eq ${tableKey(container)} and Closed eq false`;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      cursors.push(fromEntity(entity));
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
        if (statusOf(error) !== 404) throw error;
        for (const [, entity] of actions) {
          await this.table.deleteEntity(entity.partitionKey, entity.rowKey).catch((e: unknown) => {
            if (statusOf(e) !== 404) throw e;
          });
        }
      }
    }
  }
}

function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}

function toEntity(cursor: ExportCursor): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: tableKey(cursor.container),
    rowKey: tableKey(cursor.blobName),
    Container: cursor.container,
    Blob: cursor.blobName,
    Offset: int64(cursor.offset),
    Lines: int64(cursor.lines),
    CreatedOn: int64(cursor.createdOn),
    Closed: cursor.closed,
    UpdatedAt: new Date(cursor.updatedAt),
    ...(cursor.claim === undefined
      ? {}
      : {
          ClaimFrom: int64(cursor.claim.from),
          ClaimTo: int64(cursor.claim.to),
          ClaimLines: int64(cursor.claim.lines),
          ClaimUntil: int64(cursor.claim.until),
          ClaimOwner: cursor.claim.owner,
        }),
  };
}

function fromEntity(entity: Record<string, unknown>): ExportCursor {
  const number = (name: string): number => {
    const raw = entity[name];
    const value =
      typeof raw === 'bigint'
        ? Number(raw)
        : typeof raw === 'number'
          ? raw
          : Number((raw as { value?: unknown } | undefined)?.value ?? raw);
    if (!Number.isFinite(value)) throw new Error(`cursor ${String(entity['Blob'])}: ${name} is not a number`);
    return value;
  };
  const updatedAt = entity['UpdatedAt'];
  const hasClaim = entity['ClaimFrom'] !== undefined && entity['ClaimFrom'] !== null;
  return {
    container: String(entity['Container']),
    blobName: String(entity['Blob']),
    offset: number('Offset'),
    lines: number('Lines'),
    createdOn: number('CreatedOn'),
    closed: entity['Closed'] === true,
    updatedAt: updatedAt instanceof Date ? updatedAt.getTime() : Date.parse(String(updatedAt)),
    ...(hasClaim
      ? {
          claim: {
            from: number('ClaimFrom'),
            to: number('ClaimTo'),
            lines: number('ClaimLines'),
            until: number('ClaimUntil'),
            owner: String(entity['ClaimOwner']),
          },
        }
      : {}),
  };
}
