import { readPositiveInt, readString } from '../config';
import { ConfigError } from '../errors';
import { TELEMETRY_TYPE_NAMES, type TelemetryType } from '../export/telemetryTypes';
import { firstStorageConnection, type StorageConnection } from '../storage/storageConnection';
import type { RetentionPolicy } from './retentionPolicy';

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
  /** The export container's account: EXPORT_STORAGE, else AzureWebJobsStorage. */
  readonly connection: StorageConnection;
  readonly container: string;
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

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the retention settings from app settings.
 * @throws ConfigError listing every invalid setting; the sweep must then do nothing.
 */
export function loadRetentionSettings(env: Env): RetentionSettings {
  const problems: string[] = [];
  const connection = firstStorageConnection(env, 'EXPORT_STORAGE', 'AzureWebJobsStorage') ?? '';
  if (connection === '') problems.push('EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string or name its account (EXPORT_STORAGE__accountName)');
  const schedule = readString(env, 'RETENTION_SCHEDULE', DEFAULT_RETENTION_SCHEDULE, problems);
  if (!isNcrontab(schedule)) {
    problems.push(`RETENTION_SCHEDULE must be a six-field NCRONTAB expression like '${DEFAULT_RETENTION_SCHEDULE}', found '${schedule}'`);
  }
  const settings: RetentionSettings = {
    policy: readPolicy(env, problems),
    schedule,
    dryRun: readBoolean(env, 'RETENTION_DRY_RUN', false, problems),
    maxDeletesPerRun: readPositiveInt(env, 'RETENTION_MAX_DELETES_PER_RUN', DEFAULT_MAX_DELETES_PER_RUN, problems),
    maxSeconds: readPositiveInt(env, 'RETENTION_MAX_SECONDS', DEFAULT_MAX_SECONDS, problems),
    batchConcurrency: readPositiveInt(env, 'RETENTION_BATCH_CONCURRENCY', DEFAULT_BATCH_CONCURRENCY, problems),
    connection,
    container: readString(env, 'EXPORT_CONTAINER', 'export', problems),
  };
  if (settings.batchConcurrency > MAX_CONCURRENCY) {
    problems.push(`RETENTION_BATCH_CONCURRENCY must be at most ${MAX_CONCURRENCY}, found '${env['RETENTION_BATCH_CONCURRENCY']}'`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(settings);
}

/**
 * The timer schedule to register. Registration cannot refuse, so an invalid value registers the
 * default and the sweep itself refuses with the configuration error on every tick.
 */
export function retentionScheduleFrom(env: Env): string {
  const value = env['RETENTION_SCHEDULE']?.trim();
  return value !== undefined && isNcrontab(value) ? value : DEFAULT_RETENTION_SCHEDULE;
}

/** Reads a number of days; the message names the setting (or flag) and the accepted range. */
export function parseRetentionDays(raw: string, key: string): number | string {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || value > MAX_DAYS) {
    return `${key} must be a positive number of days (at most ${MAX_DAYS}), found '${raw}'`;
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
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith(DAYS_PREFIX) || env[key] === undefined) continue;
    const suffix = key.slice(DAYS_PREFIX.length);
    // NOTE: Windows plans hand settings over case-insensitively, so match the type the same way; an
    // unknown type is an error rather than ignored, because a typo would silently shorten retention.
    const type = TELEMETRY_TYPE_NAMES.find((t) => t.toLowerCase() === suffix.toLowerCase());
    if (type === undefined) {
      problems.push(`${key}: '${suffix}' is not an export telemetry type; use one of ${TELEMETRY_TYPE_NAMES.join(', ')}`);
      continue;
    }
    if (daysByType[type] !== undefined) {
      problems.push(`${key}: retention for ${type} is set twice (setting names differ only in case)`);
      continue;
    }
    daysByType[type] = days(key, defaultDays);
  }
  return Object.freeze({ defaultDays, daysByType: Object.freeze(daysByType) });
}

function readBoolean(env: Env, key: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push(`${key} must be true or false, found '${raw}'`);
  return fallback;
}

function isNcrontab(schedule: string): boolean {
  const fields = schedule.trim().split(/\s+/);
  return fields.length === 6 && fields.every((f) => /^[\w*/,-]+$/.test(f));
}
