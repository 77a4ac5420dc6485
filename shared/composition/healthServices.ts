import type { TableClient } from '@azure/data-tables';
import type { BlobServiceClient } from '@azure/storage-blob';

import type { AppConfig } from '../adapters/settings/config';
import { blobServiceClientFrom, tableClientFrom } from '../adapters/storage/clients';
import { probeExportAccount, readInvalidRules } from '../adapters/storage/healthProbes';
import { TableExportStatus } from '../adapters/storage/tableExportStatus';
import { TableHealthBook } from '../adapters/storage/tableHealthBook';
import { listRejectedAlerts } from '../adapters/storage/tableRejectedAlerts';
import { TableRuleStore } from '../adapters/storage/tableRuleStore';
import { realPause } from '../adapters/systemClock';
import type { DigestInputs } from '../core/health/collectDigest';
import type { DigestDeps } from '../core/health/sendHealthDigest';
import type { SourceHealthReader } from '../core/health/sourceHealth';
import type { WatchdogDeps } from '../core/health/watchExports';
import type { Logger } from '../core/logger';
import { maintenanceServices, type ServiceOverrides } from './appServices';

/** What the maintenance timer's two health steps need: the export watchdog and the health digest. */
export interface HealthServices {
  readonly watchdog: WatchdogDeps;
  readonly digest: DigestDeps;
}

interface HealthParts {
  readonly health: TableHealthBook;
  readonly status: SourceHealthReader;
  readonly stateTable: TableClient;
  readonly rules: TableRuleStore | undefined;
  readonly exportService: BlobServiceClient | undefined;
}

/**
 * The watchdog's and the digest's services, sending through the alert book and mailer the maintenance
 * step uses (so their e-mails are records it re-drives); undefined when HEALTH_ALERT_RECIPIENTS is
 * not set (both are off) or without AzureWebJobsStorage. Built once per configuration object.
 */
export function healthServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): HealthServices | undefined {
  const { recipients, watch, digestMinutes } = config.health;
  if (recipients.length === 0) return undefined;
  const maintenance = maintenanceServices(config, logger, overrides);
  const built = partsOf(config);
  if (!maintenance || !built) return undefined;
  const parts = overrides.exportSources ? { ...built, status: overrides.exportSources } : built;
  const mail = {
    book: maintenance.book,
    mailer: maintenance.mailer,
    now: maintenance.now,
    pause: maintenance.pause,
    logger,
    from: maintenance.from,
    leaseMs: maintenance.leaseMs,
    recipients,
    health: parts.health,
    timeZone: config.notice.timeZone,
  };
  return {
    watchdog: { ...mail, sources: parts.status, settings: watch },
    digest: {
      ...mail,
      digestMinutes,
      sources: { gather: (after, upTo, limit) => gather(config, parts, after, upTo, limit) },
    },
  };
}

/** Every source of the digest, read side by side; refusals that only a settings change fixes become its configuration items. */
async function gather(
  config: AppConfig,
  parts: HealthParts,
  after: number,
  upTo: number,
  limit: number,
): Promise<DigestInputs> {
  const followed = [...config.scan.containers, ...(config.triggerSource === 'Scan' ? [config.exportContainer] : [])];
  const [status, rules, rejected, account] = await Promise.all([
    parts.status.listSources(),
    parts.rules ? readInvalidRules(parts.rules, config.rulesTable) : { rules: [], problems: [] },
    listRejectedAlerts(parts.stateTable, after, upTo, limit),
    parts.exportService ? probeExportAccount(parts.exportService, followed) : [],
  ]);
  return {
    sources: status.sources,
    invalidRules: rules.rules,
    rejected,
    configuration: [...rules.problems, ...account],
  };
}

const built = new WeakMap<AppConfig, HealthParts | undefined>();

function partsOf(config: AppConfig): HealthParts | undefined {
  if (built.has(config)) return built.get(config);
  const state = config.stateConnection;
  const parts =
    state === undefined
      ? undefined
      : {
          health: new TableHealthBook(tableClientFrom(state, config.stateTable), realPause),
          status: new TableExportStatus(tableClientFrom(state, config.statusTable)),
          stateTable: tableClientFrom(state, config.stateTable),
          rules: config.rulesConnection
            ? new TableRuleStore(tableClientFrom(config.rulesConnection, config.rulesTable))
            : undefined,
          exportService: config.exportConnection ? blobServiceClientFrom(config.exportConnection) : undefined,
        };
  built.set(config, parts);
  return parts;
}
