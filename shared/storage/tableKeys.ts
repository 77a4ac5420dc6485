import { createHash } from 'node:crypto';

import { RestError } from '@azure/data-tables';

/**
 * Text made safe as a PartitionKey or RowKey: the Table service refuses `/ \ # ?` and control
 * characters, which blob names and rule ids may hold.
 */
export function tableKey(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A short, key-safe digest for values too long or too free-form to be keys themselves. */
export function digestKey(text: string, length = 22): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/** The HTTP status of a storage failure; Azurite leaves RestError.code empty, so status is what to branch on. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof RestError) return error.statusCode;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
