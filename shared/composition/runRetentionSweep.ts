import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';

import {
  loadRetentionSettings,
  MISSING_EXPORT_CONNECTION,
  type RetentionSettings,
} from '../adapters/settings/retentionSettings';
import { blobRetentionStore } from '../adapters/storage/blobRetentionStore';
import { blobServiceClientFrom } from '../adapters/storage/clients';
import { ConfigError } from '../core/errors';
import { successorContainerTable } from '../core/export/successorPath';
import { tableForType, type TelemetryType } from '../core/export/telemetryTypes';
import { workspaceTableOf } from '../core/export/workspaceTables';
import type { Logger } from '../core/logger';
import { fail, ok, type Result } from '../core/result';
import type { SuccessorContainerRef } from '../core/retention/selectExpiredSuccessorFolders';
import { type SweepDeps, type SweepOptions, sweepRetention } from '../core/retention/sweepRetention';
import { type RefusedSweep, refusedSweep, type SweepSummary } from '../core/retention/sweepSummary';

export interface RunDeps {
  /** The clock retention is measured against. */
  readonly now: Date;
  /** Monotonic milliseconds for the time budget. */
  readonly stopwatch: () => number;
  readonly logger: Logger;
  /** Sweep only these types (the CLI's --type), and the successor tables of them; all when absent. */
  readonly types?: readonly TelemetryType[];
  /** Told the successor blobs each delete removed, so their cursors can go too; see SweepDeps. */
  readonly onDeleted?: (container: string, blobNames: readonly string[]) => Promise<void>;
}

/**
 * Where the successor exports write: diagnostic settings `insights-logs-<category>`, data export
 * `am-<table>`. Container names are lower-case in Azure, so a prefix listing finds them all.
 */
const SUCCESSOR_DISCOVERY_PREFIXES = ['insights-logs-app', 'am-app'] as const;

/** Settings from app settings, or the refusal to report when any is invalid. */
export function readRetentionSettings(
  env: Readonly<Record<string, string | undefined>>,
): Result<RetentionSettings, RefusedSweep> {
  try {
    return ok(loadRetentionSettings(env));
  } catch (error) {
    if (error instanceof ConfigError) return fail(refusedSweep(error.problems));
    throw error;
  }
}

/** Opens the export container the settings name and sweeps it; what the timer and the CLI both run. */
export async function runRetentionSweep(settings: RetentionSettings, deps: RunDeps): Promise<SweepSummary> {
  const connection = settings.connection;
  if (connection === undefined) return refusedSweep([MISSING_EXPORT_CONNECTION]);
  let service: BlobServiceClient;
  try {
    service = blobServiceClientFrom(connection);
    service.getContainerClient(settings.container);
  } catch (error) {
    // NOTE: never echo the connection string, it holds the account key; pass the SDK's reason on only
    // when it quotes none of it.
    // Read the message by shape: the SDK's TypeError may come from another realm (jest, the worker).
    const raw = (error as { message?: unknown } | null)?.message;
    const message = typeof raw === 'string' ? raw : String(error);
    const quotes =
      (typeof connection === 'string' && message.includes(connection)) ||
      /AccountKey|SharedAccessSignature|sig=/i.test(message);
    return refusedSweep([
      `EXPORT_STORAGE (or AzureWebJobsStorage) is not a usable connection string${quotes ? '' : ` (${message})`}`,
    ]);
  }
  return sweepExportAccount(service, settings, deps);
}

/**
 * Sweeps the export container and the successor containers of its account: those the settings list,
 * else every `insights-logs-app*` and `am-app*` container holding one of the ten App* tables. Refuses
 * only when there is neither an export container nor a successor container.
 */
export async function sweepExportAccount(
  service: BlobServiceClient,
  settings: RetentionSettings,
  deps: RunDeps,
): Promise<SweepSummary> {
  const container = service.getContainerClient(settings.container);
  const successors = await successorContainersOf(service, settings, deps);
  const exportExists = await container.exists();
  if (!exportExists && successors.length === 0) return missingContainer(container);
  return sweepRetention(sweepOptions(settings, deps), {
    ...(exportExists ? { store: blobRetentionStore(container, { logger: deps.logger }) } : {}),
    stopwatch: deps.stopwatch,
    successors: successors.map((s) => ({
      ...s,
      store: blobRetentionStore(service.getContainerClient(s.container), { logger: deps.logger }),
    })),
    ...onDeletedOf(deps),
  });
}

/** Sweeps one container with the given settings; refuses when the container does not exist. */
export async function sweepExportContainer(
  container: ContainerClient,
  settings: RetentionSettings,
  deps: RunDeps,
): Promise<SweepSummary> {
  if (!(await container.exists())) return missingContainer(container);
  return sweepRetention(sweepOptions(settings, deps), {
    store: blobRetentionStore(container, { logger: deps.logger }),
    stopwatch: deps.stopwatch,
  });
}

/**
 * The successor containers to sweep, in name order. Listed ones that do not exist are skipped with a
 * warning (a data export rule creates its container with the first export); listed names that are
 * not a successor container are warned about and never swept, so no other layout is touched.
 */
async function successorContainersOf(
  service: BlobServiceClient,
  settings: RetentionSettings,
  deps: RunDeps,
): Promise<SuccessorContainerRef[]> {
  const tables =
    deps.types === undefined ? undefined : new Set(deps.types.map((t) => workspaceTableOf(tableForType(t))));
  const refs: SuccessorContainerRef[] = [];
  const add = (name: string) => {
    const source = successorContainerTable(name);
    if (source === undefined) return false;
    if (tables === undefined || tables.has(source.table)) refs.push({ container: name, ...source });
    return true;
  };
  if (settings.successorContainers !== undefined && settings.successorContainers.length > 0) {
    for (const name of settings.successorContainers) {
      if (!add(name))
        deps.logger.warn(
          `retention: '${name}' in EXPORT_SCAN_CONTAINERS is not insights-logs-<App table> or am-<App table>; not swept`,
        );
      else if (!(await service.getContainerClient(name).exists())) {
        deps.logger.warn(`retention: container '${name}' in EXPORT_SCAN_CONTAINERS does not exist; not swept`);
        refs.pop();
      }
    }
  } else {
    for (const prefix of SUCCESSOR_DISCOVERY_PREFIXES) {
      for await (const item of service.listContainers({ prefix })) add(item.name);
    }
  }
  return refs.sort((a, b) => a.container.localeCompare(b.container));
}

function sweepOptions(settings: RetentionSettings, deps: RunDeps): SweepOptions {
  return {
    policy: settings.policy,
    now: deps.now,
    dryRun: settings.dryRun,
    maxDeletes: settings.maxDeletesPerRun,
    maxSeconds: settings.maxSeconds,
    concurrency: settings.batchConcurrency,
    ...(deps.types === undefined ? {} : { types: deps.types }),
  };
}

function onDeletedOf(deps: RunDeps): Pick<SweepDeps, 'onDeleted'> {
  return deps.onDeleted === undefined ? {} : { onDeleted: deps.onDeleted };
}

function missingContainer(container: ContainerClient): SweepSummary {
  return refusedSweep([
    `container '${container.containerName}' does not exist; set EXPORT_CONTAINER to the container Continuous Export writes into`,
  ]);
}
