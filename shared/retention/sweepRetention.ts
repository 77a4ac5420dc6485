import type { TelemetryType } from '../export/telemetryTypes';
import type { RetentionPolicy } from './retentionPolicy';
import { MAX_DELETES_PER_BATCH, type DeleteOutcome, type RetentionStore } from './retentionStore';
import { SweepTally, type BudgetLimit, type SweepReport } from './sweepSummary';
import { walkExpiredBlobs, type WalkEvent } from './walkExpiredBlobs';

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

export interface SweepDeps {
  readonly store: RetentionStore;
  /** Monotonic milliseconds (`performance.now`) for the time budget; tests pass a fake. */
  readonly stopwatch: () => number;
}

type Candidate = Extract<WalkEvent, { kind: 'candidate' }>;

/**
 * One retention run: walks only expired folders, deletes expired export blobs in batches with
 * several in flight, and stops at its budget; the next run picks up where the listing shows work
 * left, so a backlog clears over several runs. Deciding is by path alone; see classifyBlob.
 */
export async function sweepRetention(options: SweepOptions, deps: SweepDeps): Promise<SweepReport> {
  const started = deps.stopwatch();
  const tally = new SweepTally(options.dryRun);
  const inFlight = new Set<Promise<void>>();
  let chunk: Candidate[] = [];
  let submitted = 0;
  let reachedBy: BudgetLimit | undefined;

  const settle = (blobs: readonly Candidate[], outcomes: readonly DeleteOutcome[]) =>
    blobs.forEach((c, i) => tally.outcome(c.blob, c.ref, outcomes[i] ?? { status: 'failed', reason: 'the store returned no outcome' }));

  const deleteChunk = async (blobs: readonly Candidate[]) => {
    let outcomes: readonly DeleteOutcome[];
    try {
      outcomes = await deps.store.deleteBlobs(blobs.map((c) => c.blob));
    } catch (error) {
      // The store turns each blob's refusal into an outcome; a throw is the unexpected, for the chunk.
      const message = (error as { message?: unknown } | null)?.message;
      const reason = typeof message === 'string' ? message : String(error);
      outcomes = blobs.map(() => ({ status: 'failed', reason }));
    }
    settle(blobs, outcomes);
  };

  const flush = async () => {
    const blobs = chunk;
    chunk = [];
    if (blobs.length === 0) return;
    if (options.dryRun) return settle(blobs, blobs.map(() => ({ status: 'deleted' })));
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    const task: Promise<void> = deleteChunk(blobs).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  const types = options.types === undefined ? undefined : new Set(options.types);
  try {
    for await (const event of walkExpiredBlobs(deps.store, options.policy, options.now, types)) {
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
