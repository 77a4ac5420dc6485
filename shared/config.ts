import { ConfigError } from './errors';
import { DEFAULT_MAX_LINE_BYTES } from './export/readExportRows';
import { firstStorageConnection, readStorageConnection, type StorageConnection } from './storage/storageConnection';

/** Every setting the app reads, validated once. Defaults match local.settings.example.json. */
export interface AppConfig {
  /** Container Continuous Export writes into. */
  readonly exportContainer: string;
  /** Rows longer than this are reported and skipped. */
  readonly maxLineBytes: number;
  /** Blobs larger than this are reported and not read (EXPORT_MAX_BLOB_BYTES). */
  readonly maxBlobBytes: number;
  /** Rows holding more telemetry items than this are reported as malformed, not expanded (EXPORT_MAX_ITEMS_PER_ROW). */
  readonly maxItemsPerRow: number;
  /** E-mails one rule may send for one delivery; further firing groups share one summary (ALERT_MAX_EMAILS_PER_RULE). */
  readonly maxEmailsPerRule: number;
  /** Days per-delivery alert records (redelivery markers and the ledger) are kept (ALERT_RECORD_DAYS). */
  readonly alertRecordDays: number;
  /** NCRONTAB of the alert maintenance timer: re-drives unsent alerts, expires old records (ALERT_MAINTENANCE_SCHEDULE). */
  readonly maintenanceSchedule: string;
  /** The account holding the export container: EXPORT_STORAGE, else AzureWebJobsStorage. */
  readonly exportConnection: StorageConnection | undefined;
  /** The account holding the rules table: ALERT_RULES_STORAGE, else AzureWebJobsStorage. */
  readonly rulesConnection: StorageConnection | undefined;
  readonly rulesTable: string;
  /** How long compiled rules serve before the table is read again. */
  readonly rulesCacheMs: number;
  /** The account holding alert state and the ledger: AzureWebJobsStorage. */
  readonly stateConnection: StorageConnection | undefined;
  readonly stateTable: string;
  readonly ledgerTable: string;
  /** How long a claimed alert is protected while its e-mail is being sent. */
  readonly ledgerLeaseMs: number;
  readonly mail: {
    readonly from: string;
    readonly sendGridApiKey: string | undefined;
    /** Another SendGrid endpoint than api.sendgrid.com: a relay, or the tests' local server. */
    readonly sendGridBaseUrl: string | undefined;
    readonly outboxDir: string | undefined;
    /** Total time SendGrid retries may take per e-mail; keep it well inside the function timeout. */
    readonly retryBudgetMs: number;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the configuration from app settings.
 * @throws ConfigError listing every invalid setting.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const config: AppConfig = {
    exportContainer: readString(env, 'EXPORT_CONTAINER', 'export', problems),
    maxLineBytes: readPositiveInt(env, 'EXPORT_MAX_LINE_BYTES', DEFAULT_MAX_LINE_BYTES, problems),
    maxBlobBytes: readPositiveInt(env, 'EXPORT_MAX_BLOB_BYTES', 256 * 1024 * 1024, problems),
    maxItemsPerRow: readPositiveInt(env, 'EXPORT_MAX_ITEMS_PER_ROW', 10_000, problems),
    maxEmailsPerRule: readPositiveInt(env, 'ALERT_MAX_EMAILS_PER_RULE', 10, problems),
    alertRecordDays: readPositiveInt(env, 'ALERT_RECORD_DAYS', 7, problems),
    maintenanceSchedule: readString(env, 'ALERT_MAINTENANCE_SCHEDULE', '0 */5 * * * *', problems),
    exportConnection: firstStorageConnection(env, 'EXPORT_STORAGE', 'AzureWebJobsStorage'),
    rulesConnection: firstStorageConnection(env, 'ALERT_RULES_STORAGE', 'AzureWebJobsStorage'),
    rulesTable: readTableName(env, 'ALERT_RULES_TABLE', 'AlertRules', problems),
    rulesCacheMs: readPositiveInt(env, 'RULES_CACHE_SECONDS', 60, problems) * 1000,
    stateConnection: readStorageConnection(env, 'AzureWebJobsStorage'),
    stateTable: readTableName(env, 'ALERT_STATE_TABLE', 'AlertState', problems),
    ledgerTable: readTableName(env, 'ALERT_LEDGER_TABLE', 'AlertLedger', problems),
    ledgerLeaseMs: readPositiveInt(env, 'ALERT_LEASE_SECONDS', 300, problems) * 1000,
    mail: {
      from: readEmail(env, 'ALERT_EMAIL_FROM', 'alerts@example.com', problems),
      sendGridApiKey: optional(env['SENDGRID_API_KEY']),
      sendGridBaseUrl: optional(env['SENDGRID_BASE_URL']),
      outboxDir: optional(env['OUTBOX_DIR']),
      retryBudgetMs: readPositiveInt(env, 'SENDGRID_RETRY_BUDGET_SECONDS', 60, problems) * 1000,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

export function readString(env: Env, key: string, fallback: string, problems: string[]): string {
  const raw = env[key];
  if (raw === undefined) return fallback;
  const value = raw.trim();
  if (value === '') problems.push(`${key} is set but blank; remove it to use the default '${fallback}'`);
  return value || fallback;
}

export function readPositiveInt(env: Env, key: string, fallback: number, problems: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value <= 0) {
    problems.push(`${key} must be a positive whole number, found '${raw}'`);
    return fallback;
  }
  return value;
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readTableName(env: Env, key: string, fallback: string, problems: string[]): string {
  const value = readString(env, key, fallback, problems);
  // Table service rule: alphanumeric, 3-63 characters, starting with a letter.
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(value)) {
    problems.push(`${key} must be a table name (3-63 letters and digits, starting with a letter), found '${value}'`);
    return fallback;
  }
  return value;
}

function readEmail(env: Env, key: string, fallback: string, problems: string[]): string {
  const value = readString(env, key, fallback, problems);
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(value)) {
    problems.push(`${key} must be an e-mail address, found '${value}'`);
    return fallback;
  }
  return value;
}
