import { at } from '../defined';
import type { TelemetryType } from '../export/telemetryTypes';
import type { RetentionPolicy } from './retentionPolicy';
import { type DeleteOutcome, type ListedBlob, MAX_DELETES_PER_BATCH, type RetentionStore } from './retentionStore';
import type { SuccessorContainerRef } from './selectExpiredSuccessorFolders';
import { type BudgetLimit, type SweepReport, SweepTally } from './sweepSummary';
import { walkExpiredBlobs } from './walkExpiredBlobs';
import { walkExpiredSuccessorBlobs } from './walkExpiredSuccessorBlobs';

export interface SweepOptions {
  readonly policy: RetentionPolicy;
  /** The clock retention is measured against. */
  readonly now: Date;
  /** Decide and report exactly as a real run would, but send no delete. */
  readonly dryRun: boolean;
  /** Blobs submitted for deletion per run, skipped and failed ones included. */
  readonly maxDeletes: number;
  /** No new listing or delete starts after this; deletes in flight finish. */
  readonly maxSeconds: number;
  /** Delete requests in flight at once. */
  readonly concurrency: number;
  /** Sweep only these types; all when absent. */
  readonly types?: readonly TelemetryType[];
}

/** A successor-format container and its storage. */
export interface SuccessorSource extends SuccessorContainerRef {
  readonly store: RetentionStore;
}

export interface SweepDeps {
  /** The export container (Continuous Export); absent when there is none, only successor containers. */
  readonly store?: RetentionStore;
  /** Monotonic milliseconds (`performance.now`) for the time budget; tests pass a fake. */
  readonly stopwatch: () => number;
  /** Successor-format containers, swept after the export container under the same budget. */
  readonly successors?: readonly SuccessorSource[];
  /**
   * Told the successor blobs each delete request removed (deleted now or already gone), so what is
   * kept per blob (the scanner's cursors) can go too. Not called in a dry run. A failure is reported
   * per blob (`hookFailed`) and the sweep goes on: the blobs are gone either way.
   */
  readonly onDeleted?: (container: string, blobNames: readonly string[]) => Promise<void>;
}

/** A blob chosen for deletion, with its store and what to tally once its outcome is known. */
interface Candidate {
  readonly store: RetentionStore;
  readonly blob: ListedBlob;
  /** The successor container, for onDeleted; undefined for the export container. */
  readonly successor: string | undefined;
  settle(outcome: DeleteOutcome): void;
}

type SweepEvent =
  | { readonly kind: 'expired-prefix'; readonly prefix: string }
  | { readonly kind: 'ignored'; readonly blobName: string; readonly reason: string }
  | ({ readonly kind: 'candidate' } & Candidate);

/**
 * One retention run: walks only expired folders, deletes expired export blobs in batches with
 * several in flight, and stops at its budget; the next run picks up where the listing shows work
 * left, so a backlog clears over several runs. The export container goes first, then each successor
 * container. Deciding is by path alone; see classifyBlob and classifySuccessorBlob.
 */
export async function sweepRetention(options: SweepOptions, deps: SweepDeps): Promise<SweepReport> {
  const started = deps.stopwatch();
  const tally = new SweepTally(options.dryRun);
  const inFlight = new Set<Promise<void>>();
  let chunk: Candidate[] = [];
  let submitted = 0;
  let reachedBy: BudgetLimit | undefined;

  const settle = (blobs: readonly Candidate[], outcomes: readonly DeleteOutcome[]) =>
    blobs.forEach((c, i) => c.settle(outcomes[i] ?? { status: 'failed', reason: 'the store returned no outcome' }));

  const tellDeleted = async (blobs: readonly Candidate[], outcomes: readonly DeleteOutcome[]) => {
    const container = blobs[0]?.successor;
    if (container === undefined || deps.onDeleted === undefined) return;
    const names = blobs
      .filter((_, i) => outcomes[i]?.status === 'deleted' || outcomes[i]?.status === 'gone')
      .map((c) => c.blob.name);
    if (names.length === 0) return;
    try {
      await deps.onDeleted(container, names);
    } catch (error) {
      const reason = `deleted, but onDeleted failed: ${messageOf(error)}`;
      for (const name of names) tally.problem('hookFailed', `${container}/${name}`, reason);
    }
  };

  const deleteChunk = async (blobs: readonly Candidate[]) => {
    let outcomes: readonly DeleteOutcome[];
    try {
      outcomes = await at(blobs, 0, 'delete chunk').store.deleteBlobs(blobs.map((c) => c.blob));
    } catch (error) {
      // The store turns each blob's refusal into an outcome; a throw is the unexpected, for the chunk.
      const reason = messageOf(error);
      outcomes = blobs.map(() => ({ status: 'failed', reason }));
    }
    settle(blobs, outcomes);
    await tellDeleted(blobs, outcomes);
  };

  const flush = async () => {
    const blobs = chunk;
    chunk = [];
    if (blobs.length === 0) return;
    if (options.dryRun)
      return settle(
        blobs,
        blobs.map(() => ({ status: 'deleted' })),
      );
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    const task: Promise<void> = deleteChunk(blobs).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  try {
    for await (const event of walkAll(options, deps, tally)) {
      if (deps.stopwatch() - started >= options.maxSeconds * 1000) {
        reachedBy = 'max-seconds';
        break;
      }
      if (event.kind === 'expired-prefix') {
        tally.expiredPrefix(event.prefix);
        continue;
      }
      tally.listed();
      if (event.kind === 'ignored') {
        tally.problem('ignored', event.blobName, event.reason);
        continue;
      }
      if (submitted >= options.maxDeletes) {
        reachedBy = 'max-deletes';
        break;
      }
      submitted++;
      // A batch goes to one container, so a new container starts a new chunk.
      if (chunk.length > 0 && chunk[0]?.store !== event.store) await flush();
      chunk.push(event);
      if (chunk.length === MAX_DELETES_PER_BATCH) await flush();
    }
    // Blobs already chosen within budget are deleted even when time ran out: at most one batch.
    await flush();
  } finally {
    while (inFlight.size > 0) await Promise.race(inFlight);
  }
  const budget = { maxDeletes: options.maxDeletes, maxSeconds: options.maxSeconds, reachedBy };
  return tally.report(options.now, budget, deps.stopwatch() - started);
}

/** The export container's walk, then each successor container's, as one stream of events. */
async function* walkAll(options: SweepOptions, deps: SweepDeps, tally: SweepTally): AsyncGenerator<SweepEvent> {
  const types = options.types === undefined ? undefined : new Set(options.types);
  const store = deps.store;
  if (store !== undefined) {
    for await (const event of walkExpiredBlobs(store, options.policy, options.now, types)) {
      if (event.kind !== 'candidate') yield event;
      else
        yield {
          kind: 'candidate',
          store,
          blob: event.blob,
          successor: undefined,
          settle: (o) => tally.outcome(event.blob, event.ref, o),
        };
    }
  }
  for (const source of deps.successors ?? []) {
    tally.successorContainer(source.container);
    for await (const event of walkExpiredSuccessorBlobs(source.store, source, options.policy, options.now)) {
      if (event.kind === 'expired-prefix')
        yield { kind: 'expired-prefix', prefix: `${source.container}/${event.prefix}` };
      else if (event.kind === 'ignored') yield { ...event, blobName: `${source.container}/${event.blobName}` };
      else {
        const { blob, ref } = event;
        yield {
          kind: 'candidate',
          store: source.store,
          blob,
          successor: source.container,
          settle: (o) => tally.successorOutcome(source.container, blob, ref, o),
        };
      }
    }
  }
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
