import type { TableClient, TableEntityResult } from '@azure/data-tables';

import { statusOf } from '../storage/tableKeys';
import { ensureTable } from '../storage/tableReady';
import type { RuleEntity } from './alertRule';

/** Where rules live. The Table Storage adapter below is the real one; tests may use it on Azurite. */
export interface RuleStore {
  /** Every rule; none when the table does not exist yet. */
  list(): Promise<RuleEntity[]>;
  get(scope: string, id: string): Promise<RuleEntity | undefined>;
  /** Creates the table when needed and writes the rule whole. */
  put(entity: RuleEntity): Promise<void>;
  /** @returns false when there was no such rule */
  remove(scope: string, id: string): Promise<boolean>;
  /** Records a rule's problems ('' when valid) next to it, without touching the user's properties. */
  setLastError(scope: string, id: string, lastError: string): Promise<void>;
}

const INTEGER_PROPERTIES = ['Severity', 'Threshold', 'WindowMinutes', 'ThrottleMinutes', 'MaxEvents'] as const;

export class TableRuleStore implements RuleStore {
  constructor(private readonly table: TableClient) {}

  async list(): Promise<RuleEntity[]> {
    const rules: RuleEntity[] = [];
    try {
      for await (const entity of this.table.listEntities()) rules.push(fromEntity(entity));
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw error;
    }
    return rules;
  }

  async get(scope: string, id: string): Promise<RuleEntity | undefined> {
    try {
      return fromEntity(await this.table.getEntity(scope, id));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async put(entity: RuleEntity): Promise<void> {
    await ensureTable(this.table);
    await this.table.upsertEntity(toEntity(entity), 'Replace');
  }

  async remove(scope: string, id: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(scope, id);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async setLastError(scope: string, id: string, lastError: string): Promise<void> {
    try {
      // NOTE: Merge without an etag on purpose: it only sets LastError, so it cannot undo a user's
      // concurrent edit of the rule's own properties.
      await this.table.updateEntity({ partitionKey: scope, rowKey: id, LastError: lastError }, 'Merge');
    } catch (error) {
      // The rule was removed meanwhile: nothing to record.
      if (statusOf(error) !== 404) throw error;
    }
  }
}

function fromEntity(entity: TableEntityResult<Record<string, unknown>>): RuleEntity {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    // Int64 and other typed values come back as { value, type }; rules only need the value.
    copy[key] = value !== null && typeof value === 'object' && 'value' in value && 'type' in value ? (value as { value: unknown }).value : value;
  }
  return { ...(copy as object), partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '' } as RuleEntity;
}

function toEntity(entity: RuleEntity): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const out: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: entity.partitionKey,
    rowKey: entity.rowKey,
  };
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'partitionKey' || key === 'rowKey' || key === 'etag' || key === 'timestamp' || value === undefined) continue;
    // Storage Explorer shows plain JS numbers as Double; the documented contract says int.
    out[key] = (INTEGER_PROPERTIES as readonly string[]).includes(key) && typeof value === 'number'
      ? { value: String(value), type: 'Int32' }
      : value;
  }
  return out;
}
