import { type AppConfig, loadConfig } from '../shared/adapters/settings/config';
import { environmentWithLocalSettings } from '../shared/adapters/settings/localSettingsFile';
import { tableClientFrom } from '../shared/adapters/storage/clients';
import type { StorageConnection } from '../shared/adapters/storage/storageConnection';
import { TableRuleStore } from '../shared/adapters/storage/tableRuleStore';
import { UsageError } from './localExportFiles';

/** The environment with `local.settings.json` filled in (shared with the local host). */
export const cliEnvironment = environmentWithLocalSettings;

export interface CliStorage {
  readonly config: AppConfig;
  readonly connection: StorageConnection;
}

/** Settings plus the storage connection: `--connection`, else the rules/AzureWebJobsStorage settings. */
export function cliStorage(connectionOption: string | undefined, env = cliEnvironment()): CliStorage {
  const config = loadConfig(env);
  const connection = connectionOption ?? config.rulesConnection;
  if (!connection) {
    throw new UsageError(
      'no storage connection: set AzureWebJobsStorage (or ALERT_RULES_STORAGE), or pass --connection',
    );
  }
  return { config, connection };
}

export function cliRuleStore(storage: CliStorage): TableRuleStore {
  return new TableRuleStore(tableClientFrom(storage.connection, storage.config.rulesTable));
}
