import type { ExportCursor } from '../../core/cursors/exportCursor';
import { EntityReader, type StoredEntity, VERSION_PROPERTY } from './storedEntity';
import { tableKey } from './tableKeys';

/** The shape of a cursor entity this build writes; version 1 is the shape from before the property existed. */
export const CURSOR_ENTITY_VERSION = 1;

function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}

export function cursorEntity(cursor: ExportCursor): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: tableKey(cursor.container),
    rowKey: tableKey(cursor.blobName),
    [VERSION_PROPERTY]: CURSOR_ENTITY_VERSION,
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

/** @throws StoredStateError naming the first property that is missing or malformed */
export function cursorOf(table: string, entity: StoredEntity): ExportCursor {
  const r = new EntityReader(table, entity, CURSOR_ENTITY_VERSION);
  const hasClaim = entity['ClaimFrom'] !== undefined && entity['ClaimFrom'] !== null;
  return {
    container: r.text('Container'),
    blobName: r.text('Blob'),
    offset: r.integer('Offset'),
    lines: r.integer('Lines'),
    createdOn: r.integer('CreatedOn'),
    closed: r.flag('Closed'),
    updatedAt: r.time('UpdatedAt'),
    ...(hasClaim
      ? {
          claim: {
            from: r.integer('ClaimFrom'),
            to: r.integer('ClaimTo'),
            lines: r.integer('ClaimLines'),
            until: r.integer('ClaimUntil'),
            owner: r.text('ClaimOwner'),
          },
        }
      : {}),
  };
}
