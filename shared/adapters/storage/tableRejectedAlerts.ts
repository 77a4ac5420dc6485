import type { TableClient } from '@azure/data-tables';

import type { RejectedAlert } from '../../core/health/collectDigest';
import { isNotFound } from './storageFailure';

/** Only these come back: never a stored e-mail (up to 400,000 characters a record). */
const SELECT = ['PartitionKey', 'RowKey', 'Rule', 'Blob', 'LeaseUntil', 'LastError'];
/** The health e-mails' own ledgers: a refused digest is logged, not put in the next digest (it would be refused too). */
const HEALTH_PREFIX = '#health/';

/**
 * The alerts that will never be sent, refused or given up in `(after, upTo]`, newest first, at most
 * `limit` of them, and how many there were. A record is final once `rejected`, and the alert book
 * ends its lease when it records the refusal or the giving up (`markFailed`: LeaseUntil = that
 * time, by the app's clock), so the time filter is a property the service evaluates, and memory
 * stays at the limit whatever the table holds.
 */
export async function listRejectedAlerts(
  table: TableClient,
  after: number,
  upTo: number,
  limit: number,
): Promise<{ alerts: RejectedAlert[]; total: number }> {
  const filter =
    `Kind eq 'record' and Status eq 'rejected' and ` +
    `LeaseUntil gt ${Math.trunc(after)}L and LeaseUntil le ${Math.trunc(upTo)}L`;
  const newest: RejectedAlert[] = [];
  let total = 0;
  try {
    for await (const entity of table.listEntities<Record<string, unknown>>({
      queryOptions: { filter, select: SELECT },
    })) {
      const rule = typeof entity['Rule'] === 'string' ? entity['Rule'] : '';
      if (rule.startsWith(HEALTH_PREFIX)) continue;
      total++;
      newest.push({
        rule,
        recordKey: entity.rowKey ?? '',
        blob: typeof entity['Blob'] === 'string' ? entity['Blob'] : '',
        at: numberOf(entity['LeaseUntil']),
        error: typeof entity['LastError'] === 'string' ? entity['LastError'] : '',
      });
      if (newest.length > 2 * limit) trim(newest, limit);
    }
  } catch (error) {
    // No table yet: no alert was ever recorded.
    if (!isNotFound(error)) throw error;
  }
  trim(newest, limit);
  return { alerts: newest, total };
}

function trim(alerts: RejectedAlert[], limit: number): void {
  alerts.sort((a, b) => b.at - a.at || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  alerts.length = Math.min(alerts.length, limit);
}

function numberOf(value: unknown): number {
  const raw = value !== null && typeof value === 'object' && 'value' in value ? value.value : value;
  const n = typeof raw === 'bigint' ? Number(raw) : Number(raw);
  return Number.isFinite(n) ? n : 0;
}
