import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type { AlertBook, ClaimResult, Decision, SendFailure, Stored } from '../../core/alerts/alertBook';
import { type AlertRecord, OPEN_STATUSES, type RecordStatus, type SummaryLine } from '../../core/alerts/alertRecord';
import { type AlertState, EMPTY_STATE, parseState, serializeState } from '../../core/alerts/alertState';
import type { AlertEmail } from '../../core/mail/alertEmail';
import type { SendReceipt } from '../../core/mail/mailer';
import { chunkText, clipText, joinText } from './chunkedText';
import { digestKey, statusOf, tableKey } from './tableKeys';
import { tableReadiness } from './tableReady';

/** Conflicts resolve in a few rounds; past this something is wrong and the invocation should fail. */
const MAX_ROUNDS = 25;
/** Entities one transaction may hold. */
const MAX_TRANSACTION = 100;

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

/**
 * The alert book on Table Storage. One partition per rule; in it one entity per group (its state,
 * RowKey a digest of the group, as in earlier versions) and one per delivery and group (its record,
 * RowKey `d~…`). A decision writes both in one entity-group transaction, so no crash can count a
 * delivery without marking it, or mark it without counting it.
 */
export class TableAlertBook implements AlertBook {
  private readonly ensureTable: () => Promise<void>;

  constructor(
    private readonly table: TableClient,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly random: () => number = Math.random,
  ) {
    this.ensureTable = tableReadiness(table);
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
      const stateEntity: Entity = {
        partitionKey,
        rowKey: stateKey,
        Kind: 'state',
        Rule: clipText(ruleKey, 1024),
        Group: clipText(groupKey, 1024),
        UpdatedAt: new Date(decision.record.recordedAt),
        ...chunkText('State', serializeState(decision.state)),
      };
      const actions: TransactionAction[] = [
        current ? ['update', stateEntity, 'Replace', { etag: current.etag }] : ['create', stateEntity],
        ['create', toEntity(partitionKey, decision.record)],
      ];
      try {
        await this.table.submitTransaction(actions);
        return { record: decision.record, created: true };
      } catch (error) {
        const status = statusOf(error);
        if (status !== 412 && status !== 409) throw error;
        // Someone else changed this group meanwhile: back off a little, with jitter, and recompute.
        await this.pause(this.random() * Math.min(200, 10 * round));
      }
    }
    throw new Error(`alert state ${ruleKey} / ${groupKey} kept changing under ${MAX_ROUNDS} attempts to update it`);
  }

  async insert(record: AlertRecord): Promise<Stored> {
    await this.ensureTable();
    const partitionKey = tableKey(record.ruleKey);
    try {
      await this.table.createEntity(toEntity(partitionKey, record));
      return { record, created: true };
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await this.readRecord(partitionKey, record.recordKey);
    if (!existing) throw new Error(`alert record ${record.ruleKey} ${record.recordKey} exists and yet cannot be read`);
    return { record: existing.record, created: false };
  }

  async get(ruleKey: string, recordKey: string): Promise<AlertRecord | undefined> {
    return (await this.readRecord(tableKey(ruleKey), recordKey))?.record;
  }

  async claim(ruleKey: string, recordKey: string, now: number, leaseMs: number): Promise<ClaimResult> {
    const partitionKey = tableKey(ruleKey);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const found = await this.readRecord(partitionKey, recordKey);
      if (!found) throw new Error(`alert record ${ruleKey} ${recordKey} is missing`);
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
        if (statusOf(error) !== 412) throw error;
      }
    }
    throw new Error(`alert record ${ruleKey} ${recordKey} kept changing while claiming it`);
  }

  async markSent(record: AlertRecord, now: number, receipt: SendReceipt): Promise<void> {
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

  async expire(recordsBefore: number, statesBefore: number): Promise<{ records: number; states: number }> {
    const counts = { records: 0, states: 0 };
    const filter =
      odata`(Kind eq 'record' and RecordedAt lt ${new Date(recordsBefore)})` +
      ' or ' +
      odata`(Kind eq 'state' and UpdatedAt lt ${new Date(statesBefore)})`;
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
      if (statusOf(error) === 404) return counts;
      throw error;
    }
    for (const [partitionKey, rows] of byPartition) {
      for (let start = 0; start < rows.length; start += MAX_TRANSACTION) {
        const chunk = rows.slice(start, start + MAX_TRANSACTION);
        await this.table.submitTransaction(
          chunk.map((r) => ['delete', { partitionKey, rowKey: r.rowKey }] as TransactionAction),
        );
        for (const r of chunk) counts[r.kind === 'state' ? 'states' : 'records']++;
      }
    }
    return counts;
  }

  private async *query(filter: string): AsyncIterable<AlertRecord> {
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        yield fromEntity(entity as Entity);
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  private async readRecord(
    partitionKey: string,
    rowKey: string,
  ): Promise<{ record: AlertRecord; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { record: fromEntity(entity as Entity), etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async readState(
    partitionKey: string,
    rowKey: string,
  ): Promise<{ state: AlertState; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      const text = joinText(entity, 'State');
      return { state: text === undefined ? EMPTY_STATE : parseState(text), etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}

/** The RowKey of a group's state: the same digest earlier versions used, so stored state carries over. */
export function stateRowKey(groupKey: string): string {
  return digestKey(`group:${groupKey}`);
}

// NOTE: epoch ms pass Int32; as Int64 they stay numbers in Storage Explorer.
function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}

function toEntity(partitionKey: string, record: AlertRecord): Entity {
  return {
    partitionKey,
    rowKey: record.recordKey,
    Kind: 'record',
    Rule: clipText(record.ruleKey, 1024),
    Group: clipText(record.groupKey, 1024),
    Blob: clipText(record.blobName, 1024),
    DeliveryId: record.deliveryId,
    Status: record.status,
    RecordedAt: new Date(record.recordedAt),
    LeaseUntil: int64(record.leaseUntil),
    Attempts: record.attempts,
    AcceptedBatches: record.acceptedBatches.join(' '),
    ...(record.email === undefined ? {} : chunkText('Email', JSON.stringify(record.email))),
    ...(record.summaryKey === undefined ? {} : { SummaryKey: record.summaryKey }),
    ...(record.line === undefined ? {} : { Line: JSON.stringify(record.line) }),
  };
}

function fromEntity(entity: Entity): AlertRecord {
  const text = (name: string): string | undefined => (typeof entity[name] === 'string' ? entity[name] : undefined);
  const number = (name: string): number => {
    const raw = entity[name];
    const value =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'bigint'
          ? Number(raw)
          : Number((raw as { value?: unknown } | undefined)?.value ?? raw ?? 0);
    return Number.isFinite(value) ? value : 0;
  };
  const status = text('Status') as RecordStatus | undefined;
  if (status === undefined) throw new Error(`alert record ${entity.rowKey} has no Status`);
  const recordedAt = entity['RecordedAt'];
  const emailText = joinText(entity, 'Email');
  const lineText = text('Line');
  const batches = (text('AcceptedBatches') ?? '')
    .split(' ')
    .filter((b) => b !== '')
    .map(Number)
    .filter(Number.isInteger);
  const lastError = text('LastError');
  const summaryKey = text('SummaryKey');
  const sentAt = text('SentAt');
  const messageIds = text('MessageIds');
  return {
    ruleKey: text('Rule') ?? '',
    recordKey: entity.rowKey,
    groupKey: text('Group') ?? '',
    blobName: text('Blob') ?? '',
    deliveryId: text('DeliveryId') ?? '',
    status,
    recordedAt: recordedAt instanceof Date ? recordedAt.getTime() : Date.parse(String(recordedAt)),
    leaseUntil: number('LeaseUntil'),
    attempts: number('Attempts'),
    acceptedBatches: batches,
    ...(emailText === undefined ? {} : { email: parseEmail(emailText) }),
    ...(summaryKey === undefined || summaryKey === '' ? {} : { summaryKey }),
    ...(lineText === undefined ? {} : { line: JSON.parse(lineText) as SummaryLine }),
    ...(lastError === undefined || lastError === '' ? {} : { lastError }),
    ...(sentAt === undefined ? {} : { sentAt: Date.parse(sentAt) }),
    ...(messageIds === undefined || messageIds === '' ? {} : { messageIds: messageIds.split(' ') }),
  };
}

function parseEmail(text: string): AlertEmail {
  const raw = JSON.parse(text) as Partial<AlertEmail> | null;
  const strings = (value: unknown): value is string => typeof value === 'string';
  if (
    raw === null ||
    !strings(raw.from) ||
    !strings(raw.subject) ||
    !strings(raw.text) ||
    !strings(raw.html) ||
    !Array.isArray(raw.to) ||
    !raw.to.every(strings)
  ) {
    throw new Error('stored alert e-mail is not an e-mail (from, to, subject, text, html)');
  }
  return {
    from: raw.from,
    to: raw.to,
    subject: raw.subject,
    text: raw.text,
    html: raw.html,
    customArgs: raw.customArgs ?? {},
    headers: raw.headers ?? {},
  };
}
