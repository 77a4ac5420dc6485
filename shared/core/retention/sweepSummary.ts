import type { ExportBlobRef } from '../export/parseExportPath';
import type { SuccessorBlobRef, SuccessorFormat } from '../export/successorPath';
import type { TelemetryType } from '../export/telemetryTypes';
import type { WorkspaceTableName } from '../export/workspaceTables';
import type { DeleteOutcome, ListedBlob } from './retentionStore';

/** A sweep that did nothing because its settings or container are unusable. */
export interface RefusedSweep {
  readonly status: 'refused';
  readonly problems: readonly string[];
}

/** What one sweep run found and did; the function logs it and returns it. */
export interface SweepReport {
  /** `budget-reached`: more expired blobs remain; the next run continues. */
  readonly status: 'completed' | 'budget-reached';
  readonly dryRun: boolean;
  /** The clock retention was measured against (ISO). */
  readonly now: string;
  /** Date and hour folders found wholly expired, in walk order. */
  readonly expiredPrefixes: readonly string[];
  /** Blobs listed under expired folders: the listing cost of the run. */
  readonly listedBlobs: number;
  /** Deleted now (in a dry run: would be deleted), per `<app>_<ikey>` folder and type. */
  readonly deleted: DeletedTotals;
  /** Dry run only: every export-container blob a real run would delete, in order; empty otherwise. */
  readonly wouldDelete: readonly string[];
  /** Dry run only: the same for the successor containers, with the container of each blob. */
  readonly wouldDeleteSuccessor: readonly SuccessorBlobName[];
  /** Successor-format containers swept after the export container, in order. */
  readonly successorContainers: readonly string[];
  /** Under lease, changed since listing or immutable: left for the next run. */
  readonly skipped: BlobProblems;
  /** Refused for any other reason: left for the next run. */
  readonly failed: BlobProblems;
  /** Under an expired folder but not an expired export blob (outside the layout): never deleted. */
  readonly ignored: BlobProblems;
  /** Deleted, but the onDeleted hook failed for them (their cursors may remain). */
  readonly hookFailed: BlobProblems;
  readonly budget: {
    readonly maxDeletes: number;
    readonly maxSeconds: number;
    readonly reachedBy: BudgetLimit | undefined;
  };
  readonly elapsedMs: number;
}

export type SweepSummary = SweepReport | RefusedSweep;
export type BudgetLimit = 'max-deletes' | 'max-seconds';

export interface DeletedTotals {
  readonly blobs: number;
  readonly bytes: number;
  /** Already gone when deleted (404): done, and not counted in `blobs`. */
  readonly alreadyGone: number;
  readonly byFolderType: readonly FolderTypeTotals[];
  /** Successor-format blobs, per container. */
  readonly bySuccessorContainer: readonly SuccessorContainerTotals[];
}

export interface SuccessorContainerTotals {
  readonly container: string;
  readonly format: SuccessorFormat;
  readonly table: WorkspaceTableName;
  readonly blobs: number;
  readonly bytes: number;
}

export interface SuccessorBlobName {
  readonly container: string;
  readonly blobName: string;
}

export interface FolderTypeTotals {
  readonly folder: string;
  readonly type: TelemetryType;
  readonly blobs: number;
  readonly bytes: number;
}

export interface BlobProblems {
  readonly count: number;
  /** The first MAX_EXAMPLES, so one summary stays readable when thousands fail alike. */
  readonly examples: readonly BlobProblem[];
}

export interface BlobProblem {
  readonly blobName: string;
  readonly reason: string;
}

export const MAX_EXAMPLES = 100;

export function refusedSweep(problems: readonly string[]): RefusedSweep {
  return { status: 'refused', problems };
}

/** Accumulates a run's findings as the walk and the deletes report them. */
export class SweepTally {
  private readonly expiredPrefixes: string[] = [];
  private readonly wouldDelete: string[] = [];
  private readonly byFolderType = new Map<
    string,
    { folder: string; type: TelemetryType; blobs: number; bytes: number }
  >();
  private readonly bySuccessor = new Map<
    string,
    { container: string; format: SuccessorFormat; table: WorkspaceTableName; blobs: number; bytes: number }
  >();
  private readonly wouldDeleteSuccessor: SuccessorBlobName[] = [];
  private readonly successorContainers: string[] = [];
  private readonly problems = {
    skipped: newProblems(),
    failed: newProblems(),
    ignored: newProblems(),
    hookFailed: newProblems(),
  };
  private listedBlobs = 0;
  private alreadyGone = 0;

  constructor(private readonly dryRun: boolean) {}

  expiredPrefix(prefix: string): void {
    this.expiredPrefixes.push(prefix);
  }

  listed(): void {
    this.listedBlobs++;
  }

  successorContainer(container: string): void {
    this.successorContainers.push(container);
  }

  problem(kind: 'skipped' | 'failed' | 'ignored' | 'hookFailed', blobName: string, reason: string): void {
    const list = this.problems[kind];
    list.count++;
    if (list.examples.length < MAX_EXAMPLES) list.examples.push({ blobName, reason });
  }

  outcome(blob: ListedBlob, ref: ExportBlobRef, outcome: DeleteOutcome): void {
    if (outcome.status === 'gone') this.alreadyGone++;
    if (outcome.status === 'skipped' || outcome.status === 'failed')
      this.problem(outcome.status, blob.name, outcome.reason);
    if (outcome.status !== 'deleted') return;
    if (this.dryRun) this.wouldDelete.push(blob.name);
    const key = `${ref.folder}/${ref.telemetryType}`;
    const totals = this.byFolderType.get(key) ?? { folder: ref.folder, type: ref.telemetryType, blobs: 0, bytes: 0 };
    totals.blobs++;
    totals.bytes += blob.size;
    this.byFolderType.set(key, totals);
  }

  /** Like outcome, for a blob of a successor container; problems name the blob `<container>/<name>`. */
  successorOutcome(container: string, blob: ListedBlob, ref: SuccessorBlobRef, outcome: DeleteOutcome): void {
    if (outcome.status === 'gone') this.alreadyGone++;
    if (outcome.status === 'skipped' || outcome.status === 'failed')
      this.problem(outcome.status, `${container}/${blob.name}`, outcome.reason);
    if (outcome.status !== 'deleted') return;
    if (this.dryRun) this.wouldDeleteSuccessor.push({ container, blobName: blob.name });
    const totals = this.bySuccessor.get(container) ?? {
      container,
      format: ref.format,
      table: ref.table,
      blobs: 0,
      bytes: 0,
    };
    totals.blobs++;
    totals.bytes += blob.size;
    this.bySuccessor.set(container, totals);
  }

  report(now: Date, budget: SweepReport['budget'], elapsedMs: number): SweepReport {
    const byFolderType = [...this.byFolderType.values()].sort((a, b) =>
      (a.folder + a.type).localeCompare(b.folder + b.type),
    );
    const bySuccessorContainer = [...this.bySuccessor.values()].sort((a, b) => a.container.localeCompare(b.container));
    const all = [...byFolderType, ...bySuccessorContainer];
    return {
      status: budget.reachedBy === undefined ? 'completed' : 'budget-reached',
      dryRun: this.dryRun,
      now: now.toISOString(),
      expiredPrefixes: this.expiredPrefixes,
      listedBlobs: this.listedBlobs,
      deleted: {
        blobs: all.reduce((n, t) => n + t.blobs, 0),
        bytes: all.reduce((n, t) => n + t.bytes, 0),
        alreadyGone: this.alreadyGone,
        byFolderType,
        bySuccessorContainer,
      },
      wouldDelete: this.wouldDelete,
      wouldDeleteSuccessor: this.wouldDeleteSuccessor,
      successorContainers: this.successorContainers,
      ...this.problems,
      budget,
      elapsedMs,
    };
  }
}

function newProblems(): { count: number; examples: BlobProblem[] } {
  return { count: 0, examples: [] };
}
