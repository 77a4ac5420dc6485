import { defined } from '../../core/defined';
import { ConfigError } from '../../core/errors';
import { TELEMETRY_TYPE_NAMES, type TelemetryType } from '../../core/export/telemetryTypes';
import { WORKSPACE_TABLE_NAMES, type WorkspaceTableName, workspaceTableNamed } from '../../core/export/workspaceTables';
import type { RetentionPolicy } from '../../core/retention/retentionPolicy';
import { parseNcrontab } from '../../core/schedule/ncrontab';
import { firstStorageConnection, type StorageConnection } from '../storage/storageConnection';
import { parseDecimal, readBoolean, readPositiveInt, readSchedule, readString } from './settingValues';

/** Every retention setting, validated once. Defaults match docs/RETENTION.md. */
export interface RetentionSettings {
  readonly policy: RetentionPolicy;
  /** Six-field NCRONTAB for the timer. */
  readonly schedule: string;
  /** List what would be deleted and delete nothing. */
  readonly dryRun: boolean;
  readonly maxDeletesPerRun: number;
  readonly maxSeconds: number;
  /** Delete batches (or single deletes, where batch is unavailable) in flight at once. */
  readonly batchConcurrency: number;
  /**
   * The export container's account: EXPORT_STORAGE, else AzureWebJobsStorage. Undefined only in the
   * app configuration of a local run without storage (the CLI's file commands); a sweep then refuses.
   */
  readonly connection: StorageConnection | undefined;
  readonly container: string;
  /**
   * Successor-format containers to sweep as well (EXPORT_SCAN_CONTAINERS, the scanner's list); empty:
   * every `insights-logs-app*` and `am-app*` container of the export account. Absent when empty.
   */
  readonly successorContainers?: readonly string[];
}

export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_RETENTION_SCHEDULE = '0 0 * * * *';
export const DEFAULT_MAX_DELETES_PER_RUN = 50_000;
/** Leaves a minute of the Consumption plan's default 5-minute function timeout for the last batches. */
export const DEFAULT_MAX_SECONDS = 240;
export const DEFAULT_BATCH_CONCURRENCY = 4;
/** A hundred years; beyond it `now - days` leaves the range of a JavaScript Date. */
const MAX_DAYS = 36_500;
const MAX_CONCURRENCY = 64;
const DAYS_PREFIX = 'RETENTION_DAYS_';
export const MISSING_EXPORT_CONNECTION =
  'EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string or name its account (EXPORT_STORAGE__accountName)';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the retention settings alone (the CLI's `purge`), requiring the export connection.
 * @throws ConfigError listing every invalid setting; the sweep must then do nothing.
 */
export function loadRetentionSettings(env: Env): RetentionSettings {
  const problems: string[] = [];
  const connection = firstStorageConnection(env, 'EXPORT_STORAGE', 'AzureWebJobsStorage');
  if (connection === undefined) problems.push(MISSING_EXPORT_CONNECTION);
  const container = readString(env, 'EXPORT_CONTAINER', 'export', problems);
  const settings = retentionSettingsFrom(env, { connection, container }, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

/**
 * The retention part of the app configuration; adds what is wrong to `problems`.
 * @param exportContainer - where export blobs are, read once by the caller
 */
export function retentionSettingsFrom(
  env: Env,
  exportContainer: Pick<RetentionSettings, 'connection' | 'container'> & {
    readonly successorContainers?: readonly string[];
  },
  problems: string[],
): RetentionSettings {
  const settings: RetentionSettings = {
    policy: readPolicy(env, problems),
    schedule: readSchedule(env, 'RETENTION_SCHEDULE', DEFAULT_RETENTION_SCHEDULE, problems),
    dryRun: readBoolean(env, 'RETENTION_DRY_RUN', true, problems),
    maxDeletesPerRun: readPositiveInt(env, 'RETENTION_MAX_DELETES_PER_RUN', DEFAULT_MAX_DELETES_PER_RUN, problems),
    maxSeconds: readPositiveInt(env, 'RETENTION_MAX_SECONDS', DEFAULT_MAX_SECONDS, problems),
    batchConcurrency: readPositiveInt(env, 'RETENTION_BATCH_CONCURRENCY', DEFAULT_BATCH_CONCURRENCY, problems),
    connection: exportContainer.connection,
    container: exportContainer.container,
    ...successorContainersFrom(env, exportContainer.successorContainers),
  };
  if (settings.batchConcurrency > MAX_CONCURRENCY) {
    problems.push(
      `RETENTION_BATCH_CONCURRENCY must be at most ${MAX_CONCURRENCY}, found '${env['RETENTION_BATCH_CONCURRENCY']}'`,
    );
  }
  return Object.freeze(settings);
}

/**
 * The scanner's container list (EXPORT_SCAN_CONTAINERS) unless the caller passes it; left out when
 * empty, which means every successor container of the account.
 */
function successorContainersFrom(
  env: Env,
  given: readonly string[] | undefined,
): Pick<RetentionSettings, 'successorContainers'> {
  // NOTE: the app configuration validates the names; a bad one here only finds no container to sweep.
  const names =
    given ??
    (env['EXPORT_SCAN_CONTAINERS'] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
  return names.length > 0 ? { successorContainers: Object.freeze([...names]) } : {};
}

/**
 * The timer schedule RETENTION_SCHEDULE names, or the default when it is unset or invalid (the
 * configuration reports an invalid one).
 */
export function retentionScheduleFrom(env: Env): string {
  const value = env['RETENTION_SCHEDULE']?.trim();
  return value !== undefined && parseNcrontab(value).ok ? value : DEFAULT_RETENTION_SCHEDULE;
}

/**
 * Reads a number of days: plain decimal digits, 1 to 36500. Fractions, hex and exponents are refused
 * because `Number()` would turn `1e-300` into a retention that deletes everything.
 * @returns the days, or the message naming the setting (or flag), the value and the accepted range
 */
export function parseRetentionDays(raw: string, key: string): number | string {
  const value = parseDecimal(raw);
  if (value === undefined || value < 1 || value > MAX_DAYS) {
    return `${key} must be a whole number of days from 1 to ${MAX_DAYS}, found '${raw}'`;
  }
  return value;
}

function readPolicy(env: Env, problems: string[]): RetentionPolicy {
  const days = (key: string, fallback: number): number => {
    const raw = env[key];
    if (raw === undefined) return fallback;
    const parsed = parseRetentionDays(raw, key);
    if (typeof parsed === 'string') problems.push(parsed);
    return typeof parsed === 'number' ? parsed : fallback;
  };
  const defaultDays = days('RETENTION_DAYS', DEFAULT_RETENTION_DAYS);
  const daysByType: Partial<Record<TelemetryType, number>> = {};
  const daysByTable: Partial<Record<WorkspaceTableName, number>> = {};
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith(DAYS_PREFIX) || env[key] === undefined) continue;
    const suffix = key.slice(DAYS_PREFIX.length);
    // NOTE: Windows plans hand settings over case-insensitively, so match the type the same way; an
    // unknown type is an error rather than ignored, because a typo would silently shorten retention.
    const type = TELEMETRY_TYPE_NAMES.find((t) => t.toLowerCase() === suffix.toLowerCase());
    const table = type === undefined ? workspaceTableNamed(suffix) : undefined;
    const name = type ?? table;
    if (name === undefined) {
      problems.push(
        `${key}: '${suffix}' is not an export telemetry type or a workspace table; use one of ${TELEMETRY_TYPE_NAMES.join(', ')} ` +
          `(Continuous Export) or ${WORKSPACE_TABLE_NAMES.join(', ')} (diagnostic settings, data export)`,
      );
      continue;
    }
    const already = type !== undefined ? daysByType[type] : daysByTable[defined(table, `the table of ${key}`)];
    if (already !== undefined) {
      problems.push(`${key}: retention for ${name} is set twice (setting names differ only in case)`);
      continue;
    }
    if (type !== undefined) daysByType[type] = days(key, defaultDays);
    else daysByTable[defined(table, `the table of ${key}`)] = days(key, defaultDays);
  }
  // Left out when unset, so a policy without table overrides reads exactly as before they existed.
  const tables = Object.keys(daysByTable).length > 0 ? { daysByTable: Object.freeze(daysByTable) } : {};
  return Object.freeze({ defaultDays, daysByType: Object.freeze(daysByType), ...tables });
}
