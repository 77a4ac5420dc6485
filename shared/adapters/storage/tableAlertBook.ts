import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type {
  AlertBook,
  ClaimResult,
  Decision,
  DeliveryReceipt,
  OpenEpisode,
  SendFailure,
  StateChange,
  Stored,
} from '../../core/alerts/alertBook';
import { type AlertRecord, OPEN_STATUSES, type RecordStatus } from '../../core/alerts/alertRecord';
import { type AlertState, EMPTY_STATE } from '../../core/alerts/alertState';
import { InvariantError, StorageContendedError, StoredEntitiesSkippedError, StoredStateError } from '../../core/errors';
import { type Entity, episodeEntity, episodeOf, recordEntity, recordOf, stateEntity, stateOf } from './alertEntities';
import { clipText } from './chunkedText';
import { isAlreadyExists, isConditionNotMet, isNotFound } from './storageFailure';
import { digestKey, tableKey } from './tableKeys';
import { tableReadiness } from './tableReady';

/** Conflicts resolve in a few rounds; past this something is wrong and the invocation should fail. */
const MAX_ROUNDS = 25;
/** Entities one transaction may hold. */
const MAX_TRANSACTION = 100;

/**
 * The alert book on Table Storage. One partition per rule; in it one entity per group (its state,
 * RowKey a digest of the group, as in earlier versions) and one per delivery and group (its record,
 * RowKey `d~…`). A decision writes both in one entity-group transaction, so no crash can count a
 * delivery without marking it, or mark it without counting it. A group with an open episode has an
 * index entry too (RowKey `e~` + the state's), written in every transaction that writes its state:
 * a rule's open episodes are one key-range query of its partition, and no crash can open or close an
 * episode without its entry following.
 *
 * An entity that does not read (StoredStateError: malformed, or written by a newer version) fails the
 * call that needs it: deciding, claiming or sending on a guessed state or record could send an alert
 * twice or never, and the failed invocation is retried by the host and logged with the entity's keys.
 * Listing open records for maintenance skips it instead and reports it at the end (see `query`).
 */
export class TableAlertBook implements AlertBook {
  private readonly ensureTable: () => Promise<void>;

  constructor(
    private readonly table: TableClient,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly random: () => number = Math.random,
  ) {
    this.ensureTable = tableReadiness(table, pause);
  }

  async decide(
    ruleKey: string,
    groupKey: string,
    recordKey: string,
    compute: (state: AlertState) => Decision,
  ): Promise<Stored> {
    await this.ensureTable();
    const partitionKey = tableKey(ruleKey);
    const stateKey = stateRowKey(groupKey);
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const existing = await this.readRecord(partitionKey, recordKey);
      if (existing) return { record: existing.record, created: false };
      const current = await this.readState(partitionKey, stateKey);
      const decision = compute(current?.state ?? EMPTY_STATE);
      const state: Entity = stateEntity(
        partitionKey,
        stateKey,
        ruleKey,
        groupKey,
        decision.state,
        decision.record.recordedAt,
      );
      const actions: TransactionAction[] = [
        current ? ['update', state, 'Replace', { etag: current.etag }] : ['create', state],
        ['create', recordEntity(partitionKey, decision.record)],
        ...(decision.notices ?? []).map((notice): TransactionAction => ['create', recordEntity(partitionKey, notice)]),
        ...(await this.indexActions(
          partitionKey,
          ruleKey,
          groupKey,
          decision.state,
          decision.record.recordedAt,
          current?.state.episode !== undefined,
        )),
      ];
      try {
        await this.table.submitTransaction(actions);
        return { record: decision.record, created: true };
      } catch (error) {
        // NOTE: a 409 other than EntityAlreadyExists (TableBeingDeleted) is no race with another writer.
        if (!isRace(error, actions)) throw error;
        // Someone else changed this group meanwhile: back off a little, with jitter, and recompute.
        await this.pause(this.random() * Math.min(200, 10 * round));
      }
    }
    throw new StorageContendedError(
      `alert state ${ruleKey} / ${groupKey} in table ${this.table.tableName} kept changing under ${MAX_ROUNDS} attempts to update it`,
    );
  }

  async insert(record: AlertRecord, companions: readonly AlertRecord[] = []): Promise<Stored> {
    await this.ensureTable();
    const partitionKey = tableKey(record.ruleKey);
    try {
      if (companions.length === 0) await this.table.createEntity(recordEntity(partitionKey, record));
      else {
        // One transaction: a record is never left without the channel records that go with it.
        await this.table.submitTransaction(
          [record, ...companions].map((r): TransactionAction => ['create', recordEntity(partitionKey, r)]),
        );
      }
      return { record, created: true };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await this.readRecord(partitionKey, record.recordKey);
    if (!existing) {
      throw new InvariantError(
        `alert record ${record.ruleKey} ${record.recordKey} exists in table ${this.table.tableName} and yet cannot be read`,
      );
    }
    return { record: existing.record, created: false };
  }

  async get(ruleKey: string, recordKey: string): Promise<AlertRecord | undefined> {
    return (await this.readRecord(tableKey(ruleKey), recordKey))?.record;
  }

  async claim(ruleKey: string, recordKey: string, now: number, leaseMs: number): Promise<ClaimResult> {
    const partitionKey = tableKey(ruleKey);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const found = await this.readRecord(partitionKey, recordKey);
      if (!found)
        throw new InvariantError(`alert record ${ruleKey} ${recordKey} is missing from table ${this.table.tableName}`);
      const { record, etag } = found;
      if (record.status === 'sending' && record.leaseUntil > now) return { kind: 'busy', record };
      if (record.status !== 'sending' && record.status !== 'failed') return { kind: 'done', record };
      const claimed: AlertRecord = {
        ...record,
        status: 'sending',
        leaseUntil: now + leaseMs,
        attempts: record.attempts + 1,
      };
      try {
        await this.table.updateEntity(
          {
            partitionKey,
            rowKey: recordKey,
            Status: claimed.status,
            LeaseUntil: int64(claimed.leaseUntil),
            Attempts: claimed.attempts,
          },
          'Merge',
          { etag },
        );
        return { kind: 'claimed', record: claimed };
      } catch (error) {
        if (!isConditionNotMet(error)) throw error;
      }
    }
    throw new StorageContendedError(
      `alert record ${ruleKey} ${recordKey} in table ${this.table.tableName} kept changing while claiming it`,
    );
  }

  async markSent(record: AlertRecord, now: number, receipt: DeliveryReceipt): Promise<void> {
    const accepted = [...new Set([...record.acceptedBatches, ...(receipt.acceptedBatches ?? [])])].sort(
      (a, b) => a - b,
    );
    await this.table.updateEntity(
      {
        partitionKey: tableKey(record.ruleKey),
        rowKey: record.recordKey,
        Status: 'sent',
        SentAt: new Date(now).toISOString(),
        MessageIds: receipt.messageIds.join(' ').slice(0, 4000),
        Provider: receipt.provider,
        ...(receipt.location === undefined ? {} : { Location: clipText(receipt.location, 1024) }),
        ...(receipt.heldBack === undefined || receipt.heldBack === 0 ? {} : { HeldBack: receipt.heldBack }),
        AcceptedBatches: accepted.join(' '),
        LastError: '',
      },
      'Merge',
    );
  }

  async markFailed(record: AlertRecord, now: number, failure: SendFailure): Promise<void> {
    // Ending the lease lets the host's retry, or the maintenance timer, claim the alert again at once.
    await this.table.updateEntity(
      {
        partitionKey: tableKey(record.ruleKey),
        rowKey: record.recordKey,
        Status: failure.permanent ? 'rejected' : 'failed',
        LeaseUntil: int64(now),
        LastError: clipText(failure.error, 8000),
        AcceptedBatches: failure.acceptedBatches.join(' '),
      },
      'Merge',
    );
  }

  async setStatus(record: AlertRecord, status: RecordStatus): Promise<void> {
    await this.table.updateEntity(
      { partitionKey: tableKey(record.ruleKey), rowKey: record.recordKey, Status: status },
      'Merge',
    );
  }

  async *listOpen(): AsyncIterable<AlertRecord> {
    const statuses = OPEN_STATUSES.map((s) => `Status eq '${s}'`).join(' or ');
    yield* this.query(`Kind eq 'record' and (${statuses})`);
  }

  async listDelivery(ruleKey: string, deliveryId: string): Promise<AlertRecord[]> {
    const records: AlertRecord[] = [];
    for await (const record of this.query(odata`PartitionKey eq ${tableKey(ruleKey)} and DeliveryId eq ${deliveryId}`))
      records.push(record);
    return records;
  }

  async *listEpisodes(ruleKey: string): AsyncIterable<OpenEpisode> {
    const filter = odata`PartitionKey eq ${tableKey(ruleKey)} and RowKey ge ${EPISODE_PREFIX} and RowKey lt ${EPISODE_END}`;
    const skipped: StoredStateError[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        let episode: OpenEpisode;
        try {
          episode = episodeOf(this.table.tableName, entity);
        } catch (error) {
          if (!(error instanceof StoredStateError)) throw error;
          skipped.push(error);
          continue;
        }
        yield episode;
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (skipped.length > 0) throw new StoredEntitiesSkippedError(skipped);
  }

  async changeState(
    ruleKey: string,
    groupKey: string,
    change: (state: AlertState | undefined) => StateChange | undefined,
    updatedAt: number,
  ): Promise<{ state: AlertState; record?: Stored } | undefined> {
    await this.ensureTable();
    const partitionKey = tableKey(ruleKey);
    const stateKey = stateRowKey(groupKey);
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const current = await this.readState(partitionKey, stateKey);
      const next = change(current?.state);
      if (next === undefined) return undefined;
      if (next.record !== undefined) {
        const existing = await this.readRecord(partitionKey, next.record.recordKey);
        if (existing)
          return { state: current?.state ?? next.state, record: { record: existing.record, created: false } };
      }
      const state = stateEntity(partitionKey, stateKey, ruleKey, groupKey, next.state, updatedAt);
      const actions: TransactionAction[] = [
        current ? ['update', state, 'Replace', { etag: current.etag }] : ['create', state],
        ...(next.record === undefined
          ? []
          : [next.record, ...(next.companions ?? [])].map((record): TransactionAction => [
              'create',
              recordEntity(partitionKey, record),
            ])),
        ...(await this.indexActions(partitionKey, ruleKey, groupKey, next.state, updatedAt, true)),
      ];
      try {
        await this.table.submitTransaction(actions);
        return {
          state: next.state,
          ...(next.record === undefined ? {} : { record: { record: next.record, created: true } }),
        };
      } catch (error) {
        if (!isRace(error, actions)) throw error;
        await this.pause(this.random() * Math.min(200, 10 * round));
      }
    }
    throw new StorageContendedError(
      `alert state ${ruleKey} / ${groupKey} in table ${this.table.tableName} kept changing under ${MAX_ROUNDS} attempts to change it`,
    );
  }

  async expire(recordsBefore: number, statesBefore: number): Promise<{ records: number; states: number }> {
    const counts = { records: 0, states: 0 };
    // An episode's index entry is written with its state, so it ages with it.
    const filter =
      odata`(Kind eq 'record' and RecordedAt lt ${new Date(recordsBefore)})` +
      ' or ' +
      odata`((Kind eq 'state' or Kind eq 'episode') and UpdatedAt lt ${new Date(statesBefore)})`;
    const byPartition = new Map<string, { rowKey: string; kind: string }[]>();
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({
        queryOptions: { filter, select: ['PartitionKey', 'RowKey', 'Kind'] },
      })) {
        const partition = entity.partitionKey ?? '';
        const list = byPartition.get(partition) ?? [];
        list.push({ rowKey: entity.rowKey ?? '', kind: String(entity['Kind']) });
        byPartition.set(partition, list);
      }
    } catch (error) {
      if (isNotFound(error)) return counts;
      throw error;
    }
    for (const [partitionKey, rows] of byPartition) {
      for (let start = 0; start < rows.length; start += MAX_TRANSACTION) {
        const chunk = rows.slice(start, start + MAX_TRANSACTION);
        await this.table.submitTransaction(
          chunk.map((r) => ['delete', { partitionKey, rowKey: r.rowKey }] as TransactionAction),
        );
        for (const r of chunk) if (r.kind !== 'episode') counts[r.kind === 'state' ? 'states' : 'records']++;
      }
    }
    return counts;
  }

  /**
   * The records the filter finds. One that does not read is skipped, so it cannot keep every other
   * alert from being re-driven; they are reported together once the listing ends.
   *
   * @throws StoredEntitiesSkippedError after the last readable record, when some were skipped
   */
  private async *query(filter: string): AsyncIterable<AlertRecord> {
    const skipped: StoredStateError[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        let record: AlertRecord;
        try {
          record = recordOf(this.table.tableName, entity);
        } catch (error) {
          if (!(error instanceof StoredStateError)) throw error;
          skipped.push(error);
          continue;
        }
        yield record;
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (skipped.length > 0) throw new StoredEntitiesSkippedError(skipped);
  }

  /**
   * What keeps a group's episode index entry in step with the state being written: upserted while the
   * state holds an open episode, deleted once it holds none. The entry is read first only when it may
   * exist (`mayExist`), since a delete of a missing entity fails the whole transaction.
   */
  private async indexActions(
    partitionKey: string,
    ruleKey: string,
    groupKey: string,
    state: AlertState,
    updatedAt: number,
    mayExist: boolean,
  ): Promise<TransactionAction[]> {
    const rowKey = episodeRowKey(groupKey);
    if (state.episode !== undefined)
      return [['upsert', episodeEntity(partitionKey, rowKey, ruleKey, groupKey, state.episode, updatedAt), 'Replace']];
    if (!mayExist) return [];
    try {
      await this.table.getEntity(partitionKey, rowKey, { queryOptions: { select: ['RowKey'] } });
      // NOTE: a transaction deletes unconditionally; the state's conditional write in the same
      // transaction is what refuses a race, and a 404 (deleted meanwhile) makes it recompute.
      return [['delete', { partitionKey, rowKey }]];
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  private async readRecord(
    partitionKey: string,
    rowKey: string,
  ): Promise<{ record: AlertRecord; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { record: recordOf(this.table.tableName, entity), etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async readState(
    partitionKey: string,
    rowKey: string,
  ): Promise<{ state: AlertState; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { state: stateOf(this.table.tableName, entity), etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/** The RowKey of a group's state: the same digest earlier versions used, so stored state carries over. */
export function stateRowKey(groupKey: string): string {
  return digestKey(`group:${groupKey}`);
}

/** Episode index entries: `e~` + the state's RowKey; digests are base64url, so `e~~` is past them all. */
const EPISODE_PREFIX = 'e~';
const EPISODE_END = 'e~~';

/** The RowKey of a group's episode index entry. */
export function episodeRowKey(groupKey: string): string {
  return `${EPISODE_PREFIX}${stateRowKey(groupKey)}`;
}

/**
 * A transaction that lost a race: a conditional write refused (412), a row created meanwhile (409), or
 * an index entry it deletes deleted meanwhile (404); each is recomputed from what is stored now. A 404
 * of a transaction without a delete is the table gone, no race.
 */
function isRace(error: unknown, actions: readonly TransactionAction[]): boolean {
  return (
    isConditionNotMet(error) ||
    isAlreadyExists(error) ||
    (isNotFound(error) && actions.some(([kind]) => kind === 'delete'))
  );
}

// NOTE: epoch ms pass Int32; as Int64 they stay numbers in Storage Explorer.
function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}
