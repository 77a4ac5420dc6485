import type { RuleStore } from '../../shared/adapters/storage/tableRuleStore';
import type { RuleEntity } from '../../shared/core/rules/alertRule';

/** A RuleStore in memory, for rules Table Storage could not hold (e.g. 2,500 recipients > 32K chars). */
export class MemoryRuleStore implements RuleStore {
  private readonly rules = new Map<string, RuleEntity>();

  async list(): Promise<RuleEntity[]> {
    return [...this.rules.values()];
  }
  async get(scope: string, id: string): Promise<RuleEntity | undefined> {
    return this.rules.get(`${scope}/${id}`);
  }
  async put(entity: RuleEntity): Promise<void> {
    this.rules.set(`${entity.partitionKey}/${entity.rowKey}`, entity);
  }
  async remove(scope: string, id: string): Promise<boolean> {
    return this.rules.delete(`${scope}/${id}`);
  }
  async setLastError(scope: string, id: string, lastError: string): Promise<void> {
    const rule = this.rules.get(`${scope}/${id}`);
    if (rule) this.rules.set(`${scope}/${id}`, { ...rule, LastError: lastError });
  }
}
