import type { RuleStore } from '../../shared/adapters/storage/tableRuleStore';
import type { RuleEntity } from '../../shared/core/rules/alertRule';

/**
 * A RuleStore in memory, for rules Table Storage could not hold (e.g. 2,500 recipients > 32K chars),
 * and for unit tests. It versions rules as the table does: every write, LastError's included, gives
 * the rule a new etag, and the conditional writes refuse a stale one.
 */
export class MemoryRuleStore implements RuleStore {
  private readonly rules = new Map<string, RuleEntity>();
  private version = 0;

  async list(): Promise<RuleEntity[]> {
    return [...this.rules.values()];
  }
  async get(scope: string, id: string): Promise<RuleEntity | undefined> {
    return this.rules.get(`${scope}/${id}`);
  }
  async put(entity: RuleEntity): Promise<void> {
    this.store(entity);
  }
  async putIfUnchanged(entity: RuleEntity, expected: string | undefined): Promise<boolean> {
    if (this.rules.get(`${entity.partitionKey}/${entity.rowKey}`)?.etag !== expected) return false;
    this.store(entity);
    return true;
  }
  async remove(scope: string, id: string): Promise<boolean> {
    return this.rules.delete(`${scope}/${id}`);
  }
  async removeIfUnchanged(scope: string, id: string, expected: string): Promise<boolean> {
    if (this.rules.get(`${scope}/${id}`)?.etag !== expected) return false;
    return this.rules.delete(`${scope}/${id}`);
  }
  async setLastError(scope: string, id: string, lastError: string): Promise<void> {
    const rule = this.rules.get(`${scope}/${id}`);
    if (rule) this.store({ ...rule, LastError: lastError });
  }

  private store(entity: RuleEntity): void {
    const { etag: _ignored, ...properties } = entity;
    this.version++;
    this.rules.set(`${entity.partitionKey}/${entity.rowKey}`, { ...properties, etag: `W/"${this.version}"` });
  }
}
