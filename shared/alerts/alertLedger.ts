import type { TableClient } from '@azure/data-tables';

import { statusOf, tableKey } from '../storage/tableKeys';
import { tableReadiness } from '../storage/tableReady';

/** What the ledger knows of one alert: which rule, group and blob it belongs to. */
export interface LedgerEntry {
  readonly ledgerKey: string;
  readonly ruleKey: string;
  readonly group: string;
  readonly blobName: string;
  readonly blobETag: string;
}

export type ClaimResult =
  /** This invocation may send; `attempt` counts sends tried for this alert, this one included. */
  | { readonly kind: 'claimed'; readonly attempt: number }
  /** The e-mail went out already: do not send again. */
  | { readonly kind: 'sent' }
  /** Another invocation holds an unexpired claim and is sending right now. */
  | { readonly kind: 'busy'; readonly leaseUntil: number };

/**
 * Exactly-once bookkeeping of alert e-mails. A claim is a conditional insert, so of several
 * invocations delivering the same blob only one sends; a claim left by a crashed invocation can be
 * taken over once its lease has expired.
 */
export interface AlertLedger {
  claim(entry: LedgerEntry, now: number, leaseMs: number): Promise<ClaimResult>;
  markSent(entry: LedgerEntry, now: number, messageIds: readonly string[], provider: string): Promise<void>;
  markFailed(entry: LedgerEntry, now: number, error: string): Promise<void>;
}

type Status = 'sending' | 'sent' | 'failed';

interface LedgerEntity {
  partitionKey: string;
  rowKey: string;
  Status: Status;
  LeaseUntil: number;
  Attempts: number;
  Rule: string;
  Group: string;
  Blob: string;
  BlobETag: string;
  ClaimedAt: string;
  SentAt?: string;
  MessageIds?: string;
  Provider?: string;
  LastError?: string;
}

const MAX_ROUNDS = 10;

export class TableAlertLedger implements AlertLedger {
  private readonly ensureTable: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ensureTable = tableReadiness(table);
  }

  async claim(entry: LedgerEntry, now: number, leaseMs: number): Promise<ClaimResult> {
    await this.ensureTable();
    const keys = keysOf(entry);
    const fresh: LedgerEntity = {
      ...keys,
      Status: 'sending',
      LeaseUntil: now + leaseMs,
      Attempts: 1,
      Rule: entry.ruleKey,
      Group: entry.group.slice(0, 1024),
      Blob: entry.blobName,
      BlobETag: entry.blobETag,
      ClaimedAt: new Date(now).toISOString(),
    };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        await this.table.createEntity(toTable(fresh));
        return { kind: 'claimed', attempt: 1 };
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      const existing = await this.read(keys.partitionKey, keys.rowKey);
      if (!existing) continue;
      const { entity, etag } = existing;
      if (entity.Status === 'sent') return { kind: 'sent' };
      if (entity.Status === 'sending' && entity.LeaseUntil > now) return { kind: 'busy', leaseUntil: entity.LeaseUntil };
      // A failed send, or a claim whose holder died: take it over, unless someone else just did.
      const attempt = entity.Attempts + 1;
      try {
        await this.table.updateEntity(
          toTable({ ...entity, Status: 'sending', LeaseUntil: now + leaseMs, Attempts: attempt, ClaimedAt: new Date(now).toISOString() }),
          'Replace',
          { etag },
        );
        return { kind: 'claimed', attempt };
      } catch (error) {
        if (statusOf(error) !== 412) throw error;
      }
    }
    throw new Error(`alert ${entry.ledgerKey}: the ledger entry kept changing while claiming it`);
  }

  async markSent(entry: LedgerEntry, now: number, messageIds: readonly string[], provider: string): Promise<void> {
    await this.table.updateEntity(
      { ...keysOf(entry), Status: 'sent', SentAt: new Date(now).toISOString(), MessageIds: messageIds.join(' ').slice(0, 4000), Provider: provider, LastError: '' },
      'Merge',
    );
  }

  async markFailed(entry: LedgerEntry, now: number, error: string): Promise<void> {
    // Ending the lease lets the host's retry of the blob claim the alert again at once.
    await this.table.updateEntity({ ...keysOf(entry), Status: 'failed', LeaseUntil: now, LastError: error.slice(0, 8000) }, 'Merge');
  }

  private async read(partitionKey: string, rowKey: string): Promise<{ entity: LedgerEntity; etag: string } | undefined> {
    try {
      const got = await this.table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { entity: fromTable(got), etag: got.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}

function keysOf(entry: LedgerEntry): { partitionKey: string; rowKey: string } {
  return { partitionKey: tableKey(entry.ruleKey), rowKey: entry.ledgerKey };
}

// LeaseUntil is epoch ms, beyond Int32: stored as Int64 so Storage Explorer shows a number.
function toTable(entity: LedgerEntity): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return { ...entity, LeaseUntil: { value: String(entity.LeaseUntil), type: 'Int64' } };
}

function fromTable(raw: Record<string, unknown>): LedgerEntity {
  const lease = raw['LeaseUntil'];
  const leaseUntil = typeof lease === 'number' ? lease : Number((lease as { value?: unknown } | undefined)?.value ?? lease ?? 0);
  return { ...(raw as unknown as LedgerEntity), LeaseUntil: leaseUntil, Attempts: Number(raw['Attempts'] ?? 1) };
}
