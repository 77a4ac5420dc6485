import { plural } from '../plural';
import type { ExportSource } from './exportActivity';
import type { ExportStatusEntry } from './exportStatusBook';
import { lastDayCounts } from './failureCounts';
import { POISON_QUEUE, type PoisonQueueCount } from './poisonMessages';
import { formatAge, formatUtc } from './utcTime';

/** `export-alerts status` as data: its `--json`, and what the text is made of. */
export interface StatusReport {
  readonly at: number;
  readonly exports: readonly {
    readonly app: string;
    readonly type: string;
    readonly source: ExportSource;
    readonly last?: ExportStatusEntry['last'] & { readonly ageMs: number };
    readonly lastFailure?: ExportStatusEntry['lastFailure'];
    /** In the 24 hours up to `at`. */
    readonly failures: number;
    readonly poisoned: number;
  }[];
  readonly rules: { readonly valid: number; readonly invalid: number };
  readonly lastDay: { readonly failures: number; readonly poisoned: number };
  readonly poisonQueue: PoisonQueueCount;
  /** Status entities that do not read, each with its keys and what is wrong. */
  readonly unreadable: readonly string[];
}

export const SOURCE_NAMES: Readonly<Record<ExportSource, string>> = {
  continuousExport: 'Continuous Export',
  diagnosticSettings: 'diagnostic settings',
  dataExport: 'data export',
};

export function statusReport(
  entries: readonly ExportStatusEntry[],
  rules: StatusReport['rules'],
  poisonQueue: PoisonQueueCount,
  unreadable: readonly string[],
  now: number,
): StatusReport {
  const exports = [...entries]
    .sort((a, b) => compare(a.app, b.app) || compare(a.type, b.type))
    .map((entry) => ({
      app: entry.app,
      type: entry.type,
      source: entry.source,
      ...(entry.last === undefined ? {} : { last: { ...entry.last, ageMs: now - entry.last.at } }),
      ...(entry.lastFailure === undefined ? {} : { lastFailure: entry.lastFailure }),
      ...lastDayCounts(entry.ring, now),
    }));
  return {
    at: now,
    exports,
    rules,
    lastDay: {
      failures: exports.reduce((n, e) => n + e.failures, 0),
      poisoned: exports.reduce((n, e) => n + e.poisoned, 0),
    },
    poisonQueue,
    unreadable,
  };
}

/** The report as lines: a table per app and type, then rules, failures and poison of the last 24 hours. */
export function formatStatusReport(report: StatusReport): { header: string[]; rows: string[][]; after: string[] } {
  const now = report.at;
  const rows = report.exports.map((e) => [
    e.app,
    e.type,
    SOURCE_NAMES[e.source],
    e.last === undefined ? 'never' : formatUtc(e.last.at),
    e.last === undefined ? '-' : formatAge(e.last.at, now),
    e.last === undefined ? '-' : String(e.last.records),
    e.last === undefined ? '-' : String(e.last.matches),
    e.last === undefined ? '-' : String(e.last.emails),
    String(e.failures),
    String(e.poisoned),
    e.last === undefined ? '-' : lastProcessed(e.last),
  ]);
  const { failures, poisoned } = report.lastDay;
  const after = [
    `rules: ${report.rules.valid} valid, ${report.rules.invalid} invalid${report.rules.invalid > 0 ? " (run 'export-alerts rules validate' for their problems)" : ''}`,
    `failures in the last 24 h: ${failures}${failures > 0 ? `; last: ${lastFailureText(report)}` : ''}`,
    `poisoned blobs in the last 24 h, by the functions' count: ${poisoned}`,
    poisonQueueText(report.poisonQueue),
    ...report.unreadable.map((problem) => `unreadable status entry: ${problem}`),
  ];
  return {
    header: [
      'APP',
      'TYPE',
      'SOURCE',
      'LAST PROCESSED',
      'AGE',
      'RECORDS',
      'MATCHES',
      'E-MAILS',
      'FAILURES 24H',
      'POISONED 24H',
      'LAST BLOB OR RANGE',
    ],
    rows,
    after,
  };
}

/** Whether the status is worth a look: a failure, a poisoned blob or an invalid rule (exit code 1). */
export function statusHasFindings(report: StatusReport): boolean {
  const queue = report.poisonQueue;
  return (
    report.rules.invalid > 0 ||
    report.lastDay.failures > 0 ||
    report.lastDay.poisoned > 0 ||
    (queue.state === 'read' && queue.lastDay > 0) ||
    report.unreadable.length > 0
  );
}

function lastProcessed(last: NonNullable<ExportStatusEntry['last']>): string {
  return last.version.startsWith('bytes=') ? `${last.blob} ${last.version}` : last.blob;
}

function lastFailureText(report: StatusReport): string {
  const newest = report.exports
    .flatMap((e) => (e.lastFailure === undefined ? [] : [{ ...e.lastFailure, app: e.app, type: e.type }]))
    .sort((a, b) => b.at - a.at)[0];
  if (newest === undefined) return 'unknown';
  return `${formatUtc(newest.at)}, ${newest.app} ${newest.type}, ${newest.blob}: ${newest.error}`;
}

function poisonQueueText(queue: PoisonQueueCount): string {
  const name = `poison queue ${POISON_QUEUE}`;
  switch (queue.state) {
    case 'missing':
      return `${name}: none in AzureWebJobsStorage (the Functions host creates it at the first poisoned blob; the local host reports poison in its log)`;
    case 'unreadable':
      return `${name}: not read (${queue.reason})`;
    case 'read':
      return (
        `${name}: ${plural(queue.messages, 'message')}, ${queue.lastDay} from exportBlobReceived in the last 24 h` +
        (queue.beyondPeek > 0 ? ` among the oldest ${queue.messages - queue.beyondPeek} (a peek shows 32)` : '')
      );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
