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

/** Turns an SDK failure into what a user can act on: unreachable storage or a refused request. */
export function describeStorageError(error: unknown): string | undefined {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'REQUEST_SEND_ERROR') {
    return `storage is unreachable (${code}): check the connection string, or start Azurite (npm start)`;
  }
  if (typeof e?.statusCode === 'number')
    return `storage refused the request (HTTP ${e.statusCode}): ${String(e.message)}`;
  return undefined;
}
