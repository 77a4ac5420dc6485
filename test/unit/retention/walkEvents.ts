import type { WalkEvent } from '../../../shared/core/retention/walkExpiredBlobs';
import type { SuccessorWalkEvent } from '../../../shared/core/retention/walkExpiredSuccessorBlobs';
import type { MemoryRetentionStore } from './memoryRetentionStore';

/**
 * A walk's events as one line each (`expired-prefix <prefix>`, `candidate <name>`, `ignored <name>: <reason>`),
 * so a test states the whole walk, in order, as literals.
 */
export async function eventLines(walk: AsyncIterable<WalkEvent | SuccessorWalkEvent>): Promise<string[]> {
  const lines: string[] = [];
  for await (const event of walk) {
    if (event.kind === 'expired-prefix') lines.push(`expired-prefix ${event.prefix}`);
    else if (event.kind === 'candidate') lines.push(`candidate ${event.blob.name}`);
    else lines.push(`ignored ${event.blobName}: ${event.reason}`);
  }
  return lines;
}

/** What a walk took from the store's listings: the blobs it pulled, and the listings it closed (in order). */
export interface ListingTrace {
  readonly pulledBlobs: string[];
  readonly closed: string[];
}

/** Records every blob a walk pulls out of `listBlobs` and every listing it closes, early or at its end. */
export function traceListings(store: MemoryRetentionStore): ListingTrace {
  const trace: ListingTrace = { pulledBlobs: [], closed: [] };
  const listLevel = store.listLevel.bind(store);
  const listBlobs = store.listBlobs.bind(store);
  store.listLevel = async function* (prefix: string) {
    try {
      yield* listLevel(prefix);
    } finally {
      trace.closed.push(`level '${prefix}'`);
    }
  };
  store.listBlobs = async function* (prefix: string) {
    try {
      for await (const blob of listBlobs(prefix)) {
        trace.pulledBlobs.push(blob.name);
        yield blob;
      }
    } finally {
      trace.closed.push(`blobs '${prefix}'`);
    }
  };
  return trace;
}
