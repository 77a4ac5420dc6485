import { TableAlertLedger } from './alerts/alertLedger';
import { TableAlertStateStore } from './alerts/alertStateStore';
import type { DeliveryDeps } from './alerts/deliverAlert';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { createMailer } from './mail/createMailer';
import type { Mailer } from './mail/mailer';
import type { ProcessBlobDeps } from './processExportBlob';
import { RuleCatalog } from './rules/ruleCatalog';
import { TableRuleStore } from './rules/ruleStore';
import { tableClientFrom } from './storage/clients';

export interface ServiceOverrides {
  readonly mailer?: Mailer;
  readonly now?: () => number;
}

interface SharedServices {
  readonly catalog: RuleCatalog | undefined;
  readonly delivery: Omit<DeliveryDeps, 'logger'> | undefined;
}

/**
 * Builds what processing a blob needs from the configuration: the rule catalog, alert state, ledger
 * and mailer. They are built once per process and configuration, so the rule cache outlives
 * invocations; the logger is the invocation's own.
 */
export function blobServices(config: AppConfig, logger: Logger, overrides: ServiceOverrides = {}): ProcessBlobDeps {
  const key = JSON.stringify(config);
  // Overrides are kept per object, so a caller that passes the same overrides keeps its rule cache.
  const cacheFor = overrides.mailer !== undefined || overrides.now !== undefined ? overrideCache(overrides) : cache;
  let shared = cacheFor.get(key);
  if (!shared) {
    shared = build(config, overrides);
    cacheFor.set(key, shared);
  }
  current.logger = logger;
  const { catalog, delivery } = shared;
  return {
    maxLineBytes: config.maxLineBytes,
    logger,
    ...(catalog ? { rulesFor: (ref) => catalog.rulesFor(ref) } : {}),
    ...(delivery ? { delivery: { ...delivery, logger } } : {}),
  };
}

// NOTE: the catalog and mailer live across invocations; their rare log lines (an invalid rule, an
// outbox file) go to the logger of the latest invocation.
const current: { logger: Logger } = { logger: { info: () => {}, warn: () => {}, error: () => {} } };
const forwardingLogger: Logger = {
  info: (m) => current.logger.info(m),
  warn: (m) => current.logger.warn(m),
  error: (m) => current.logger.error(m),
};
const cache = new Map<string, SharedServices>();
const overrideCaches = new WeakMap<ServiceOverrides, Map<string, SharedServices>>();

function overrideCache(overrides: ServiceOverrides): Map<string, SharedServices> {
  let found = overrideCaches.get(overrides);
  if (!found) {
    found = new Map();
    overrideCaches.set(overrides, found);
  }
  return found;
}

function build(config: AppConfig, overrides: ServiceOverrides): SharedServices {
  const now = overrides.now ?? Date.now;
  const catalog = config.rulesConnection
    ? new RuleCatalog(new TableRuleStore(tableClientFrom(config.rulesConnection, config.rulesTable)), {
        ttlMs: config.rulesCacheMs,
        now,
        logger: forwardingLogger,
      })
    : undefined;
  const delivery = config.stateConnection
    ? {
        state: new TableAlertStateStore(tableClientFrom(config.stateConnection, config.stateTable)),
        ledger: new TableAlertLedger(tableClientFrom(config.stateConnection, config.ledgerTable)),
        mailer:
          overrides.mailer ??
          createMailer(
            {
              sendGridApiKey: config.mail.sendGridApiKey,
              sendGridBaseUrl: config.mail.sendGridBaseUrl,
              outboxDir: config.mail.outboxDir,
              retryBudgetMs: config.mail.retryBudgetMs,
            },
            forwardingLogger,
          ),
        now,
        from: config.mail.from,
        leaseMs: config.ledgerLeaseMs,
      }
    : undefined;
  return { catalog, delivery };
}
