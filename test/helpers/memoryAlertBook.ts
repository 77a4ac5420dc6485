import type {
  AlertBook,
  ClaimResult,
  Decision,
  DeliveryReceipt,
  OpenEpisode,
  SendFailure,
  StateChange,
  Stored,
} from '../../shared/core/alerts/alertBook';
import { type AlertRecord, OPEN_STATUSES, type RecordStatus } from '../../shared/core/alerts/alertRecord';
import { type AlertState, EMPTY_STATE } from '../../shared/core/alerts/alertState';
import { parseState, serializeState } from '../../shared/core/alerts/alertStateText';

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
  | 'listEpisodes'
  | 'changeState'
  | 'expire';
export type BookHook = (op: BookOp, when: 'before' | 'after') => Promise<void> | void;

/**
 * The alert book in memory, with the Table adapter's semantics (a decision writes state, record, notices
 * and the episode index entry together or not at all; records are copied in and out, as serialization
 * would). States go through the stored form, so a test also proves that form round-trips.
 */
export class MemoryAlertBook implements AlertBook {
  readonly states = new Map<string, { text: string; updatedAt: number }>();
  readonly records = new Map<string, AlertRecord>();
  /** The episode index: rule and group → the open episode's entry, as `listEpisodes` reads it. */
  readonly episodes = new Map<string, OpenEpisode & { updatedAt: number }>();
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
    const decision = compute(this.state(ruleKey, groupKey) ?? EMPTY_STATE);
    for (const notice of decision.notices ?? [])
      if (this.records.has(this.key(ruleKey, notice.recordKey))) throw new Error(`record ${notice.recordKey} exists`);
    this.writeState(ruleKey, groupKey, decision.state, decision.record.recordedAt);
    this.records.set(this.key(ruleKey, recordKey), copy(decision.record));
    for (const notice of decision.notices ?? []) this.records.set(this.key(ruleKey, notice.recordKey), copy(notice));
    await this.hook('decide', 'after');
    return { record: copy(decision.record), created: true };
  }

  async *listEpisodes(ruleKey: string): AsyncIterable<OpenEpisode> {
    await this.hook('listEpisodes', 'before');
    const open = [...this.episodes.values()].filter((e) => e.ruleKey === ruleKey);
    for (const { updatedAt: _updatedAt, ...episode } of open) yield { ...episode };
  }

  async changeState(
    ruleKey: string,
    groupKey: string,
    change: (state: AlertState | undefined) => StateChange | undefined,
    updatedAt: number,
  ): Promise<{ state: AlertState; record?: Stored } | undefined> {
    await this.hook('changeState', 'before');
    const current = this.state(ruleKey, groupKey);
    const next = change(current);
    if (next === undefined) return undefined;
    const existing = next.record && this.records.get(this.key(ruleKey, next.record.recordKey));
    if (existing) return { state: current ?? next.state, record: { record: copy(existing), created: false } };
    this.writeState(ruleKey, groupKey, next.state, updatedAt);
    if (next.record) {
      for (const record of [next.record, ...(next.companions ?? [])])
        this.records.set(this.key(ruleKey, record.recordKey), copy(record));
    }
    await this.hook('changeState', 'after');
    return { state: next.state, ...(next.record ? { record: { record: copy(next.record), created: true } } : {}) };
  }

  /** The stored state of a group, read back through its stored form. */
  state(ruleKey: string, groupKey: string): AlertState | undefined {
    const stored = this.states.get(this.key(ruleKey, `state:${groupKey}`));
    return stored ? parseState(stored.text) : undefined;
  }

  private writeState(ruleKey: string, groupKey: string, state: AlertState, updatedAt: number): void {
    this.states.set(this.key(ruleKey, `state:${groupKey}`), { text: serializeState(state), updatedAt });
    const index = this.key(ruleKey, groupKey);
    if (state.episode === undefined) this.episodes.delete(index);
    else {
      const { since, lastBreachAt } = state.episode;
      this.episodes.set(index, { ruleKey, groupKey, since, lastBreachAt, updatedAt });
    }
  }

  async insert(record: AlertRecord, companions: readonly AlertRecord[] = []): Promise<Stored> {
    await this.hook('insert', 'before');
    const existing = this.records.get(this.key(record.ruleKey, record.recordKey));
    if (existing) return { record: copy(existing), created: false };
    for (const r of [record, ...companions]) this.records.set(this.key(r.ruleKey, r.recordKey), copy(r));
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

  async markSent(record: AlertRecord, now: number, receipt: DeliveryReceipt): Promise<void> {
    await this.hook('markSent', 'before');
    this.update(record, (r) => ({
      ...r,
      status: 'sent',
      sentAt: now,
      messageIds: receipt.messageIds,
      provider: receipt.provider,
      ...(receipt.location === undefined ? {} : { location: receipt.location }),
      ...(receipt.heldBack === undefined || receipt.heldBack === 0 ? {} : { heldBack: receipt.heldBack }),
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
    for (const [key, entry] of this.episodes) if (entry.updatedAt < statesBefore) this.episodes.delete(key);
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
