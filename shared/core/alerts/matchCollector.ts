import { at as elementAt } from '../defined';
import type { TelemetryRecord } from '../export/telemetryRecord';
import { boundedStringify } from '../json/boundedStringify';
import type { AlertRule } from '../rules/alertRule';
import { readColumnPath } from '../rules/columnPath';
import { placeEventMinute } from './alertState';

/** The matches of one rule for one GroupBy value within one blob. */
export interface MatchBucket {
  readonly rule: AlertRule;
  /** Stable key of the group ('' without GroupBy). */
  readonly groupKey: string;
  /** e.g. `{ tenant: 'acme' }`; empty without GroupBy. */
  readonly groupValues: Readonly<Record<string, string>>;
  rows: number;
  /** Sum of the matches' itemCount: what the matches stand for before sampling. */
  weighted: number;
  firstEventAt: number;
  lastEventAt: number;
  /** The earliest matches by event time, at most `rule.maxEvents`, earliest first. */
  readonly events: TelemetryRecord[];
  /**
   * Weighted matches per minute (epoch minutes), for windowed thresholds: each event's own minute when
   * plausible, else the delivery's deposit minute (`placeEventMinute`).
   */
  readonly minutes: Map<number, number>;
}

/** Past this many groups a rule's further groups share one overflow bucket, so memory stays bounded. */
export const MAX_GROUPS_PER_RULE = 500;
export const OVERFLOW_GROUP = '(other groups)';

/**
 * Gathers one blob's matches per rule and group. Only what e-mails and thresholds need is kept: counts,
 * the time range, the first MaxEvents matches and a per-minute histogram.
 */
export class MatchCollector {
  private readonly buckets = new Map<AlertRule, Map<string, MatchBucket>>();

  /**
   * @param depositedAt - when the delivery's data arrived (epoch ms): the minute that events without a
   *   usable time, or with an implausible one, count in
   * @param evaluatedAt - when the rules run (epoch ms), read once for the delivery: what `ago()` and
   *   `now()` in a query count from
   */
  constructor(
    private readonly rules: readonly AlertRule[],
    private readonly depositedAt: number,
    private readonly evaluatedAt: number,
  ) {}

  /** Evaluates every rule on the record; returns how many matched. */
  add(record: TelemetryRecord): number {
    let matched = 0;
    for (const rule of this.rules) {
      if (!rule.matches(record, this.evaluatedAt)) continue;
      matched++;
      this.bucketFor(rule, record).addMatch(record);
    }
    return matched;
  }

  /** Every bucket with at least one match. */
  all(): MatchBucket[] {
    const all: MatchBucket[] = [];
    for (const groups of this.buckets.values()) all.push(...groups.values());
    return all;
  }

  /** Matches per rule (`scope/id`), zero for rules that matched nothing. */
  countsPerRule(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const rule of this.rules) {
      let rows = 0;
      for (const bucket of this.buckets.get(rule)?.values() ?? []) rows += bucket.rows;
      counts[`${rule.scope}/${rule.id}`] = rows;
    }
    return counts;
  }

  private bucketFor(rule: AlertRule, record: TelemetryRecord): BucketBuilder {
    let groups = this.buckets.get(rule);
    if (!groups) {
      groups = new Map();
      this.buckets.set(rule, groups);
    }
    let values = groupValuesOf(rule, record);
    let key = groupKeyOf(values);
    if (!groups.has(key) && groups.size >= MAX_GROUPS_PER_RULE) {
      values = { group: OVERFLOW_GROUP };
      key = OVERFLOW_GROUP;
    }
    let bucket = groups.get(key) as BucketBuilder | undefined;
    if (!bucket) {
      bucket = new BucketBuilder(rule, key, values, this.depositedAt);
      groups.set(key, bucket);
    }
    return bucket;
  }
}

class BucketBuilder implements MatchBucket {
  rows = 0;
  weighted = 0;
  firstEventAt = Number.POSITIVE_INFINITY;
  lastEventAt = Number.NEGATIVE_INFINITY;
  readonly events: TelemetryRecord[] = [];
  readonly minutes = new Map<number, number>();

  constructor(
    readonly rule: AlertRule,
    readonly groupKey: string,
    readonly groupValues: Readonly<Record<string, string>>,
    private readonly depositedAt: number,
  ) {}

  addMatch(record: TelemetryRecord): void {
    const count = record.columns['itemCount'];
    const weight = typeof count === 'number' && count > 0 ? count : 1;
    const timestamp = record.columns['timestamp'];
    const at = timestamp instanceof Date ? timestamp.getTime() : Number.NaN;
    this.rows++;
    this.weighted += weight;
    if (!Number.isNaN(at)) {
      this.firstEventAt = Math.min(this.firstEventAt, at);
      this.lastEventAt = Math.max(this.lastEventAt, at);
    }
    const minute = placeEventMinute(at, this.depositedAt);
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + weight);
    this.keepEarliest(record, Number.isNaN(at) ? Number.POSITIVE_INFINITY : at);
  }

  private keepEarliest(record: TelemetryRecord, at: number): void {
    const max = this.rule.maxEvents;
    if (this.events.length >= max && at >= eventTime(elementAt(this.events, max - 1, 'kept events'))) return;
    // Insertion keeps the list sorted; it holds at most MaxEvents (≤ 500) records.
    let i = this.events.length;
    while (i > 0 && eventTime(elementAt(this.events, i - 1, 'kept events')) > at) i--;
    this.events.splice(i, 0, record);
    if (this.events.length > max) this.events.pop();
  }
}

function eventTime(record: TelemetryRecord): number {
  const timestamp = record.columns['timestamp'];
  return timestamp instanceof Date ? timestamp.getTime() : Number.POSITIVE_INFINITY;
}

/** Longest GroupBy value kept: longer ones (telemetry can hold megabytes) are cut, so keys stay small. */
export const MAX_GROUP_VALUE_CHARS = 256;

/**
 * The rule's GroupBy values of a record; a missing value groups as '(none)'. Values come from
 * telemetry, so an object is stringified with bounded depth and size: it can never throw or grow a key.
 */
export function groupValuesOf(rule: AlertRule, record: TelemetryRecord): Record<string, string> {
  const values: Record<string, string> = {};
  for (const path of rule.groupBy) {
    const value = readColumnPath(record, path);
    const text =
      value === undefined || value === null
        ? '(none)'
        : value instanceof Date
          ? Number.isNaN(value.getTime())
            ? '(none)'
            : value.toISOString()
          : typeof value === 'object'
            ? boundedStringify(value, { maxChars: MAX_GROUP_VALUE_CHARS + 1 })
            : typeof value === 'string'
              ? value
              : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
                ? String(value)
                : '(none)'; // JSON holds no functions or symbols
    values[path.text] = text.length > MAX_GROUP_VALUE_CHARS ? `${text.slice(0, MAX_GROUP_VALUE_CHARS)}…` : text;
  }
  return values;
}

export function groupKeyOf(values: Readonly<Record<string, string>>): string {
  const keys = Object.keys(values);
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => [k, values[k]]));
}
