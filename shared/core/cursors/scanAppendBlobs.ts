import { describeError } from '../describeError';
import type { Logger } from '../logger';
import { completeLines } from './completeLines';
import type { CursorStore } from './cursorStore';
import { type AppendBlobInfo, type ExportCursor, nextStep, type RangeClaim } from './exportCursor';

/** Where the append blobs are: listing and ranged reads. */
export interface AppendBlobSource {
  /**
   * The blobs of a container that may hold unread bytes: those of the current and the previous
   * period folders, and those the open cursors name. Never the container's whole history.
   */
  list(container: string, now: number, open: readonly ExportCursor[]): AsyncIterable<AppendBlobInfo>;
  read(container: string, blobName: string, offset: number, count: number): AsyncIterable<Uint8Array>;
}

/** One byte range to process: its complete lines, and the delivery version once they were read. */
export interface LogRange {
  readonly blob: AppendBlobInfo;
  readonly from: number;
  /** 1-based line of the range's first byte. */
  readonly firstLine: number;
  readonly content: AsyncIterable<Uint8Array>;
  /** `bytes=<from>-<end>`: call after `content` is read; the same for whoever reads the claimed range. */
  readonly version: () => string;
}

export type RangeOutcome =
  | { readonly ok: true; readonly records: number; readonly emails: number }
  | { readonly ok: false; readonly error: string };

export interface ScanDeps {
  readonly containers: readonly string[];
  readonly source: AppendBlobSource;
  readonly store: CursorStore;
  /** Reads, evaluates and delivers one range; throws or returns ok:false to have the range tried again. */
  readonly process: (range: LogRange) => Promise<RangeOutcome>;
  /** When a blob can no longer grow; undefined for a blob outside the successor layouts (ignored). */
  readonly growsUntil: (blob: AppendBlobInfo) => number | undefined;
  readonly now: () => number;
  /** Names this scanner in claims. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly maxRangeBytes: number;
  /** A line longer than this is passed on for the reader to report, not held. */
  readonly maxLineBytes: number;
  /** Time one scan may spend; the rest waits for the next scan. */
  readonly budgetMs: number;
  readonly logger: Logger;
}

export interface ScanSummary {
  blobs: number;
  ranges: number;
  bytes: number;
  records: number;
  emails: number;
  restarted: number;
  closed: number;
  busy: number;
  ignored: number;
  failed: number;
  /** Blobs left for the next scan: the time budget ran out. */
  deferred: number;
}

/**
 * The timer's use case for append blobs: per blob, claim the next range with a conditional write,
 * read it with a ranged download, process its complete lines, and commit the offset after the range's
 * alerts were applied. A crash anywhere leaves a claim that the next scan takes over, with the same
 * range and so the same delivery key: the alert book keeps it from alerting twice.
 */
export async function scanAppendBlobs(deps: ScanDeps): Promise<ScanSummary> {
  const summary: ScanSummary = {
    blobs: 0,
    ranges: 0,
    bytes: 0,
    records: 0,
    emails: 0,
    restarted: 0,
    closed: 0,
    busy: 0,
    ignored: 0,
    failed: 0,
    deferred: 0,
  };
  const started = deps.now();
  for (const container of deps.containers) {
    try {
      const open = await deps.store.listOpen(container);
      for await (const blob of deps.source.list(container, started, open)) {
        summary.blobs++;
        if (deps.now() - started > deps.budgetMs) {
          summary.deferred++;
          continue;
        }
        try {
          await followBlob(blob, deps, summary);
        } catch (error) {
          summary.failed++;
          deps.logger.error(
            `append blob ${container}/${blob.name}: ${describeError(error)}; tried again on the next scan`,
          );
        }
      }
    } catch (error) {
      // One container that cannot be listed must not stop the others.
      summary.failed++;
      deps.logger.error(`container ${container}: ${describeError(error)}; tried again on the next scan`);
    }
  }
  return summary;
}

async function followBlob(blob: AppendBlobInfo, deps: ScanDeps, summary: ScanSummary): Promise<void> {
  const growsUntil = deps.growsUntil(blob);
  if (growsUntil === undefined) {
    summary.ignored++;
    return;
  }
  // A range must hold a whole line of the longest length the reader takes, or one too long for it
  // (passed on as such): else a range without a newline would never move the cursor.
  const maxRangeBytes = Math.max(deps.maxRangeBytes, deps.maxLineBytes + 1);
  // NOTE: one blob may need several ranges (a long backlog); each is claimed and committed on its own.
  for (;;) {
    const stored = await deps.store.get(blob.container, blob.name);
    const now = deps.now();
    const step = nextStep(stored?.cursor, blob, {
      now,
      owner: deps.owner,
      leaseMs: deps.leaseMs,
      maxRangeBytes,
      growsUntil,
    });
    if (step.kind === 'skip') {
      if (step.why === 'busy') summary.busy++;
      return;
    }
    const base: ExportCursor = stored?.cursor ?? {
      container: blob.container,
      blobName: blob.name,
      offset: 0,
      lines: 0,
      createdOn: blob.createdOn,
      closed: false,
      updatedAt: now,
    };
    if (step.kind === 'close') {
      if (await deps.store.put({ ...base, closed: true, updatedAt: now }, stored?.version)) summary.closed++;
      return;
    }
    if (step.restarted) {
      summary.restarted++;
      deps.logger.warn(
        `append blob ${blob.container}/${blob.name} was re-created (shorter than its cursor or another creation time): reading it again from the start`,
      );
    }
    const cursor: ExportCursor = step.restarted
      ? { ...base, offset: 0, lines: 0, createdOn: blob.createdOn, claim: step.claim, updatedAt: now }
      : { ...base, claim: step.claim, updatedAt: now };
    if (!(await deps.store.put(cursor, stored?.version))) {
      summary.busy++;
      return;
    }
    const done = await readRange(blob, step.claim, growsUntil, deps, summary);
    if (!done) return;
  }
}

/** Reads and processes one claimed range, then commits; true when more may follow at once. */
async function readRange(
  blob: AppendBlobInfo,
  claim: RangeClaim,
  growsUntil: number,
  deps: ScanDeps,
  summary: ScanSummary,
): Promise<boolean> {
  const finished = deps.now() > growsUntil && claim.to === blob.length;
  const lines = completeLines(deps.source.read(blob.container, blob.name, claim.from, claim.to - claim.from), {
    flushTail: finished,
    maxHeldBytes: deps.maxLineBytes,
  });
  let outcome: RangeOutcome;
  try {
    outcome = await deps.process({
      blob,
      from: claim.from,
      firstLine: claim.lines + 1,
      content: lines.chunks,
      version: () => `bytes=${claim.from}-${claim.from + lines.progress.bytes}`,
    });
  } catch (error) {
    outcome = { ok: false, error: describeError(error) };
  }
  const now = deps.now();
  const current = await deps.store.get(blob.container, blob.name);
  if (current === undefined || current.cursor.claim?.owner !== deps.owner || current.cursor.claim.from !== claim.from) {
    // Our lease lapsed and another scanner took the range over: it commits it.
    return false;
  }
  if (!outcome.ok) {
    summary.failed++;
    deps.logger.error(
      `append blob ${blob.container}/${blob.name} bytes ${claim.from}-${claim.to}: ${outcome.error}; the range is tried again on the next scan`,
    );
    // Ending the lease lets the next scan take the same range over at once.
    await deps.store.put({ ...current.cursor, claim: { ...claim, until: now }, updatedAt: now }, current.version);
    return false;
  }
  summary.ranges++;
  summary.bytes += lines.progress.bytes;
  summary.records += outcome.records;
  summary.emails += outcome.emails;
  const { claim: _done, ...rest } = current.cursor;
  const committed: ExportCursor = {
    ...rest,
    offset: claim.from + lines.progress.bytes,
    lines: claim.lines + lines.progress.lines,
    updatedAt: now,
  };
  if (!(await deps.store.put(committed, current.version))) return false;
  // A range cut at maxRangeBytes, with whole lines in it: read on.
  return lines.progress.bytes > 0 && claim.to < blob.length;
}
