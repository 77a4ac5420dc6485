import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';

import { digestKey, tableKey } from '../shared/adapters/storage/tableKeys';
import { ensureTable } from '../shared/adapters/storage/tableReady';

/** What the local host did with one blob: the counterpart of the Functions host's blob receipt. */
export interface BlobReceipt {
  readonly blobName: string;
  /** The content the receipt is for; another etag is another version of the blob, processed anew. */
  readonly etag: string;
  /** `done`: the handler returned; `failed`: it threw and will be tried again; `poison`: given up. */
  readonly status: 'done' | 'failed' | 'poison';
  /** Invocations of this etag so far. */
  readonly attempts: number;
  readonly lastError?: string;
  /** ISO time of the last invocation. */
  readonly at: string;
}

/** Whether a listed blob needs an invocation, given its receipt: once per etag, failures up to the limit. */
export function needsInvocation(etag: string, receipt: BlobReceipt | undefined, maxAttempts: number): boolean {
  if (receipt === undefined || receipt.etag !== etag) return true;
  return receipt.status === 'failed' && receipt.attempts < maxAttempts;
}

/** Attempts the next invocation of `etag` is: 1 for new content, one more than before otherwise. */
export function nextAttempt(etag: string, receipt: BlobReceipt | undefined): number {
  return receipt !== undefined && receipt.etag === etag ? receipt.attempts + 1 : 1;
}

// NOTE: a key may hold 1 KiB and blob names 1,024 characters before encoding, so long names become a digest.
const MAX_KEY_LENGTH = 512;

/**
 * Receipts of one function and container in a table, one entity per blob name holding the etag last
 * seen, so they survive restarts the way the host's `azure-webjobs-hosts` receipts do. Kept in memory
 * after `load`: one local host owns its receipts.
 */
export class BlobReceipts {
  private readonly byName = new Map<string, BlobReceipt>();
  private readonly partition: string;

  constructor(
    private readonly table: TableClient,
    functionName: string,
    container: string,
  ) {
    this.partition = tableKey(`blobs/${functionName}/${container}`);
  }

  async load(): Promise<number> {
    await ensureTable(this.table);
    this.byName.clear();
    const entities = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${this.partition}` },
    });
    for await (const entity of entities) {
      const receipt = fromEntity(entity);
      if (receipt !== undefined) this.byName.set(receipt.blobName, receipt);
    }
    return this.byName.size;
  }

  get(blobName: string): BlobReceipt | undefined {
    return this.byName.get(blobName);
  }

  async record(receipt: BlobReceipt): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: this.partition,
        rowKey: rowKeyFor(receipt.blobName),
        BlobName: receipt.blobName,
        ETag: receipt.etag,
        Status: receipt.status,
        Attempts: receipt.attempts,
        LastError: (receipt.lastError ?? '').slice(0, 8_000),
        At: receipt.at,
      },
      'Replace',
    );
    this.byName.set(receipt.blobName, receipt);
  }
}

function rowKeyFor(blobName: string): string {
  const key = tableKey(blobName);
  return key.length <= MAX_KEY_LENGTH ? key : `sha256-${digestKey(blobName)}`;
}

function fromEntity(entity: Record<string, unknown>): BlobReceipt | undefined {
  const { BlobName, ETag, Status, Attempts, LastError, At } = entity;
  if (typeof BlobName !== 'string' || typeof ETag !== 'string' || typeof Attempts !== 'number') return undefined;
  if (Status !== 'done' && Status !== 'failed' && Status !== 'poison') return undefined;
  return {
    blobName: BlobName,
    etag: ETag,
    status: Status,
    attempts: Attempts,
    ...(typeof LastError === 'string' && LastError !== '' ? { lastError: LastError } : {}),
    at: typeof At === 'string' ? At : '',
  };
}
