import type { RecordStatus } from '../alerts/alertRecord';
import { OVERFLOW_GROUP } from '../alerts/matchCollector';
import { plural } from '../plural';
import { formatUtc } from './utcTime';

/** Statuses of records that carry an e-mail: what `alerts list` shows unless told otherwise. */
export const EMAIL_STATUSES: readonly RecordStatus[] = ['sending', 'sent', 'failed', 'rejected'];

/** One delivery record as `alerts list` shows it: the small properties, never the e-mail's body. */
export interface AlertLine {
  readonly ruleKey: string;
  readonly recordKey: string;
  readonly groupKey: string;
  readonly status: RecordStatus;
  readonly recordedAt: number;
  readonly sentAt?: number;
  readonly attempts: number;
  /** The group's matching records and their weight; absent on records of earlier versions. */
  readonly rows?: number;
  readonly weighted?: number;
  readonly to: readonly string[];
  readonly subject?: string;
  readonly provider?: 'sendgrid' | 'outbox';
  /** SendGrid's `x-message-id` per accepted batch, or the outbox's Message-ID. */
  readonly messageIds: readonly string[];
  /** Where the outbox wrote the e-mail. */
  readonly location?: string;
  readonly lastError?: string;
  readonly blob: string;
}

/** `tenant=acme, region=eu` from the stored group key; `(all)` without GroupBy; `(summary)` for a rule's summary. */
export function groupLabel(groupKey: string): string {
  if (groupKey === '') return '(all)';
  if (groupKey === '#summary') return '(summary)';
  if (groupKey === OVERFLOW_GROUP) return groupKey;
  try {
    const pairs: unknown = JSON.parse(groupKey);
    if (Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && p.length === 2))
      return (pairs as [unknown, unknown][]).map(([k, v]) => `${String(k)}=${String(v)}`).join(', ');
  } catch {
    // Not the JSON pairs groupKeyOf writes: shown as stored.
  }
  return groupKey;
}

/**
 * Keeps the `limit` newest lines of a listing read in key order, so a day of records is never held
 * whole: memory stays at twice the limit whatever the table holds.
 */
export class NewestLines {
  private lines: AlertLine[] = [];
  /** Lines offered, kept or not. */
  total = 0;

  constructor(private readonly limit: number) {}

  add(line: AlertLine): void {
    this.total++;
    this.lines.push(line);
    if (this.lines.length >= 2 * this.limit + 1) this.trim();
  }

  /** Newest first; ties by rule and key, so the same table always lists the same way. */
  newest(): AlertLine[] {
    this.trim();
    return [...this.lines];
  }

  private trim(): void {
    this.lines.sort(newestFirst);
    this.lines.length = Math.min(this.lines.length, this.limit);
  }
}

function newestFirst(a: AlertLine, b: AlertLine): number {
  return (
    b.recordedAt - a.recordedAt ||
    (a.ruleKey < b.ruleKey ? -1 : a.ruleKey > b.ruleKey ? 1 : 0) ||
    (a.recordKey < b.recordKey ? -1 : a.recordKey > b.recordKey ? 1 : 0)
  );
}

/** `12`, `12 (weight 30)` when sampling made them differ, `-` when the record predates counts. */
export function matchesText(line: Pick<AlertLine, 'rows' | 'weighted'>): string {
  if (line.rows === undefined) return '-';
  return line.weighted === undefined || line.weighted === line.rows
    ? String(line.rows)
    : `${line.rows} (weight ${line.weighted})`;
}

/** `ops@example.com`, `ops@example.com +2 more`, `-`. */
export function recipientsText(to: readonly string[]): string {
  const [first] = to;
  if (first === undefined) return '-';
  return to.length === 1 ? first : `${first} +${to.length - 1} more`;
}

/** The SendGrid message ids, or the outbox file, or `-` before the e-mail went out. */
export function deliveredAsText(line: Pick<AlertLine, 'provider' | 'messageIds' | 'location'>): string {
  if (line.location !== undefined) return line.location;
  if (line.messageIds.length === 0) return '-';
  return line.provider === undefined ? line.messageIds.join(' ') : `${line.provider}:${line.messageIds.join(' ')}`;
}

/** The table's rows, newest first: time, rule, group, matches, status, recipients, key, message id or file. */
export function alertLineRows(lines: readonly AlertLine[]): { header: string[]; rows: string[][] } {
  return {
    header: ['TIME (UTC)', 'RULE', 'GROUP', 'MATCHES', 'STATUS', 'RECIPIENTS', 'KEY', 'MESSAGE ID / OUTBOX FILE'],
    rows: lines.map((line) => [
      formatUtc(line.recordedAt).replace(/ UTC$/, ''),
      line.ruleKey,
      groupLabel(line.groupKey),
      matchesText(line),
      line.status,
      recipientsText(line.to),
      line.recordKey,
      deliveredAsText(line),
    ]),
  };
}

/**
 * The closing line: how many records, over what, by status, and whether the limit cut the list.
 * @param what - e.g. `in the last 24 h`
 */
export function alertListFooter(shown: readonly AlertLine[], total: number, noun: string, what: string): string {
  const byStatus = new Map<string, number>();
  for (const line of shown) byStatus.set(line.status, (byStatus.get(line.status) ?? 0) + 1);
  const counts = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ');
  const all = plural(total, noun);
  if (total === shown.length) return `${all} ${what}${counts === '' ? '' : `: ${counts}`}`;
  return `${all} ${what}; the newest ${shown.length} shown (${counts}); --limit shows more`;
}
