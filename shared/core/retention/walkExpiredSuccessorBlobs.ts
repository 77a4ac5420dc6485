import type { SuccessorBlobRef } from '../export/successorPath';
import type { RetentionPolicy } from './retentionPolicy';
import type { ListedBlob, RetentionStore } from './retentionStore';
import {
  classifySuccessorBlob,
  classifySuccessorPrefix,
  type SuccessorContainerRef,
} from './selectExpiredSuccessorFolders';

/** What the walk of one successor container found, in listing order. */
export type SuccessorWalkEvent =
  | { readonly kind: 'expired-prefix'; readonly prefix: string }
  | { readonly kind: 'candidate'; readonly blob: ListedBlob; readonly ref: SuccessorBlobRef }
  | { readonly kind: 'ignored'; readonly blobName: string; readonly reason: string };

/**
 * Walks a successor container resourceId= → resource id → y= → m= → d= → h= → m= with delimiter
 * listings and lists blobs only under expired folders, as walkExpiredBlobs does for the export
 * container. The resource-id folders are listed rather than assumed, since their case varies.
 */
export async function* walkExpiredSuccessorBlobs(
  store: RetentionStore,
  source: SuccessorContainerRef,
  policy: RetentionPolicy,
  now: Date,
): AsyncGenerator<SuccessorWalkEvent> {
  async function* level(prefix: string): AsyncGenerator<SuccessorWalkEvent> {
    for await (const entry of store.listLevel(prefix)) {
      // Blobs beside the folders of a level are outside the layout by position, so never candidates.
      if (entry.kind !== 'prefix') continue;
      const decision = classifySuccessorPrefix(source, entry.name, policy, now);
      if (decision.action === 'descend') yield* level(entry.name);
      if (decision.action === 'expired') {
        yield { kind: 'expired-prefix', prefix: entry.name };
        yield* expired(entry.name);
      }
    }
  }
  async function* expired(prefix: string): AsyncGenerator<SuccessorWalkEvent> {
    for await (const blob of store.listBlobs(prefix)) {
      const placed = classifySuccessorBlob(source, blob.name, policy, now);
      yield placed.ok
        ? { kind: 'candidate', blob, ref: placed.value }
        : { kind: 'ignored', blobName: blob.name, reason: placed.error };
    }
  }
  yield* level('');
}
