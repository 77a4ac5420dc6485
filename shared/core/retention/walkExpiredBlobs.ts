import type { ExportBlobRef } from '../export/parseExportPath';
import type { RetentionPolicy } from './retentionPolicy';
import type { ListedBlob, RetentionStore } from './retentionStore';
import { classifyBlob, classifyPrefix, type TypeFilter } from './selectExpiredPrefixes';

/** What the walk found, in listing order. */
export type WalkEvent =
  /** A date or hour folder whose every blob is past retention; its blobs follow. */
  | { readonly kind: 'expired-prefix'; readonly prefix: string }
  /** A blob to delete. */
  | { readonly kind: 'candidate'; readonly blob: ListedBlob; readonly ref: ExportBlobRef }
  /** A blob under an expired folder that is not itself an expired export blob: left alone. */
  | { readonly kind: 'ignored'; readonly blobName: string; readonly reason: string };

/**
 * Walks the container app → type → date (→ hour) with delimiter listings and lists blobs only under
 * expired folders, so the listing cost follows what is deleted, not what is kept. Lazy: the caller
 * stops the walk (and further listing) by leaving its loop.
 */
export async function* walkExpiredBlobs(
  store: RetentionStore,
  policy: RetentionPolicy,
  now: Date,
  types?: TypeFilter,
): AsyncGenerator<WalkEvent> {
  async function* level(prefix: string): AsyncGenerator<WalkEvent> {
    for await (const entry of store.listLevel(prefix)) {
      // Blobs beside the folders of a level are outside the layout by position, so never candidates.
      if (entry.kind !== 'prefix') continue;
      const decision = classifyPrefix(entry.name, policy, now, types);
      if (decision.action === 'descend') yield* level(entry.name);
      if (decision.action === 'expired') {
        yield { kind: 'expired-prefix', prefix: entry.name };
        yield* expired(entry.name);
      }
    }
  }
  async function* expired(prefix: string): AsyncGenerator<WalkEvent> {
    for await (const blob of store.listBlobs(prefix)) {
      const placed = classifyBlob(blob.name, policy, now, types);
      yield placed.ok
        ? { kind: 'candidate', blob, ref: placed.value }
        : { kind: 'ignored', blobName: blob.name, reason: placed.error };
    }
  }
  yield* level('');
}
