import type { TableClient } from '@azure/data-tables';

import { StorageBeingDeletedError } from '../../core/errors';
import { isBeingDeleted } from './storageFailure';

/**
 * NOTE: Azure refuses to re-create a deleted table for at least 30 seconds (409 TableBeingDeleted);
 * waiting out a minute covers that, and still leaves the invocation most of its time.
 */
export const BEING_DELETED_WAIT_MS = 5_000;
export const BEING_DELETED_TRIES = 12;

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the table unless it exists. The SDK's createTable already ignores 409 TableAlreadyExists;
 * a table still being deleted is waited for, and any other failure, another 409 included, is thrown.
 *
 * @throws StorageBeingDeletedError when the table is still being deleted after the wait
 */
export async function ensureTable(table: TableClient, pause: (ms: number) => Promise<void> = timer): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await table.createTable();
      return;
    } catch (error) {
      if (!isBeingDeleted(error)) throw error;
      if (attempt >= BEING_DELETED_TRIES) {
        throw new StorageBeingDeletedError(
          `table ${table.tableName} is still being deleted after ${(attempt * BEING_DELETED_WAIT_MS) / 1000} s ` +
            `(409 TableBeingDeleted): wait until the deletion ends, or point the app at another table`,
          { cause: error },
        );
      }
      await pause(BEING_DELETED_WAIT_MS);
    }
  }
}

/**
 * `ensureTable` once per client, shared by concurrent callers; a failure is forgotten so the next
 * call tries again.
 */
export function tableReadiness(table: TableClient, pause?: (ms: number) => Promise<void>): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= ensureTable(table, pause).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
