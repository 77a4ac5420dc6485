import { odata, type TableClient } from '@azure/data-tables';

import type { AlertRecord, RecordStatus } from '../../core/alerts/alertRecord';
import { describeError } from '../../core/describeError';
import { StoredStateError } from '../../core/errors';
import type { AlertLine } from '../../core/status/alertLine';
import type { StoredGroupState } from '../../core/status/groupStatus';
import { countOf, recordOf, stateOf } from './alertEntities';
import { isNotFound } from './storageFailure';
import { tableKey } from './tableKeys';

/** Which rules' partitions a listing reads: named rules (`scope/id`), every rule of a scope, or all. */
export type LedgerScope =
  | { readonly kind: 'rules'; readonly ruleKeys: readonly string[] }
  | { readonly kind: 'scope'; readonly scope: string }
  | { readonly kind: 'all' };

export interface RecordQuery {
  readonly where: LedgerScope;
  /** Records recorded at or after this, epoch ms. */
  readonly since: number;
  readonly statuses: readonly RecordStatus[];
}

/** The small properties a listing reads: never the e-mail's chunks (up to 400,000 characters a record). */
const LINE_PROPERTIES = [
  'PartitionKey',
  'RowKey',
  'Rule',
  'Group',
  'Blob',
  'Status',
  'RecordedAt',
  'SentAt',
  'Attempts',
  'Rows',
  'Weighted',
  'Line',
  'To',
  'Subject',
  'Provider',
  'MessageIds',
  'Location',
  'LastError',
  'EmailParts',
];

/**
 * Reads the alert book (AlertState) for the command line: delivery records and group states, as the
 * functions wrote them. Each rule is a partition, so a rule's listing is a partition query and a
 * scope's a range of partitions (its rule keys share the `scope/` prefix). Keys carry no time (a
 * record's RowKey is a digest), so the time and status filters are properties the service evaluates:
 * only matching records, and only their small properties, come back.
 */
export class TableAlertLedger {
  /** Entities that did not read, with their keys and what is wrong: skipped and reported, never guessed at. */
  readonly unreadable: string[] = [];

  constructor(private readonly table: TableClient) {}

  async *listLines(query: RecordQuery): AsyncIterable<AlertLine> {
    const statuses = query.statuses.map((s) => odata`Status eq ${s}`).join(' or ');
    const filter = odata`Kind eq 'record' and RecordedAt ge ${new Date(query.since)}` + ` and (${statuses})`;
    for (const partitions of partitionFilters(query.where)) {
      for await (const entity of this.entities(both(partitions, filter), LINE_PROPERTIES)) {
        const line = this.lineOf(entity);
        if (line !== undefined && covers(query.where, line.ruleKey)) yield line;
      }
    }
  }

  /** Fills in recipients and subject from the stored e-mail for lines of records written before they were kept apart. */
  async completeLines(lines: readonly AlertLine[]): Promise<AlertLine[]> {
    return Promise.all(
      lines.map(async (line) => {
        if (line.to.length > 0 || !EMAIL_BEARING.has(line.status)) return line;
        const record = (await this.findRecords(line.recordKey, [line.ruleKey]))[0];
        const email = record?.email;
        return email === undefined ? line : { ...line, to: email.to, subject: email.subject };
      }),
    );
  }

  /** The records with this key: one per rule the delivery and group touched (the key does not name the rule). */
  async findRecords(recordKey: string, ruleKeys?: readonly string[]): Promise<AlertRecord[]> {
    const filters =
      ruleKeys === undefined
        ? [odata`RowKey eq ${recordKey} and Kind eq 'record'`]
        : ruleKeys.map((ruleKey) => odata`PartitionKey eq ${tableKey(ruleKey)} and RowKey eq ${recordKey}`);
    const records: AlertRecord[] = [];
    for (const filter of filters) {
      for await (const entity of this.entities(filter)) {
        try {
          records.push(recordOf(this.table.tableName, entity));
        } catch (error) {
          if (!(error instanceof StoredStateError)) throw error;
          this.unreadable.push(describeError(error));
        }
      }
    }
    return records;
  }

  async *listStates(where: LedgerScope): AsyncIterable<StoredGroupState> {
    for (const partitions of partitionFilters(where)) {
      for await (const entity of this.entities(both(partitions, "Kind eq 'state'"))) {
        try {
          const ruleKey = typeof entity['Rule'] === 'string' ? entity['Rule'] : '';
          const updated = entity['UpdatedAt'];
          const state = stateOf(this.table.tableName, entity);
          if (!covers(where, ruleKey)) continue;
          yield {
            ruleKey,
            groupKey: typeof entity['Group'] === 'string' ? entity['Group'] : '',
            updatedAt: updated instanceof Date ? updated.getTime() : Date.parse(String(updated)),
            state,
          };
        } catch (error) {
          if (!(error instanceof StoredStateError)) throw error;
          this.unreadable.push(describeError(error));
        }
      }
    }
  }

  private async *entities(filter: string, select?: string[]): AsyncIterable<Record<string, unknown>> {
    try {
      yield* this.table.listEntities<Record<string, unknown>>({
        queryOptions: { filter, ...(select === undefined ? {} : { select }) },
      });
    } catch (error) {
      // No table yet: nothing was ever recorded.
      if (!isNotFound(error)) throw error;
    }
  }

  private lineOf(entity: Record<string, unknown>): AlertLine | undefined {
    const text = (name: string): string | undefined => {
      const value = entity[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const time = (name: string): number | undefined => {
      const value = entity[name];
      const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(ms) ? undefined : ms;
    };
    const ruleKey = text('Rule');
    const status = text('Status');
    const recordedAt = time('RecordedAt');
    if (ruleKey === undefined || status === undefined || recordedAt === undefined) {
      this.unreadable.push(
        `alert record ${String(entity['partitionKey'])} ${String(entity['rowKey'])} in table ${this.table.tableName}: no Rule, Status or RecordedAt`,
      );
      return undefined;
    }
    const covered = lineCounts(text('Line'));
    const rows = countOf(entity['Rows']) ?? covered?.rows;
    const weighted = countOf(entity['Weighted']) ?? covered?.weighted;
    const sentAt = time('SentAt');
    const provider = text('Provider');
    const to = text('To');
    const subject = text('Subject');
    const location = text('Location');
    const lastError = text('LastError');
    return {
      ruleKey,
      recordKey: String(entity['rowKey']),
      groupKey: text('Group') ?? '',
      status: status as RecordStatus,
      recordedAt,
      ...(sentAt === undefined ? {} : { sentAt }),
      attempts: countOf(entity['Attempts']) ?? 0,
      ...(rows === undefined ? {} : { rows }),
      ...(weighted === undefined ? {} : { weighted }),
      to: to === undefined ? [] : to.split(', '),
      ...(subject === undefined ? {} : { subject }),
      ...(provider === 'sendgrid' || provider === 'outbox' ? { provider } : {}),
      messageIds: text('MessageIds')?.split(' ') ?? [],
      ...(location === undefined ? {} : { location }),
      ...(lastError === undefined ? {} : { lastError }),
      blob: text('Blob') ?? '',
    };
  }
}

const EMAIL_BEARING: ReadonlySet<RecordStatus> = new Set<RecordStatus>(['sending', 'sent', 'failed', 'rejected']);

/** One filter per partition query to run: a named rule is one partition; a scope is one range of them. */
function partitionFilters(where: LedgerScope): string[] {
  if (where.kind === 'all') return [''];
  if (where.kind === 'rules') return where.ruleKeys.map((ruleKey) => odata`PartitionKey eq ${tableKey(ruleKey)}`);
  // `scope/…` encodes as `<scope>%2F…`; '%2G' is the first key past every one of them.
  const prefix = `${tableKey(where.scope)}%2F`;
  return [odata`PartitionKey ge ${prefix} and PartitionKey lt ${`${tableKey(where.scope)}%2G`}`];
}

function both(partitions: string, filter: string): string {
  return partitions === '' ? filter : `${partitions} and ${filter}`;
}

/** The exact check behind the key range: a long key keeps only a prefix of its text. */
function covers(where: LedgerScope, ruleKey: string): boolean {
  if (where.kind === 'all') return true;
  if (where.kind === 'rules') return where.ruleKeys.includes(ruleKey);
  return ruleKey.startsWith(`${where.scope}/`);
}

function lineCounts(text: string | undefined): { rows: number; weighted: number } | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { rows?: unknown; weighted?: unknown };
    const rows = countOf(value.rows);
    const weighted = countOf(value.weighted);
    return rows === undefined || weighted === undefined ? undefined : { rows, weighted };
  } catch {
    // A Line that does not read only leaves the count blank here; maintenance reports it.
    return undefined;
  }
}
