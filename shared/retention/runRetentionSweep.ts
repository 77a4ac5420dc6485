import type { ContainerClient } from '@azure/storage-blob';

import { ConfigError } from '../errors';
import type { TelemetryType } from '../export/telemetryTypes';
import type { Logger } from '../logger';
import { fail, ok, type Result } from '../result';
import { blobServiceClientFrom } from '../storage/clients';
import { blobRetentionStore } from './blobRetentionStore';
import { loadRetentionSettings, MISSING_EXPORT_CONNECTION, type RetentionSettings } from './retentionSettings';
import { refusedSweep, type RefusedSweep, type SweepSummary } from './sweepSummary';
import { sweepRetention } from './sweepRetention';

export interface RunDeps {
  /** The clock retention is measured against. */
  readonly now: Date;
  /** Monotonic milliseconds for the time budget. */
  readonly stopwatch: () => number;
  readonly logger: Logger;
  /** Sweep only these types (the CLI's --type); all when absent. */
  readonly types?: readonly TelemetryType[];
}

/** Settings from app settings, or the refusal to report when any is invalid. */
export function readRetentionSettings(env: Readonly<Record<string, string | undefined>>): Result<RetentionSettings, RefusedSweep> {
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
  let container: ContainerClient;
  try {
    container = blobServiceClientFrom(connection).getContainerClient(settings.container);
  } catch (error) {
    // NOTE: never echo the connection string, it holds the account key; pass the SDK's reason on only
    // when it quotes none of it.
    // Read the message by shape: the SDK's TypeError may come from another realm (jest, the worker).
    const raw = (error as { message?: unknown } | null)?.message;
    const message = typeof raw === 'string' ? raw : String(error);
    const quotes = (typeof connection === 'string' && message.includes(connection)) || /AccountKey|SharedAccessSignature|sig=/i.test(message);
    return refusedSweep([`EXPORT_STORAGE (or AzureWebJobsStorage) is not a usable connection string${quotes ? '' : ` (${message})`}`]);
  }
  return sweepExportContainer(container, settings, deps);
}

/** Sweeps one container with the given settings; refuses when the container does not exist. */
export async function sweepExportContainer(container: ContainerClient, settings: RetentionSettings, deps: RunDeps): Promise<SweepSummary> {
  if (!(await container.exists())) {
    return refusedSweep([`container '${container.containerName}' does not exist; set EXPORT_CONTAINER to the container Continuous Export writes into`]);
  }
  return sweepRetention(
    {
      policy: settings.policy,
      now: deps.now,
      dryRun: settings.dryRun,
      maxDeletes: settings.maxDeletesPerRun,
      maxSeconds: settings.maxSeconds,
      concurrency: settings.batchConcurrency,
      ...(deps.types === undefined ? {} : { types: deps.types }),
    },
    { store: blobRetentionStore(container, { logger: deps.logger }), stopwatch: deps.stopwatch },
  );
}
