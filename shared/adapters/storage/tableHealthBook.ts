import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type { AlertRecord } from '../../core/alerts/alertRecord';
import { describeError } from '../../core/describeError';
import { StoredStateError } from '../../core/errors';
import { type DigestMemory, EMPTY_MEMORY } from '../../core/health/collectDigest';
import type { DigestState, HealthBook, StoredDigest, WatchChange } from '../../core/health/healthBook';
import { DIGEST_LEDGER, WATCHDOG_LEDGER } from '../../core/health/healthRecord';
import type { StoredWatch, WatchState } from '../../core/health/planWatch';
import { sourceKey } from '../../core/health/sourceHealth';
import type { ExportSource } from '../../core/status/exportActivity';
import { recordEntity } from './alertEntities';
import { chunkText, clipText, joinText } from './chunkedText';
import { SOURCES } from './exportStatusEntity';
import { isAlreadyExists, isConditionNotMet, isNotFound } from './storageFailure';
import { EntityReader, type StoredEntity, VERSION_PROPERTY } from './storedEntity';
import { digestKey, tableKey } from './tableKeys';
import { tableReadiness } from './tableReady';

/** The shape of the watch and digest entities this build writes. */
export const HEALTH_ENTITY_VERSION = 1;
const DIGEST_ROW = 'digest';

/**
 * The watchdog's and the digest's state on Table Storage, in the alert book's table (AlertState)
 * next to their e-mails' records: partition `#health/watchdog` holds one `watch` entity per source
 * from its stop until a day after it resumed (RowKey `w~<digest of app and type>`) and the notices'
 * records; partition `#health/digest` holds the one `digest` entity and the digests' records. Being
 * in one partition, a state change and its record go in one entity-group transaction. The alert
 * book's listings ask for `Kind eq 'record'` or `'state'`, so they never see these entities; records
 * are re-driven and expired with every other.
 */
export class TableHealthBook implements HealthBook {
  private readonly ensureTable: () => Promise<void>;
  private readonly watchPartition = tableKey(WATCHDOG_LEDGER);
  private readonly digestPartition = tableKey(DIGEST_LEDGER);

  constructor(
    private readonly table: TableClient,
    pause?: (ms: number) => Promise<void>,
  ) {
    this.ensureTable = tableReadiness(table, pause);
  }

  async listWatches(): Promise<{ watches: StoredWatch[]; unreadable: string[] }> {
    const watches: StoredWatch[] = [];
    const unreadable: string[] = [];
    try {
      const filter = odata`PartitionKey eq ${this.watchPartition} and Kind eq 'watch'`;
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        try {
          watches.push(this.watchOf(entity));
        } catch (error) {
          if (!(error instanceof StoredStateError)) throw error;
          unreadable.push(describeError(error));
        }
      }
    } catch (error) {
      // No table yet: nothing watched.
      if (!isNotFound(error)) throw error;
    }
    return { watches, unreadable };
  }

  async commitNotice(changes: readonly WatchChange[], record: AlertRecord): Promise<boolean> {
    const actions: TransactionAction[] = changes.map((c) => this.watchAction(c));
    actions.push(['create', recordEntity(this.watchPartition, record)]);
    return this.submit(actions);
  }

  async forget(watch: StoredWatch): Promise<void> {
    try {
      await this.table.deleteEntity(this.watchPartition, watchRowKey(watch.app, watch.type), { etag: watch.version });
    } catch (error) {
      // Changed or removed meanwhile by another run: whatever it did stands.
      if (!isConditionNotMet(error) && !isNotFound(error)) throw error;
    }
  }

  async readDigest(): Promise<StoredDigest | undefined> {
    let entity;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(this.digestPartition, DIGEST_ROW);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const r = new EntityReader(this.table.tableName, entity, HEALTH_ENTITY_VERSION);
    const memoryText = joinText(entity, 'Memory', r.place);
    return {
      state: {
        sentAt: r.integer('SentAt'),
        cutoff: r.integer('Cutoff'),
        memory: memoryText === undefined ? EMPTY_MEMORY : r.json('Memory', memoryText, memoryOf),
      },
      version: entity.etag,
    };
  }

  async commitDigest(previous: StoredDigest | undefined, next: DigestState, record?: AlertRecord): Promise<boolean> {
    const entity = {
      partitionKey: this.digestPartition,
      rowKey: DIGEST_ROW,
      [VERSION_PROPERTY]: HEALTH_ENTITY_VERSION,
      Kind: 'digest',
      SentAt: int64(next.sentAt),
      Cutoff: int64(next.cutoff),
      ...chunkText('Memory', JSON.stringify(next.memory)),
    };
    const actions: TransactionAction[] = [
      previous === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: previous.version }],
    ];
    if (record) actions.push(['create', recordEntity(this.digestPartition, record)]);
    return this.submit(actions);
  }

  /** Runs the transaction; false when another writer got there first (a state changed, an entity exists). */
  private async submit(actions: TransactionAction[]): Promise<boolean> {
    await this.ensureTable();
    try {
      await this.table.submitTransaction(actions);
      return true;
    } catch (error) {
      // NOTE: a 409 other than EntityAlreadyExists (TableBeingDeleted) is no race with another writer;
      // a 404 is: the watch this change replaces was forgotten by another run.
      if (isConditionNotMet(error) || isAlreadyExists(error) || isNotFound(error)) return false;
      throw error;
    }
  }

  private watchAction(change: WatchChange): TransactionAction {
    const rowKey = watchRowKey(change.app, change.type);
    const entity = {
      partitionKey: this.watchPartition,
      rowKey,
      [VERSION_PROPERTY]: HEALTH_ENTITY_VERSION,
      Kind: 'watch',
      App: clipText(change.app, 1024),
      Type: change.type,
      Source: change.source,
      ...stateProperties(change.next),
    };
    return change.previous === undefined
      ? ['create', entity]
      : ['update', entity, 'Replace', { etag: change.previous.version }];
  }

  private watchOf(entity: StoredEntity & { etag?: string }): StoredWatch {
    const r = new EntityReader(this.table.tableName, entity, HEALTH_ENTITY_VERSION);
    const source = r.text('Source');
    if (!SOURCES.has(source))
      r.fail('Source', `is '${clipText(source, 40)}', expected one of ${[...SOURCES].join(', ')}`);
    const kind = r.text('State');
    const since = r.time('Since');
    const state: WatchState =
      kind === 'stopped'
        ? { kind, since }
        : kind === 'resumed'
          ? { kind, since, resumedAt: r.time('ResumedAt') }
          : r.fail('State', `is '${clipText(kind, 40)}', expected stopped or resumed`);
    return {
      app: r.text('App'),
      type: r.text('Type'),
      source: source as ExportSource,
      state,
      version: entity.etag ?? '',
    };
  }
}

/** The RowKey of a source's watch: app names can be long and hold any character. */
export function watchRowKey(app: string, type: string): string {
  return `w~${digestKey(sourceKey(app, type))}`;
}

function stateProperties(state: WatchState): Record<string, unknown> {
  return state.kind === 'stopped'
    ? { State: 'stopped', Since: new Date(state.since) }
    : { State: 'resumed', Since: new Date(state.since), ResumedAt: new Date(state.resumedAt) };
}

function memoryOf(value: unknown, fail: (problem: string) => never): DigestMemory {
  const raw = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  const { reported, rules, problems } = raw ?? {};
  const texts = (v: unknown): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string');
  if (!texts(rules) || !texts(problems)) fail('has no lists of texts in rules and problems');
  if (reported === null || typeof reported !== 'object' || Array.isArray(reported)) fail('has no map in reported');
  const pairs = Object.entries(reported as Record<string, unknown>);
  const counts = (v: unknown): v is [number, number] =>
    Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
  if (!pairs.every(([, v]) => counts(v))) fail('has a reported count that is not [failures, poisoned]');
  return { reported: Object.fromEntries(pairs) as Record<string, [number, number]>, rules, problems };
}

// NOTE: epoch ms as Int64, as the alert book writes them.
function int64(value: number): { value: string; type: 'Int64' } {
  return { value: String(Math.trunc(value)), type: 'Int64' };
}
