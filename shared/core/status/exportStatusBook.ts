import { describeError } from '../describeError';
import type { Logger } from '../logger';
import type { DeliveredActivity, ExportSource, FailedActivity } from './exportActivity';
import type { FailingVersion, FailureRing } from './failureCounts';

/** What is known of one app and type: the last delivery processed, the last failure, the last day's counts. */
export interface ExportStatusEntry {
  readonly app: string;
  readonly type: string;
  readonly source: ExportSource;
  readonly last?: {
    readonly blob: string;
    readonly version: string;
    readonly at: number;
    readonly records: number;
    readonly matches: number;
    readonly emails: number;
  };
  readonly lastFailure?: {
    readonly blob: string;
    readonly version: string;
    readonly at: number;
    readonly error: string;
  };
  readonly ring: FailureRing;
  readonly failing: readonly FailingVersion[];
}

/**
 * Where the functions note what they processed, one entry per app and type, overwritten in place: the
 * state behind `export-alerts status`, which does not grow with traffic. Table Storage in production.
 */
export interface ExportStatusBook {
  /** One write, whatever was there: the last delivery of the app and type. */
  noteDelivered(activity: DeliveredActivity): Promise<void>;
  /** Counts a failure in its hour (and, at a blob version's last try, a poisoned blob). */
  noteFailed(activity: FailedActivity): Promise<void>;
}

/** Reads the entries back, for the command line. */
export interface ExportStatusReader {
  list(): Promise<{ entries: ExportStatusEntry[]; unreadable: string[] }>;
}

/**
 * Notes a delivery or a failure in the status book, after its alerts were decided and sent. The status
 * is for people, and alerting must not depend on it: a write that fails is logged as a warning and
 * swallowed, never thrown into the invocation (which would make the host retry a delivered blob).
 */
export async function noteExportActivity(
  book: ExportStatusBook | undefined,
  activity: DeliveredActivity | FailedActivity,
  logger: Logger,
): Promise<void> {
  if (book === undefined) return;
  try {
    if (activity.kind === 'delivered') await book.noteDelivered(activity);
    else await book.noteFailed(activity);
  } catch (error) {
    logger.warn(
      `export status of ${activity.app} ${activity.type} not updated for ${activity.blob} (alerting is not affected): ${describeError(error)}`,
    );
  }
}
