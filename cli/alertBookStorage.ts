import type { AppConfig } from '../shared/adapters/settings/config';
import { loadConfig } from '../shared/adapters/settings/config';
import { tableClientFrom } from '../shared/adapters/storage/clients';
import type { StorageConnection } from '../shared/adapters/storage/storageConnection';
import { TableAlertLedger } from '../shared/adapters/storage/tableAlertLedger';
import { TableRuleStore } from '../shared/adapters/storage/tableRuleStore';
import { compileRule, type RuleEntity } from '../shared/core/rules/alertRule';
import type { CliEnvironment } from './cliContext';
import { parseMinutes } from './durationOption';
import { UsageError } from './localExportFiles';

export const HOST_CONNECTION_HELP = 'storage connection string (default: AzureWebJobsStorage)';

/** What the "what happened" commands read: the host account's alert book, and the rules. */
export interface AlertBookStorage {
  readonly config: AppConfig;
  /** AzureWebJobsStorage, or --connection: alert state, records, export status, the poison queue. */
  readonly connection: StorageConnection;
  readonly ledger: TableAlertLedger;
  readonly rules: TableRuleStore;
}

/** The settings' connections, or `--connection` for all of them (one account, as locally). */
export function alertBookStorage(connectionOption: string | undefined, env: CliEnvironment): AlertBookStorage {
  const config = loadConfig(env);
  const connection = connectionOption ?? config.stateConnection;
  if (connection === undefined)
    throw new UsageError('no storage connection: set AzureWebJobsStorage, or pass --connection');
  const rulesConnection = connectionOption ?? config.rulesConnection ?? connection;
  return {
    config,
    connection,
    ledger: new TableAlertLedger(tableClientFrom(connection, config.stateTable)),
    rules: new TableRuleStore(tableClientFrom(rulesConnection, config.rulesTable)),
  };
}

/**
 * `scope/id` of the rules `--rule` names: `scope/id` as given (ids and scopes hold no `/`), `--scope`
 * and an id, or an id looked up in the rules table (every scope that has it).
 * @throws UsageError when an id alone is in no scope of the rules table
 */
export function ruleKeysFor(rule: string, scope: string | undefined, rules: readonly RuleEntity[]): string[] {
  if (rule.includes('/')) return [rule];
  if (scope !== undefined) return [`${scope}/${rule}`];
  const keys = rules.filter((r) => r.rowKey === rule).map((r) => `${r.partitionKey}/${r.rowKey}`);
  if (keys.length === 0) {
    throw new UsageError(
      `no rule '${rule}' in the rules table: for a rule removed since, name it with its scope (--rule <scope>/${rule})`,
    );
  }
  return keys;
}

/** Each rule's firing policy by `scope/id`, or why it has none (does not compile). */
export function policiesOf(
  rules: readonly RuleEntity[],
): Map<string, { threshold: number; windowMinutes: number; throttleMinutes: number } | 'invalid'> {
  const policies = new Map<string, { threshold: number; windowMinutes: number; throttleMinutes: number } | 'invalid'>();
  for (const entity of rules) {
    const compiled = compileRule(entity);
    policies.set(`${entity.partitionKey}/${entity.rowKey}`, compiled.ok ? compiled.value : 'invalid');
  }
  return policies;
}

/** `--since 24h` as epoch ms before `now`. */
export function sinceOption(value: string, now: number): { since: number; minutes: number } {
  const minutes = parseMinutes('--since', value);
  if (minutes <= 0)
    throw new UsageError(`--since takes a duration above zero, such as 30m, 24h or 7d, found '${value}'`);
  return { since: now - minutes * 60_000, minutes };
}

/** `in the last 24 h`, `in the last 30 min`, `in the last 7 d`. */
export function sinceText(minutes: number): string {
  if (minutes % 1440 === 0) return `in the last ${minutes / 1440 === 1 ? '24 h' : `${minutes / 1440} d`}`;
  if (minutes % 60 === 0) return `in the last ${minutes / 60} h`;
  return `in the last ${minutes} min`;
}

/** A whole number in [1, max] for `option`. */
export function countOption(option: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > max)
    throw new UsageError(`${option} takes a whole number from 1 to ${max}, found '${value}'`);
  return n;
}
