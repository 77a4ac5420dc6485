import { createChannelSenders } from '../adapters/channels/createChannelSenders';
import { DEFAULT_CHANNEL_BUDGET_MS } from '../adapters/channels/httpChannelSender';
import { createMailer } from '../adapters/mail/createMailer';
import type { AppConfig } from '../adapters/settings/config';
import { BlobAppendSource } from '../adapters/storage/blobAppendSource';
import { blobServiceClientFrom, tableClientFrom } from '../adapters/storage/clients';
import { TableAlertBook } from '../adapters/storage/tableAlertBook';
import { TableCursorStore } from '../adapters/storage/tableCursorStore';
import { TableExportStatus } from '../adapters/storage/tableExportStatus';
import { TableRecipientBudget } from '../adapters/storage/tableRecipientBudget';
import { type RuleStore, TableRuleStore } from '../adapters/storage/tableRuleStore';
import { realPause, systemNow } from '../adapters/systemClock';
import type { DeliveryDeps } from '../core/alerts/deliverAlerts';
import type { MaintenanceDeps } from '../core/alerts/maintainAlerts';
import type { EpisodeDeps } from '../core/alerts/resolveEpisodes';
import type { BudgetDigestDeps } from '../core/alerts/sendBudgetDigests';
import type { ChannelSender } from '../core/channels/channelSender';
import type { CursorStore } from '../core/cursors/cursorStore';
import type { SourceHealthReader } from '../core/health/sourceHealth';
import type { Logger } from '../core/logger';
import { BudgetedMailer } from '../core/mail/budgetedMailer';
import type { Mailer } from '../core/mail/mailer';
import type { RecipientBudget } from '../core/mail/recipientBudget';
import type { ProcessBlobDeps } from '../core/processExportBlob';
import type { ProcessLogDeps } from '../core/processLogRange';
import { compileRule } from '../core/rules/alertRule';
import { RuleCatalog } from '../core/rules/ruleCatalog';
import type { ExportStatusBook } from '../core/status/exportStatusBook';

export interface ServiceOverrides {
  readonly mailer?: Mailer;
  readonly now?: () => number;
  /** Where deliveries are noted for `export-alerts status` (tests pass one that fails). */
  readonly exportStatus?: ExportStatusBook;
  /** Where the export watchdog and the health digest read the export status (tests pass one that fails). */
  readonly exportSources?: SourceHealthReader;
  /** Teams, Slack and webhook senders by `teams:OPS` (tests pass instant ones); else built from the settings. */
  readonly channels?: ReadonlyMap<string, ChannelSender>;
}

interface SharedServices {
  readonly catalog: RuleCatalog | undefined;
  readonly ruleStore: RuleStore | undefined;
  readonly delivery: Omit<DeliveryDeps, 'logger'> | undefined;
  readonly scan: { readonly source: BlobAppendSource; readonly cursors: CursorStore } | undefined;
  readonly status: ExportStatusBook | undefined;
  readonly budget: RecipientBudget | undefined;
}

/** What the append-blob scanner needs: the blobs, the cursors, and how to process a range. */
export interface ScanServices {
  readonly source: BlobAppendSource;
  readonly cursors: CursorStore;
  readonly process: ProcessLogDeps;
  /** For Continuous Export blobs followed by the scanner (EXPORT_TRIGGER_SOURCE=Scan). */
  readonly processBlob: ProcessBlobDeps;
  readonly now: () => number;
}

/**
 * Builds what processing a blob needs from the configuration: the rule catalog, alert state, ledger
 * and mailer. They are built once per configuration object (see `sharedServices`), so the rule cache
 * outlives invocations; the logger is the invocation's own and travels with the call, since
 * invocations run side by side and the shared parts keep none.
 */
export function blobServices(config: AppConfig, logger: Logger, overrides: ServiceOverrides = {}): ProcessBlobDeps {
  const { catalog, delivery } = sharedServices(config, overrides);
  return {
    maxLineBytes: config.maxLineBytes,
    maxItemsPerRow: config.maxItemsPerRow,
    prefilter: config.rulesPrefilter,
    logger,
    now: overrides.now ?? systemNow,
    ...(catalog ? { rulesFor: (ref) => catalog.rulesFor(ref, logger) } : {}),
    ...(delivery ? { delivery: { ...delivery, logger } } : {}),
  };
}

/**
 * What the alert maintenance timer needs: the book, the mailer and the rules (for a summary a dead
 * invocation left unwritten); undefined without AzureWebJobsStorage.
 */
export function maintenanceServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): MaintenanceDeps | undefined {
  const { delivery, ruleStore } = sharedServices(config, overrides);
  if (!delivery) return undefined;
  return {
    ...delivery,
    logger,
    recordDays: config.alertRecordDays,
    ruleFor: async (ruleKey) => {
      const cut = ruleKey.indexOf('/');
      const entity = ruleStore ? await ruleStore.get(ruleKey.slice(0, cut), ruleKey.slice(cut + 1)) : undefined;
      const compiled = entity ? compileRule(entity) : undefined;
      return compiled?.ok ? compiled.value : undefined;
    },
  };
}

/**
 * What the maintenance timer's RESOLVED step needs: the book, the mailer and every compiled rule (the
 * catalog's, cached as for deliveries); undefined without AzureWebJobsStorage or a rules table.
 */
export function episodeServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): EpisodeDeps | undefined {
  const { delivery, catalog } = sharedServices(config, overrides);
  if (!delivery || !catalog) return undefined;
  return { ...delivery, logger, rules: async () => (await catalog.load(logger)).valid };
}

/**
 * What the maintenance timer's recipient-digest step needs: the book, the mailer and the recipient
 * budget the mailer counts in; undefined without AzureWebJobsStorage.
 */
export function budgetDigestServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): BudgetDigestDeps | undefined {
  const { delivery, budget } = sharedServices(config, overrides);
  if (!delivery || !budget) return undefined;
  return { ...delivery, logger, budget, limit: config.maxEmailsPerRecipientPerHour };
}

/**
 * Where the functions note each delivery and failure for `export-alerts status`, with the clock they
 * note it by; the book is undefined without AzureWebJobsStorage.
 */
export function exportStatusServices(
  config: AppConfig,
  overrides: ServiceOverrides = {},
): { readonly book: ExportStatusBook | undefined; readonly now: () => number } {
  return { book: sharedServices(config, overrides).status, now: overrides.now ?? systemNow };
}

/** The scanner's services; undefined without the export and host storage connections. */
export function scanServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): ScanServices | undefined {
  const { catalog, delivery, scan } = sharedServices(config, overrides);
  if (!scan) return undefined;
  return {
    ...scan,
    processBlob: blobServices(config, logger, overrides),
    now: overrides.now ?? Date.now,
    process: {
      maxLineBytes: config.maxLineBytes,
      maxItemsPerRow: config.maxItemsPerRow,
      prefilter: config.rulesPrefilter,
      logger,
      now: overrides.now ?? systemNow,
      ...(catalog ? { rulesForTable: (table) => catalog.rulesForTable(table, logger) } : {}),
      ...(delivery ? { delivery: { ...delivery, logger } } : {}),
    },
  };
}

/**
 * The parts shared across invocations, built once per configuration object and overrides. Keyed by
 * identity, not by content: the configuration holds the SendGrid key and connection strings, and no
 * cache key may hold a secret. The Functions entry points check the settings once per process, so
 * each has one configuration object for its lifetime.
 */
function sharedServices(config: AppConfig, overrides: ServiceOverrides): SharedServices {
  // Overrides are kept per object, so a caller that passes the same overrides keeps its rule cache.
  const owner = Object.values(overrides).some((o) => o !== undefined) ? overrides : NO_OVERRIDES;
  let byConfig = built.get(owner);
  if (!byConfig) {
    byConfig = new WeakMap();
    built.set(owner, byConfig);
  }
  let shared = byConfig.get(config);
  if (!shared) {
    shared = build(config, overrides);
    byConfig.set(config, shared);
  }
  return shared;
}

const NO_OVERRIDES: ServiceOverrides = {};
const built = new WeakMap<ServiceOverrides, WeakMap<AppConfig, SharedServices>>();

function build(config: AppConfig, overrides: ServiceOverrides): SharedServices {
  const now = overrides.now ?? systemNow;
  const ruleStore = config.rulesConnection
    ? new TableRuleStore(tableClientFrom(config.rulesConnection, config.rulesTable))
    : undefined;
  const catalog = ruleStore ? new RuleCatalog(ruleStore, { ttlMs: config.rulesCacheMs, now }) : undefined;
  // Every alert e-mail, the tests' mailer included, goes through the per-recipient budget.
  const budget = config.stateConnection
    ? new TableRecipientBudget(tableClientFrom(config.stateConnection, config.stateTable))
    : undefined;
  const delivery = config.stateConnection
    ? {
        book: new TableAlertBook(tableClientFrom(config.stateConnection, config.stateTable)),
        mailer: budgeted(overrides.mailer ?? createMailer(config.mail), budget, config),
        now,
        pause: realPause,
        from: config.mail.from,
        notice: config.notice,
        leaseMs: config.ledgerLeaseMs,
        maxEmailsPerRule: config.maxEmailsPerRule,
        // NOTE: an alert's channels are sent one after another under one lease: each retries within a tenth of it.
        channels:
          overrides.channels ??
          createChannelSenders(config.channels, {
            retryBudgetMs: Math.min(DEFAULT_CHANNEL_BUDGET_MS, config.ledgerLeaseMs / 10),
          }),
      }
    : undefined;
  const scan =
    config.exportConnection && config.stateConnection
      ? {
          source: new BlobAppendSource(
            blobServiceClientFrom(config.exportConnection),
            config.triggerSource === 'Scan' ? config.exportContainer : undefined,
          ),
          cursors: new TableCursorStore(tableClientFrom(config.stateConnection, config.scan.cursorTable)),
        }
      : undefined;
  const status =
    overrides.exportStatus ??
    (config.stateConnection
      ? new TableExportStatus(tableClientFrom(config.stateConnection, config.statusTable))
      : undefined);
  return { catalog, ruleStore, delivery, scan, status, budget };
}

/** The mailer, counting in the per-recipient budget (ALERT_MAX_EMAILS_PER_RECIPIENT_PER_HOUR) when there is one. */
function budgeted(mailer: Mailer, budget: RecipientBudget | undefined, config: AppConfig): Mailer {
  return budget
    ? new BudgetedMailer(mailer, {
        budget,
        limit: config.maxEmailsPerRecipientPerHour,
        provider: config.mail.transport,
      })
    : mailer;
}
