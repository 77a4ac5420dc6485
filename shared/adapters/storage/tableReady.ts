import type { TableClient } from '@azure/data-tables';

import { statusOf } from './tableKeys';

/** Creates the table unless it exists (409). */
export async function ensureTable(table: TableClient): Promise<void> {
  try {
    await table.createTable();
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
}

/**
 * `ensureTable` once per client, shared by concurrent callers; a failure is forgotten so the next
 * call tries again.
 */
export function tableReadiness(table: TableClient): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= ensureTable(table).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
