import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type AppConfig, loadConfig } from '../shared/config';
import { TableRuleStore } from '../shared/rules/ruleStore';
import { tableClientFrom } from '../shared/storage/clients';
import type { StorageConnection } from '../shared/storage/storageConnection';
import { UsageError } from './localExportFiles';

/**
 * The app settings a command runs with: the environment, filled in from `local.settings.json` in the
 * working folder the way `func start` does, so the CLI and the local host agree without exports.
 */
export function cliEnvironment(
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const file = join(cwd, 'local.settings.json');
  const merged: Record<string, string | undefined> = {};
  if (existsSync(file)) {
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> }).Values ?? {};
    for (const [key, value] of Object.entries(values)) if (typeof value === 'string') merged[key] = value;
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}

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
