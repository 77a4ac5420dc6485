import { ConfigError } from '../../core/errors';
import { DEFAULT_MAX_LINE_BYTES } from '../../core/export/readExportRows';
import type { HealthSettings } from '../../core/health/healthSettings';
import type { NoticeSettings } from '../../core/mail/noticeSettings';
import { DEFAULT_RECIPIENT_BUDGET } from '../../core/mail/recipientHour';
import { fail, ok, type Result } from '../../core/result';
import { firstStorageConnection, readStorageConnection, type StorageConnection } from '../storage/storageConnection';
import { readNoticeSettings } from './alertMailSettings';
import { type ChannelSettings, readChannelSettings } from './channelSettings';
import { readHealthSettings } from './healthSettings';
import { type RetentionSettings, retentionSettingsFrom } from './retentionSettings';
import {
  type Env,
  optional,
  parseDecimal,
  readChoice,
  readContainerList,
  readEmail,
  readPositiveInt,
  readSchedule,
  readString,
  readTableName,
  readUrl,
  readWholeNumber,
} from './settingValues';

export {
  parseDecimal,
  readBoolean,
  readChoice,
  readPositiveInt,
  readSchedule,
  readString,
  readTableName,
} from './settingValues';

/**
 * How Continuous Export blobs are picked up: the blob trigger, polling with a startup scan or through an
 * Event Grid subscription; or `Scan`, no blob trigger, the export container followed by the
 * exportLogScan timer with cursors (for Flex Consumption, whose blob trigger needs Event Grid).
 */
export type TriggerSource = 'LogsAndContainerScan' | 'EventGrid' | 'Scan';
/** Where alert e-mails go: SendGrid, or `.eml` files in OUTBOX_DIR. */
export type MailTransport = 'sendgrid' | 'outbox';

/**
 * host.json `functionTimeout` (00:10:00, the Consumption maximum): the host stops an invocation after
 * this long, so every wait of one invocation must fit inside it. A unit test keeps the two in step.
 */
export const FUNCTION_TIMEOUT_MS = 10 * 60_000;

/** Every setting the app reads, validated once and frozen. Defaults match local.settings.example.json. */
export interface AppConfig {
  /** Container Continuous Export writes into. */
  readonly exportContainer: string;
  /** EXPORT_TRIGGER_SOURCE; read when the blob trigger is registered. */
  readonly triggerSource: TriggerSource;
  /** Rows longer than this are reported and skipped. */
  readonly maxLineBytes: number;
  /**
   * RULES_PREFILTER: `on` parses only the rows whose raw bytes some rule could match (a malformed row
   * among the others goes unreported); `off` parses and evaluates every row. Results are the same.
   */
  readonly rulesPrefilter: boolean;
  /** Blobs larger than this are reported and not read (EXPORT_MAX_BLOB_BYTES). */
  readonly maxBlobBytes: number;
  /** Rows holding more telemetry items than this are reported as malformed, not expanded (EXPORT_MAX_ITEMS_PER_ROW). */
  readonly maxItemsPerRow: number;
  /** E-mails one rule may send for one delivery; further firing groups share one summary (ALERT_MAX_EMAILS_PER_RULE). */
  readonly maxEmailsPerRule: number;
  /** Alert e-mails one address gets per UTC hour; past it they fold into one digest at the hour's end (ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR). */
  readonly maxEmailsPerRecipientPerHour: number;
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
  /** Last delivery, failures and poisoned blobs per app and type, for `export-alerts status` (EXPORT_STATUS_TABLE). */
  readonly statusTable: string;
  /** How long a claimed alert is protected while its e-mail is being sent. */
  readonly ledgerLeaseMs: number;
  readonly mail: {
    readonly from: string;
    readonly transport: MailTransport;
    readonly sendGridApiKey: string | undefined;
    /** Another SendGrid endpoint than api.sendgrid.com: a relay, or the tests' local server. */
    readonly sendGridBaseUrl: string | undefined;
    readonly outboxDir: string | undefined;
    /** Deadline of one SendGrid request; shorter than the retry budget. */
    readonly requestTimeoutMs: number;
    /** Total time SendGrid retries may take per e-mail; shorter than the lease and the function timeout. */
    readonly retryBudgetMs: number;
  };
  /** What shapes every alert e-mail: ALERT_TIME_ZONE, and APPINSIGHTS_RESOURCE_ID_<app> for its links. */
  readonly notice: NoticeSettings;
  readonly retention: RetentionSettings;
  /** Teams, Slack and generic webhook channels (TEAMS_WEBHOOK_*, SLACK_WEBHOOK_*, WEBHOOK_URL_* + WEBHOOK_SECRET_*). */
  readonly channels: ChannelSettings;
  /** Where the export watchdog and the health digest write, and when (HEALTH_*, EXPORT_STALE_MINUTES*, EXPORT_WATCH_*). */
  readonly health: HealthSettings;
  /** The append-blob scanner of the successor exports (diagnostic settings, workspace data export). */
  readonly scan: {
    /** NCRONTAB of the scanner timer (EXPORT_SCAN_SCHEDULE). */
    readonly schedule: string;
    /** Containers to scan (EXPORT_SCAN_CONTAINERS); empty: every `insights-logs-app*` and `am-app*` container. */
    readonly containers: readonly string[];
    /** Table of the byte cursors, in AzureWebJobsStorage (EXPORT_CURSOR_TABLE). */
    readonly cursorTable: string;
    /** How long a claimed range is protected while it is processed (EXPORT_SCAN_LEASE_SECONDS). */
    readonly leaseMs: number;
    /** Bytes one range reads at most (EXPORT_SCAN_MAX_RANGE_BYTES); the rest follows in the next range. */
    readonly maxRangeBytes: number;
  };
}

/** Containers the successor exports write: diagnostic settings and workspace data export, App* tables. */
export const SUCCESSOR_CONTAINER_PREFIXES = ['insights-logs-app', 'am-app'] as const;

/**
 * Builds the configuration from app settings without throwing.
 * @param env - the app settings (`process.env` in the host)
 * @returns the deeply frozen configuration, or a ConfigError listing every problem, each naming the
 *   setting, the value found and what is allowed
 */
export function checkConfig(env: Env): Result<AppConfig, ConfigError> {
  const problems: string[] = [];
  // NOTE: App Service sets WEBSITE_INSTANCE_ID on every instance and Core Tools never does.
  const deployed = optional(env['WEBSITE_INSTANCE_ID']) !== undefined;
  const exportConnection = firstStorageConnection(env, 'EXPORT_STORAGE', 'AzureWebJobsStorage');
  if (deployed && exportConnection === undefined) {
    problems.push(
      'EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string or name its account (EXPORT_STORAGE__accountName), found neither',
    );
  }
  const requestTimeout = readWholeNumber(env, 'SENDGRID_REQUEST_TIMEOUT_SECONDS', 10, { min: 1 }, problems);
  const retryBudget = readWholeNumber(env, 'SENDGRID_RETRY_BUDGET_SECONDS', 60, { min: 1 }, problems);
  const lease = readWholeNumber(env, 'ALERT_LEASE_SECONDS', 300, { min: 1 }, problems);
  const scanLease = readWholeNumber(env, 'EXPORT_SCAN_LEASE_SECONDS', 300, { min: 1 }, problems);
  const sendGridApiKey = optional(env['SENDGRID_API_KEY']);
  const exportContainer = readString(env, 'EXPORT_CONTAINER', 'export', problems);
  const config: AppConfig = {
    exportContainer,
    triggerSource: readChoice(
      env,
      'EXPORT_TRIGGER_SOURCE',
      ['LogsAndContainerScan', 'EventGrid', 'Scan'] as const,
      'LogsAndContainerScan',
      problems,
    ),
    maxLineBytes: readPositiveInt(env, 'EXPORT_MAX_LINE_BYTES', DEFAULT_MAX_LINE_BYTES, problems),
    rulesPrefilter: readChoice(env, 'RULES_PREFILTER', ['on', 'off'] as const, 'on', problems) === 'on',
    maxBlobBytes: readPositiveInt(env, 'EXPORT_MAX_BLOB_BYTES', 256 * 1024 * 1024, problems),
    maxItemsPerRow: readPositiveInt(env, 'EXPORT_MAX_ITEMS_PER_ROW', 10_000, problems),
    maxEmailsPerRule: readWholeNumber(env, 'ALERT_MAX_EMAILS_PER_RULE', 10, { min: 1, max: 1000 }, problems) ?? 10,
    maxEmailsPerRecipientPerHour: readRecipientBudget(env, problems),
    alertRecordDays: readWholeNumber(env, 'ALERT_RECORD_DAYS', 7, { min: 1, max: 365 }, problems) ?? 7,
    maintenanceSchedule: readSchedule(env, 'ALERT_MAINTENANCE_SCHEDULE', '0 * * * * *', problems),
    exportConnection,
    rulesConnection: firstStorageConnection(env, 'ALERT_RULES_STORAGE', 'AzureWebJobsStorage'),
    rulesTable: readTableName(env, 'ALERT_RULES_TABLE', 'AlertRules', problems),
    rulesCacheMs: readPositiveInt(env, 'RULES_CACHE_SECONDS', 60, problems) * 1000,
    stateConnection: readStorageConnection(env, 'AzureWebJobsStorage'),
    stateTable: readTableName(env, 'ALERT_STATE_TABLE', 'AlertState', problems),
    ledgerTable: readTableName(env, 'ALERT_LEDGER_TABLE', 'AlertLedger', problems),
    statusTable: readTableName(env, 'EXPORT_STATUS_TABLE', 'ExportStatus', problems),
    ledgerLeaseMs: (lease ?? 300) * 1000,
    mail: {
      from: readEmail(env, 'ALERT_EMAIL_FROM', 'alerts@example.com', problems),
      transport: readMailTransport(env, deployed, sendGridApiKey, problems),
      sendGridApiKey,
      sendGridBaseUrl: readUrl(env, 'SENDGRID_BASE_URL', problems),
      outboxDir: optional(env['OUTBOX_DIR']),
      requestTimeoutMs: (requestTimeout ?? 10) * 1000,
      retryBudgetMs: (retryBudget ?? 60) * 1000,
    },
    notice: readNoticeSettings(env, problems),
    retention: retentionSettingsFrom(env, { connection: exportConnection, container: exportContainer }, problems),
    channels: readChannelSettings(env, problems),
    health: readHealthSettings(env, problems),
    scan: {
      schedule: readSchedule(env, 'EXPORT_SCAN_SCHEDULE', '0 * * * * *', problems),
      containers: readContainerList(env, 'EXPORT_SCAN_CONTAINERS', problems),
      cursorTable: readTableName(env, 'EXPORT_CURSOR_TABLE', 'ExportCursors', problems),
      leaseMs: (scanLease ?? 300) * 1000,
      maxRangeBytes:
        readWholeNumber(env, 'EXPORT_SCAN_MAX_RANGE_BYTES', 64 * 1024 * 1024, { min: 1024 * 1024 }, problems) ??
        64 * 1024 * 1024,
    },
  };
  if (retryBudget !== undefined && scanLease !== undefined && retryBudget >= scanLease) {
    problems.push(
      `SENDGRID_RETRY_BUDGET_SECONDS (${retryBudget}) must be less than EXPORT_SCAN_LEASE_SECONDS (${scanLease}), so no other scanner takes over a range while its alerts are still being sent`,
    );
  }
  if (requestTimeout !== undefined && retryBudget !== undefined && requestTimeout >= retryBudget) {
    problems.push(
      `SENDGRID_REQUEST_TIMEOUT_SECONDS (${requestTimeout}) must be less than SENDGRID_RETRY_BUDGET_SECONDS (${retryBudget}), so a retry fits in the budget after a request that timed out`,
    );
  }
  if (retryBudget !== undefined && lease !== undefined && retryBudget >= lease) {
    problems.push(
      `SENDGRID_RETRY_BUDGET_SECONDS (${retryBudget}) must be less than ALERT_LEASE_SECONDS (${lease}), so no other worker takes over an alert while it is still being sent`,
    );
  }
  if (retryBudget !== undefined && retryBudget * 1000 >= FUNCTION_TIMEOUT_MS) {
    problems.push(
      `SENDGRID_RETRY_BUDGET_SECONDS (${retryBudget}) must be less than the function timeout (host.json functionTimeout, ${FUNCTION_TIMEOUT_MS / 1000} s), so the host never stops a send midway`,
    );
  }
  return problems.length > 0 ? fail(new ConfigError(problems)) : ok(deepFreeze(config));
}

/**
 * Builds the configuration from app settings.
 * @throws ConfigError listing every invalid setting.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const checked = checkConfig(env);
  if (!checked.ok) throw checked.error;
  return checked.value;
}

/**
 * MAIL_TRANSPORT, or its default: SendGrid when deployed (an app in Azure must not record alerts as
 * sent that only reached a file), and locally SendGrid only when an API key is set.
 */
function readMailTransport(env: Env, deployed: boolean, apiKey: string | undefined, problems: string[]): MailTransport {
  const inferred = deployed || apiKey !== undefined ? 'sendgrid' : 'outbox';
  if (env['MAIL_TRANSPORT'] === undefined) {
    if (inferred === 'sendgrid' && apiKey === undefined) {
      problems.push(
        `SENDGRID_API_KEY must be set when MAIL_TRANSPORT is sendgrid (MAIL_TRANSPORT is unset, which means sendgrid in a deployed app), found nothing; ${NO_KEY_FIX}`,
      );
    }
    return inferred;
  }
  const before = problems.length;
  const chosen = readChoice(env, 'MAIL_TRANSPORT', ['sendgrid', 'outbox'] as const, inferred, problems);
  if (problems.length === before && chosen === 'sendgrid' && apiKey === undefined) {
    problems.push(`SENDGRID_API_KEY must be set when MAIL_TRANSPORT is sendgrid, found nothing; ${NO_KEY_FIX}`);
  }
  return chosen;
}

/** ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR: empty or 0 mean the default, as a budget of none would silence every alert. */
function readRecipientBudget(env: Env, problems: string[]): number {
  const raw = env['ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR'];
  if (raw !== undefined && parseDecimal(raw) === 0) return DEFAULT_RECIPIENT_BUDGET;
  const range = { min: 1, max: 10_000 };
  return (
    readWholeNumber(env, 'ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR', DEFAULT_RECIPIENT_BUDGET, range, problems) ??
    DEFAULT_RECIPIENT_BUDGET
  );
}

const NO_KEY_FIX = 'set it, or set MAIL_TRANSPORT=outbox to write .eml files instead';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
