import { odata, type TableClient } from '@azure/data-tables';

import { StorageContendedError } from '../../core/errors';
import { type AdmitRequest, BUDGET_LEDGER, type HourRef, type RecipientBudget } from '../../core/mail/recipientBudget';
import {
  type Admission,
  admitToHour,
  type BudgetLine,
  emptyHour,
  type HourStage,
  hourStartOf,
  type RecipientHour,
  recipientId,
} from '../../core/mail/recipientHour';
import { chunkText, clipText, joinText } from './chunkedText';
import { isAlreadyExists, isConditionNotMet, isNotFound } from './storageFailure';
import { EntityReader, type StoredEntity, VERSION_PROPERTY } from './storedEntity';
import { tableKey } from './tableKeys';
import { tableReadiness } from './tableReady';

/** The shape of the recipient-hour entities this build writes. */
export const BUDGET_ENTITY_VERSION = 1;
/** Conflicts resolve in a few rounds; past this something is wrong and the send should fail (and be retried). */
const MAX_ROUNDS = 25;
/** Recipients of one e-mail weighed at once. */
const PARALLEL = 8;
const STAGES: readonly HourStage[] = ['open', 'closed', 'digested'];

type Stored = { readonly hour: RecipientHour; readonly etag: string };

/**
 * The per-recipient budget on Table Storage, in the alert book's table (AlertState), partition `#budget`
 * next to the digests' records: one entity per recipient and UTC hour (RowKey `h~<hour start, 15 digits>~
 * <digest of the address>`, so the hours that are over are one key range), Kind `budget`, which the alert
 * book's listings never ask for. Every change is a read and a write conditional on the ETag read,
 * recomputed on 412: concurrent senders to one recipient count each alert once and never past the budget.
 */
export class TableRecipientBudget implements RecipientBudget {
  private readonly ensureTable: () => Promise<void>;
  private readonly partition = tableKey(BUDGET_LEDGER);

  constructor(
    private readonly table: TableClient,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly random: () => number = Math.random,
  ) {
    this.ensureTable = tableReadiness(table, pause);
  }

  async admit(request: AdmitRequest): Promise<ReadonlyMap<string, Admission>> {
    await this.ensureTable();
    const admissions = new Map<string, Admission>();
    const queue = [...request.recipients];
    const worker = async (): Promise<void> => {
      for (let recipient = queue.shift(); recipient !== undefined; recipient = queue.shift()) {
        const ref = { recipient, hourStart: request.hourStart };
        let admission: Admission = 'counted';
        await this.change(ref, (current) => {
          const decided = admitToHour(
            current ?? emptyHour(recipient, request.hourStart),
            request.key,
            request.line,
            request.limit,
          );
          admission = decided.admission;
          return decided.next;
        });
        admissions.set(recipient, admission);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
    return admissions;
  }

  async *listDue(now: number): AsyncIterable<HourRef> {
    const filter =
      odata`PartitionKey eq ${this.partition} and RowKey ge ${'h~'} and RowKey lt ${rowPrefix(hourStartOf(now))}` +
      odata` and Kind eq 'budget' and Stage ne 'digested' and FoldedTotal gt 0`;
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({
        queryOptions: { filter, select: ['PartitionKey', 'RowKey', 'Recipient', 'HourStart'] },
      })) {
        const r = new EntityReader(this.table.tableName, entity, BUDGET_ENTITY_VERSION);
        yield { recipient: r.text('Recipient'), hourStart: r.integer('HourStart') };
      }
    } catch (error) {
      // No table yet: nothing was ever folded.
      if (!isNotFound(error)) throw error;
    }
  }

  async close(ref: HourRef): Promise<RecipientHour | undefined> {
    await this.ensureTable();
    return this.change(ref, (current) => (current?.stage === 'open' ? { ...current, stage: 'closed' } : undefined));
  }

  async markDigested(ref: HourRef): Promise<void> {
    await this.ensureTable();
    await this.change(ref, (current) =>
      current && current.stage !== 'digested' ? { ...current, stage: 'digested' } : undefined,
    );
  }

  async expire(before: number, giveUpBefore: number): Promise<{ expired: number; abandoned: HourRef[] }> {
    const filter = odata`PartitionKey eq ${this.partition} and RowKey ge ${'h~'} and RowKey lt ${rowPrefix(before)} and Kind eq 'budget'`;
    const result = { expired: 0, abandoned: [] as HourRef[] };
    const doomed: { rowKey: string; etag: string; ref: HourRef; owed: boolean }[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({
        queryOptions: { filter, select: ['PartitionKey', 'RowKey', 'Recipient', 'HourStart', 'Stage', 'FoldedTotal'] },
      })) {
        const r = new EntityReader(this.table.tableName, entity, BUDGET_ENTITY_VERSION);
        const ref = { recipient: r.text('Recipient'), hourStart: r.integer('HourStart') };
        const owed = r.text('Stage') !== 'digested' && r.integer('FoldedTotal') > 0;
        if (!owed || ref.hourStart < giveUpBefore)
          doomed.push({ rowKey: entity.rowKey ?? '', etag: entity.etag, ref, owed });
      }
    } catch (error) {
      if (isNotFound(error)) return result;
      throw error;
    }
    for (const { rowKey, etag, ref, owed } of doomed) {
      try {
        await this.table.deleteEntity(this.partition, rowKey, { etag });
        result.expired++;
        if (owed) result.abandoned.push(ref);
      } catch (error) {
        // Changed meanwhile (a late retry of one of its alerts) or removed by another run: next time.
        if (!isConditionNotMet(error) && !isNotFound(error)) throw error;
      }
    }
    return result;
  }

  /**
   * Reads a recipient-hour, lets `next` compute its successor (undefined: leave it) and writes it
   * conditionally on what was read, again until no other writer came between.
   * @returns the hour as it is now stored; undefined when there is none
   */
  private async change(
    ref: HourRef,
    next: (current: RecipientHour | undefined) => RecipientHour | undefined,
  ): Promise<RecipientHour | undefined> {
    const rowKey = rowKeyOf(ref);
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const stored = await this.read(rowKey);
      const changed = next(stored?.hour);
      if (changed === undefined) return stored?.hour;
      const entity = this.entityOf(rowKey, changed);
      try {
        if (stored) await this.table.updateEntity(entity, 'Replace', { etag: stored.etag });
        else await this.table.createEntity(entity);
        return changed;
      } catch (error) {
        if (!isConditionNotMet(error) && !isAlreadyExists(error)) throw error;
        // Another sender to this recipient wrote first: back off a little, with jitter, and recompute.
        await this.pause(this.random() * Math.min(200, 10 * round));
      }
    }
    throw new StorageContendedError(
      `recipient budget ${rowKey} in table ${this.table.tableName} kept changing under ${MAX_ROUNDS} attempts to update it`,
    );
  }

  private async read(rowKey: string): Promise<Stored | undefined> {
    let entity;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(this.partition, rowKey);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    return { hour: this.hourOf(entity), etag: entity.etag };
  }

  private hourOf(entity: StoredEntity): RecipientHour {
    const r = new EntityReader(this.table.tableName, entity, BUDGET_ENTITY_VERSION);
    const stage = r.text('Stage');
    if (!STAGES.includes(stage as HourStage))
      r.fail('Stage', `is '${clipText(stage, 40)}', expected one of ${STAGES.join(', ')}`);
    const words = (name: string) => (joinText(entity, name, r.place) ?? '').split(' ').filter((w) => w !== '');
    const linesText = joinText(entity, 'Lines', r.place);
    return {
      recipient: r.text('Recipient'),
      hourStart: r.integer('HourStart'),
      counted: words('Counted'),
      folded: words('Folded'),
      lines: linesText === undefined ? [] : r.json('Lines', linesText, linesOf),
      foldedTotal: r.integer('FoldedTotal'),
      stage: stage as HourStage,
    };
  }

  private entityOf(rowKey: string, hour: RecipientHour) {
    return {
      partitionKey: this.partition,
      rowKey,
      [VERSION_PROPERTY]: BUDGET_ENTITY_VERSION,
      Kind: 'budget',
      Recipient: clipText(hour.recipient, 1024),
      HourStart: int64(hour.hourStart),
      Stage: hour.stage,
      FoldedTotal: hour.foldedTotal,
      ...chunkText('Counted', hour.counted.join(' ')),
      ...chunkText('Folded', hour.folded.join(' ')),
      ...chunkText('Lines', JSON.stringify(hour.lines)),
    };
  }
}

/** The RowKey of a recipient-hour: the hour first, so hours that are over are one key range. */
export function rowKeyOf(ref: HourRef): string {
  return `${rowPrefix(ref.hourStart)}~${recipientId(ref.recipient)}`;
}

function rowPrefix(hourStart: number): string {
  return `h~${String(Math.max(0, Math.trunc(hourStart))).padStart(15, '0')}`;
}

function linesOf(value: unknown, fail: (problem: string) => never): BudgetLine[] {
  if (!Array.isArray(value)) fail('is not a list of alerts');
  return (value as unknown[]).map((item) => {
    const line = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    const { subject, rule, at } = line;
    if (typeof subject !== 'string' || typeof rule !== 'string' || !Number.isSafeInteger(at))
      fail('holds an alert without a subject, a rule and a time');
    return { subject, rule, at: at as number };
  });
}

// NOTE: epoch ms as Int64, as the alert book writes them.
function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}
