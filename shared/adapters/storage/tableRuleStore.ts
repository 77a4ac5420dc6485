import type { TableClient, TableEntityResult } from '@azure/data-tables';

import type { RuleEntity } from '../../core/rules/alertRule';
import { type EdmValue, isEdmValue } from '../../core/rules/readRuleValue';
import { type RuleStore, storedLastError } from '../../core/rules/ruleStore';
import { isAlreadyExists, isConditionNotMet, isNotFound } from './storageFailure';
import { tableReadiness } from './tableReady';

export { MAX_LAST_ERROR_CHARS, type RuleStore, storedLastError } from '../../core/rules/ruleStore';

const INTEGER_PROPERTIES = ['Severity', 'Threshold', 'WindowMinutes', 'ThrottleMinutes', 'MaxEvents'] as const;
const INT32_MAX = 2 ** 31 - 1;

export class TableRuleStore implements RuleStore {
  private readonly ensureTable: () => Promise<void>;

  constructor(private readonly table: TableClient) {
    this.ensureTable = tableReadiness(table);
  }

  async list(): Promise<RuleEntity[]> {
    const rules: RuleEntity[] = [];
    try {
      for await (const entity of this.table.listEntities({ disableTypeConversion: true }))
        rules.push(fromEntity(entity));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return rules;
  }

  async get(scope: string, id: string): Promise<RuleEntity | undefined> {
    try {
      return fromEntity(await this.table.getEntity(scope, id, { disableTypeConversion: true }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(entity: RuleEntity): Promise<void> {
    await this.ensureTable();
    await this.table.upsertEntity(toEntity(entity), 'Replace');
  }

  async putIfUnchanged(entity: RuleEntity, expected: string | undefined): Promise<boolean> {
    if (expected === undefined) {
      await this.ensureTable();
      try {
        await this.table.createEntity(toEntity(entity));
        return true;
      } catch (error) {
        // Added meanwhile; any other 409 (TableBeingDeleted) is a failure of its own.
        if (isAlreadyExists(error)) return false;
        throw error;
      }
    }
    try {
      await this.table.updateEntity(toEntity(entity), 'Replace', { etag: expected });
      return true;
    } catch (error) {
      // 412: changed meanwhile; 404: removed meanwhile (an update with an etag never creates).
      if (isConditionNotMet(error) || isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(scope: string, id: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(scope, id);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async removeIfUnchanged(scope: string, id: string, expected: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(scope, id, { etag: expected });
      return true;
    } catch (error) {
      if (isConditionNotMet(error) || isNotFound(error)) return false;
      throw error;
    }
  }

  async setLastError(scope: string, id: string, lastError: string): Promise<void> {
    try {
      // NOTE: Merge without an etag on purpose: it only sets LastError, so it cannot undo a user's
      // concurrent edit of the rule's own properties.
      await this.table.updateEntity(
        { partitionKey: scope, rowKey: id, LastError: storedLastError(lastError) },
        'Merge',
      );
    } catch (error) {
      // The rule was removed meanwhile: nothing to record.
      if (!isNotFound(error)) throw error;
    }
  }
}

/**
 * The rule as stored, read with `disableTypeConversion` so a problem can name the stored type: text,
 * flags and Int32 become plain values; Int64, Double and the rest stay `{ value, type }`, which is
 * also what `put` writes back unchanged (a BigInt would make JSON.stringify throw in `rules show`).
 */
function fromEntity(entity: TableEntityResult<Record<string, unknown>>): RuleEntity {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key.startsWith('odata.')) continue;
    copy[key] = isEdmValue(value) ? plainValue(value) : value;
  }
  return { ...copy, partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '' };
}

function plainValue(edm: EdmValue): unknown {
  switch (edm.type) {
    case 'String':
      return String(edm.value);
    case 'Boolean':
      return edm.value === true || edm.value === 'true';
    case 'Int32':
      return Number(edm.value);
    default:
      return { value: String(edm.value), type: edm.type };
  }
}

function toEntity(entity: RuleEntity): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const out: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: entity.partitionKey,
    rowKey: entity.rowKey,
  };
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'partitionKey' || key === 'rowKey' || key === 'etag' || key === 'timestamp' || value === undefined)
      continue;
    // Storage Explorer shows plain JS numbers as Double; the documented contract says int. An Int32
    // field refuses what does not fit, so larger whole numbers go as Int64.
    out[key] =
      (INTEGER_PROPERTIES as readonly string[]).includes(key) &&
      typeof value === 'number' &&
      Number.isSafeInteger(value)
        ? { value: String(value), type: Math.abs(value) <= INT32_MAX ? 'Int32' : 'Int64' }
        : value;
  }
  return out;
}
