import { stringify } from 'yaml';

import type { RuleEntity } from '../shared/core/rules/alertRule';
import { isEdmValue } from '../shared/core/rules/readRuleValue';
import {
  compareRuleKeys,
  isUnreadable,
  normalizeRule,
  RULE_PROPERTIES,
  type RuleValue,
} from '../shared/core/rules/rulePlan';
import type { RuleFileFormat } from './ruleFileSyntax';

/**
 * Rules as a rules file that `rules apply` reads back to exactly these rules: by scope and id, each
 * property in file order, only those the rule sets, in canonical form (Int32 5, Int64 5 and '5' are
 * all written 5), nothing the table keeps for itself (LastError, Timestamp, the etag). The same rules
 * give the same bytes, so a file kept in git changes only where a rule did.
 */
export function ruleFileText(rules: readonly RuleEntity[], format: RuleFileFormat): string {
  const entries = [...rules].sort(compareRuleKeys).map(fileEntry);
  if (format === 'json') return `${JSON.stringify(entries, null, 2)}\n`;
  // lineWidth 0: a long query stays on one line rather than folded where a reader would not look for it.
  return stringify(entries, { lineWidth: 0 });
}

function fileEntry(entity: RuleEntity): Record<string, unknown> {
  const { properties } = normalizeRule(entity);
  const entry: Record<string, unknown> = { PartitionKey: entity.partitionKey, RowKey: entity.rowKey };
  for (const property of RULE_PROPERTIES) {
    const value = properties[property];
    if (value === undefined) continue;
    entry[property] = isUnreadable(value) ? storedValue(entity[property]) : value;
  }
  return entry;
}

/**
 * A stored value no rule can hold, as near as a file can say it, so that `rules apply` names the
 * problem on its line rather than the export hiding it: 5.5 for an Edm.Double 5.5.
 */
function storedValue(value: unknown): RuleValue {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  const text = isEdmValue(value) ? String(value.value) : String(value);
  const number = Number(text);
  // A number JSON and YAML hold exactly; an Int64 past 2^53 stays text rather than be rounded.
  const exact =
    text.trim() !== '' && Number.isFinite(number) && (!Number.isInteger(number) || Number.isSafeInteger(number));
  return isEdmValue(value) && value.type !== 'String' && exact ? number : text;
}
