import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { readPositiveInt } from '../shared/adapters/settings/settingValues';
import { defined } from '../shared/core/defined';
import { ConfigError } from '../shared/core/errors';

type Env = Readonly<Record<string, string | undefined>>;

export const DEVELOPMENT_STORAGE = 'UseDevelopmentStorage=true';
/** Where Azurite keeps its data (git-ignored), so rules, receipts and blobs survive restarts. */
export const AZURITE_DIR = '.azurite';
export const DEFAULT_POLL_SECONDS = 2;

/**
 * The app settings the local host runs with: the given ones (environment over local.settings.json),
 * filled in so a fresh checkout runs on Azurite with mail to `./outbox`. Rules are re-read every 5 s
 * rather than every minute, so a rule added with the CLI applies to the next blob.
 */
export function localHostSettings(env: Env): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = { ...env };
  const fill = (key: string, value: string): void => {
    if (settings[key] === undefined || settings[key]?.trim() === '') settings[key] = value;
  };
  fill('AzureWebJobsStorage', DEVELOPMENT_STORAGE);
  fill('EXPORT_STORAGE', defined(settings['AzureWebJobsStorage'], 'the setting AzureWebJobsStorage'));
  fill('EXPORT_CONTAINER', 'export');
  fill('RULES_CACHE_SECONDS', '5');
  const scan = pollingScanSchedule(settings);
  if (scan !== undefined) fill('EXPORT_SCAN_SCHEDULE', scan);
  if (settings['SENDGRID_API_KEY'] === undefined || settings['SENDGRID_API_KEY'].trim() === '')
    fill('OUTBOX_DIR', './outbox');
  return settings;
}

/**
 * Locally the append-blob scanner follows the poll interval (LOCAL_POLL_SECONDS) unless
 * EXPORT_SCAN_SCHEDULE is set, so a replayed append shows within seconds; undefined when the
 * interval is no whole divisor of a minute or is invalid (then the app's default applies).
 */
function pollingScanSchedule(env: Env): string | undefined {
  let seconds: number;
  try {
    seconds = Math.round(pollIntervalMs(env) / 1000);
  } catch {
    // An invalid LOCAL_POLL_SECONDS is reported where the host reads it; the scan keeps its default.
    return undefined;
  }
  return seconds >= 1 && seconds < 60 && 60 % seconds === 0 ? `*/${seconds} * * * * *` : undefined;
}

/** How often the export container is listed: LOCAL_POLL_SECONDS, default 2. */
export function pollIntervalMs(env: Env): number {
  const problems: string[] = [];
  const seconds = readPositiveInt(env, 'LOCAL_POLL_SECONDS', DEFAULT_POLL_SECONDS, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return seconds * 1000;
}

/** Whether a connection string points at the local emulator's default endpoints. */
export function usesDevelopmentStorage(connection: string | undefined): boolean {
  return connection !== undefined && /UseDevelopmentStorage=true/i.test(connection);
}

/** A connection string fit to print: account keys and SAS signatures hidden. */
export function describeConnection(connection: string): string {
  return connection.replace(/(AccountKey|SharedAccessSignature|sig)=[^;&]*/gi, '$1=***');
}

/**
 * Creates local.settings.json from local.settings.example.json when it is missing, as a newcomer
 * would for `func start`: the CLI then finds the same storage as the host.
 * @returns whether the file was created
 */
export function ensureLocalSettingsFile(cwd = process.cwd()): boolean {
  const file = join(cwd, 'local.settings.json');
  const example = join(cwd, 'local.settings.example.json');
  if (existsSync(file) || !existsSync(example)) return false;
  copyFileSync(example, file);
  return true;
}
