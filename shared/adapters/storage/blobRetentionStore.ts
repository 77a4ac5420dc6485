import {
  BlobBatch,
  type BlobDeleteOptions,
  type BlobItem,
  type ContainerClient,
  isRestError,
} from '@azure/storage-blob';

import { at } from '../../core/defined';
import { describeError } from '../../core/describeError';
import { type Logger, silentLogger } from '../../core/logger';
import type { DeleteOutcome, LevelEntry, ListedBlob, RetentionStore } from '../../core/retention/retentionStore';
import { describeStorageFailure } from './storageFailure';

export interface BlobRetentionStoreOptions {
  /** Told once when Blob Batch turns out to be unavailable. */
  readonly logger?: Logger;
  /** Single deletes in flight per chunk once batch is unavailable. */
  readonly singleDeleteConcurrency?: number;
}

// NOTE: 5,000 is the service's maximum page: fewer list requests per listed blob.
const PAGE_SIZE = 5_000;
/** Statuses of the batch request itself that mean 'no Blob Batch here' rather than 'this batch failed'. */
const BATCH_UNSUPPORTED = new Set([400, 404, 405, 501]);

/**
 * The sweep's storage over one container. Deletes go out as Blob Batch requests and fall back to one
 * request per blob, for the rest of the run, where the endpoint does not support batch.
 */
export function blobRetentionStore(
  container: ContainerClient,
  options: BlobRetentionStoreOptions = {},
): RetentionStore {
  const logger = options.logger ?? silentLogger;
  const singleConcurrency = options.singleDeleteConcurrency ?? 8;
  let batchAvailable = true;

  const deleteOptions = (blob: ListedBlob): BlobDeleteOptions => ({
    deleteSnapshots: 'include',
    ...(blob.etag === undefined ? {} : { conditions: { ifMatch: blob.etag } }),
  });

  async function deleteInBatch(blobs: readonly ListedBlob[]): Promise<(DeleteOutcome | 'recheck')[] | undefined> {
    const batch = new BlobBatch();
    for (const blob of blobs) await batch.deleteBlob(container.getBlobClient(blob.name), deleteOptions(blob));
    let subResponses;
    try {
      subResponses = (await container.getBlobBatchClient().submitBatch(batch)).subResponses;
    } catch (error) {
      if (isRestError(error) && error.statusCode !== undefined && BATCH_UNSUPPORTED.has(error.statusCode)) {
        batchAvailable = false;
        logger.warn(
          `Blob Batch is unavailable (${error.statusCode} ${error.code ?? ''}): deleting one blob per request for the rest of this run`,
        );
        return undefined;
      }
      return blobs.map(() => ({ status: 'failed', reason: `batch request failed: ${describe(error)}` }));
    }
    // NOTE: a batch the service rejects as a whole comes back 202 with one sub-response and no Content-ID.
    if (subResponses.length !== blobs.length) {
      const lone = subResponses.find((s) => s !== undefined);
      return blobs.map(() => ({
        status: 'failed',
        reason: `batch rejected as a whole: ${lone?.status ?? '?'} ${lone?.errorCode ?? ''}`.trim(),
      }));
    }
    return subResponses.map((sub) =>
      sub === undefined
        ? { status: 'failed', reason: 'no sub-response for this blob' }
        : outcomeOf(sub.status, sub.errorCode),
    );
  }

  async function deleteOne(blob: ListedBlob): Promise<DeleteOutcome | 'recheck'> {
    try {
      await container.getBlobClient(blob.name).delete(deleteOptions(blob));
      return { status: 'deleted' };
    } catch (error) {
      if (isRestError(error) && error.statusCode !== undefined) return outcomeOf(error.statusCode, error.code);
      return { status: 'failed', reason: describe(error) };
    }
  }

  // NOTE: a conditional delete of a blob that is already gone fails the If-Match (412 ConditionNotMet),
  // just like one of a blob rewritten since listing; one existence check tells them apart.
  async function recheck(blob: ListedBlob): Promise<DeleteOutcome> {
    try {
      return (await container.getBlobClient(blob.name).exists())
        ? { status: 'skipped', reason: 'changed since it was listed (ConditionNotMet)' }
        : { status: 'gone' };
    } catch (error) {
      return { status: 'failed', reason: `ConditionNotMet, then ${describe(error)}` };
    }
  }

  return {
    async *listLevel(prefix: string): AsyncIterable<LevelEntry> {
      for await (const page of container.listBlobsByHierarchy('/', { prefix }).byPage({ maxPageSize: PAGE_SIZE })) {
        for (const folder of page.segment.blobPrefixes ?? []) yield { kind: 'prefix', name: folder.name };
        for (const item of page.segment.blobItems) yield { kind: 'blob', ...listed(item) };
      }
    },
    async *listBlobs(prefix: string): AsyncIterable<ListedBlob> {
      for await (const page of container.listBlobsFlat({ prefix }).byPage({ maxPageSize: PAGE_SIZE })) {
        for (const item of page.segment.blobItems) yield listed(item);
      }
    },
    async deleteBlobs(blobs: readonly ListedBlob[]): Promise<readonly DeleteOutcome[]> {
      const first = batchAvailable && blobs.length > 1 ? await deleteInBatch(blobs) : undefined;
      const outcomes = first ?? (await mapLimited(blobs, singleConcurrency, deleteOne));
      return mapLimited(blobs, singleConcurrency, async (blob, i) => {
        const outcome = outcomes[i] ?? { status: 'failed', reason: 'no outcome' };
        return outcome === 'recheck' ? recheck(blob) : outcome;
      });
    },
  };
}

function listed(item: BlobItem): ListedBlob {
  return { name: item.name, size: item.properties.contentLength ?? 0, etag: item.properties.etag };
}

function outcomeOf(status: number, code: string | undefined): DeleteOutcome | 'recheck' {
  if (status >= 200 && status < 300) return { status: 'deleted' };
  if (status === 404) return { status: 'gone' };
  if (status === 412 && code === 'ConditionNotMet') return 'recheck';
  if (status === 409 || status === 412) return { status: 'skipped', reason: skipReason(code ?? String(status)) };
  return { status: 'failed', reason: `${status} ${code ?? ''}`.trim() };
}

function skipReason(code: string): string {
  if (code.startsWith('LeaseId') || code.startsWith('Lease')) return `under lease (${code})`;
  if (code.startsWith('BlobImmutable')) return `immutable (${code})`;
  return code;
}

function describe(error: unknown): string {
  return describeStorageFailure(error) ?? describeError(error);
}

/** Runs `work` over `items` with at most `limit` in flight; results keep input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(at(items, index, 'items'), index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
