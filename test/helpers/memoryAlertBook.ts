import type { AlertBook, ClaimResult, Decision, SendFailure, Stored } from '../../shared/core/alerts/alertBook';
import { type AlertRecord, OPEN_STATUSES, type RecordStatus } from '../../shared/core/alerts/alertRecord';
import { type AlertState, EMPTY_STATE, parseState, serializeState } from '../../shared/core/alerts/alertState';
import type { SendReceipt } from '../../shared/core/mail/mailer';

/** The book's operations, for fault injection: `hook(op, 'before' | 'after')` may throw or hang. */
export type BookOp =
  | 'decide'
  | 'insert'
  | 'get'
  | 'claim'
  | 'markSent'
  | 'markFailed'
  | 'setStatus'
  | 'listOpen'
  | 'listDelivery'
  | 'expire';
export type BookHook = (op: BookOp, when: 'before' | 'after') => Promise<void> | void;

/**
 * The alert book in memory, with the Table adapter's semantics (a decision writes state and record
 * together or not at all; records are copied in and out, as serialization would). States go through
 * the stored form, so a test also proves that form round-trips.
 */
export class MemoryAlertBook implements AlertBook {
  readonly states = new Map<string, { text: string; updatedAt: number }>();
  readonly records = new Map<string, AlertRecord>();
  hook: BookHook = () => {};

  private key(ruleKey: string, rowKey: string): string {
    return `${ruleKey}\u0000${rowKey}`;
  }

  async decide(
    ruleKey: string,
    groupKey: string,
    recordKey: string,
    compute: (state: AlertState) => Decision,
  ): Promise<Stored> {
    await this.hook('decide', 'before');
    const existing = this.records.get(this.key(ruleKey, recordKey));
    if (existing) return { record: copy(existing), created: false };
    const stored = this.states.get(this.key(ruleKey, `state:${groupKey}`));
    const decision = compute(stored ? parseState(stored.text) : EMPTY_STATE);
    this.states.set(this.key(ruleKey, `state:${groupKey}`), {
      text: serializeState(decision.state),
      updatedAt: decision.record.recordedAt,
    });
    this.records.set(this.key(ruleKey, recordKey), copy(decision.record));
    await this.hook('decide', 'after');
    return { record: copy(decision.record), created: true };
  }

  async insert(record: AlertRecord): Promise<Stored> {
    await this.hook('insert', 'before');
    const existing = this.records.get(this.key(record.ruleKey, record.recordKey));
    if (existing) return { record: copy(existing), created: false };
    this.records.set(this.key(record.ruleKey, record.recordKey), copy(record));
    await this.hook('insert', 'after');
    return { record: copy(record), created: true };
  }

  async get(ruleKey: string, recordKey: string): Promise<AlertRecord | undefined> {
    await this.hook('get', 'before');
    const found = this.records.get(this.key(ruleKey, recordKey));
    return found && copy(found);
  }

  async claim(ruleKey: string, recordKey: string, now: number, leaseMs: number): Promise<ClaimResult> {
    await this.hook('claim', 'before');
    const record = this.records.get(this.key(ruleKey, recordKey));
    if (!record) throw new Error(`no record ${recordKey}`);
    if (record.status === 'sending' && record.leaseUntil > now) return { kind: 'busy', record: copy(record) };
    if (record.status !== 'sending' && record.status !== 'failed') return { kind: 'done', record: copy(record) };
    const claimed: AlertRecord = {
      ...record,
      status: 'sending',
      leaseUntil: now + leaseMs,
      attempts: record.attempts + 1,
    };
    this.records.set(this.key(ruleKey, recordKey), claimed);
    await this.hook('claim', 'after');
    return { kind: 'claimed', record: copy(claimed) };
  }

  async markSent(record: AlertRecord, now: number, receipt: SendReceipt): Promise<void> {
    await this.hook('markSent', 'before');
    this.update(record, (r) => ({
      ...r,
      status: 'sent',
      sentAt: now,
      messageIds: receipt.messageIds,
      provider: receipt.provider,
      ...(receipt.location === undefined ? {} : { location: receipt.location }),
      acceptedBatches: [
        ...new Set([...r.acceptedBatches, ...record.acceptedBatches, ...(receipt.acceptedBatches ?? [])]),
      ].sort((a, b) => a - b),
    }));
    await this.hook('markSent', 'after');
  }

  async markFailed(record: AlertRecord, now: number, failure: SendFailure): Promise<void> {
    await this.hook('markFailed', 'before');
    this.update(record, (r) => ({
      ...r,
      status: failure.permanent ? 'rejected' : 'failed',
      leaseUntil: now,
      lastError: failure.error,
      acceptedBatches: [...failure.acceptedBatches],
    }));
    await this.hook('markFailed', 'after');
  }

  async setStatus(record: AlertRecord, status: RecordStatus): Promise<void> {
    await this.hook('setStatus', 'before');
    this.update(record, (r) => ({ ...r, status }));
  }

  async *listOpen(): AsyncIterable<AlertRecord> {
    await this.hook('listOpen', 'before');
    const open = [...this.records.values()].filter((r) => OPEN_STATUSES.includes(r.status)).map(copy);
    for (const record of open) yield record;
  }

  async listDelivery(ruleKey: string, deliveryId: string): Promise<AlertRecord[]> {
    await this.hook('listDelivery', 'before');
    return [...this.records.values()].filter((r) => r.ruleKey === ruleKey && r.deliveryId === deliveryId).map(copy);
  }

  async expire(recordsBefore: number, statesBefore: number): Promise<{ records: number; states: number }> {
    await this.hook('expire', 'before');
    let records = 0;
    let states = 0;
    for (const [key, record] of this.records)
      if (record.recordedAt < recordsBefore && this.records.delete(key)) records++;
    for (const [key, state] of this.states) if (state.updatedAt < statesBefore && this.states.delete(key)) states++;
    return { records, states };
  }

  /** The stored record of a rule and key. */
  record(ruleKey: string, recordKey: string): AlertRecord | undefined {
    return this.records.get(this.key(ruleKey, recordKey));
  }

  private update(record: AlertRecord, change: (r: AlertRecord) => AlertRecord): void {
    const key = this.key(record.ruleKey, record.recordKey);
    const current = this.records.get(key);
    if (!current) throw new Error(`no record ${record.recordKey}`);
    this.records.set(key, change(current));
  }
}

function copy(record: AlertRecord): AlertRecord {
  return JSON.parse(JSON.stringify(record)) as AlertRecord;
}
