/** The storage the sweep needs, owned by the domain; `blobRetentionStore` implements it over Azure Blob. */
export interface RetentionStore {
  /** One level of the hierarchy under `prefix` ('/' delimiter): sub-folders and the blobs beside them. */
  listLevel(prefix: string): AsyncIterable<LevelEntry>;
  /** Every blob under `prefix`, at any depth, in name order. */
  listBlobs(prefix: string): AsyncIterable<ListedBlob>;
  /**
   * Deletes each blob with its snapshots, only if it still has the listed ETag. Never throws for a
   * blob's refusal; each blob gets exactly one outcome, in input order.
   * @param blobs - at most MAX_DELETES_PER_BATCH
   */
  deleteBlobs(blobs: readonly ListedBlob[]): Promise<readonly DeleteOutcome[]>;
}

export interface ListedBlob {
  readonly name: string;
  /** Content length in bytes, as listed. */
  readonly size: number;
  /** The version that was listed; a blob rewritten since is not deleted. */
  readonly etag: string | undefined;
}

export type LevelEntry = { readonly kind: 'prefix'; readonly name: string } | ({ readonly kind: 'blob' } & ListedBlob);

/** What happened to one blob a sweep asked to delete. */
export type DeleteOutcome =
  /** Deleted now, snapshots included. */
  | { readonly status: 'deleted' }
  /** Already gone: counts as done, since deleting is idempotent. */
  | { readonly status: 'gone' }
  /** Refused for a reason that needs no retry within this run: under lease, changed since listing, immutable. */
  | { readonly status: 'skipped'; readonly reason: string }
  /** Any other error; the next run lists the blob again. */
  | { readonly status: 'failed'; readonly reason: string };

/** NOTE: a Blob Batch request carries at most 256 sub-requests (the service and the SDK both enforce it). */
export const MAX_DELETES_PER_BATCH = 256;
