import { BlobServiceClient } from '@azure/storage-blob';

import { exportBlobHandler, exportBlobReceived } from '../functions/exportBlobReceived';
import { retentionSweep } from '../functions/retentionSweep';
import { loadConfig } from '../shared/config';
import { ConfigError } from '../shared/errors';
import type { Mailer } from '../shared/mail/mailer';
import { retentionScheduleFrom } from '../shared/retention/retentionSettings';
import { blobServiceClientFrom, tableClientFrom } from '../shared/storage/clients';
import { ensureTable } from '../shared/storage/tableReady';
import { BlobReceipts } from './blobReceipts';
import type { BlobHandler } from './blobTrigger';
import { DEFAULT_MAX_ATTEMPTS, pollContainer, type PollReport } from './blobWatcher';
import type { HostLog } from './hostLog';
import { applyAppSettings, pollIntervalMs } from './localSettings';
import { parseNcrontab } from '../shared/schedule/ncrontab';
import { type TimerRun, TimerRunner } from './timerRunner';
import { TimerStatusStore } from './timerStatus';

export const DEFAULT_RECEIPTS_TABLE = 'LocalHostReceipts';

export interface LocalHostOptions {
  /**
   * App settings as the Functions host would see them (see `localHostSettings`). They go into
   * `process.env` while the host runs, where the handlers read them: one local host per process.
   */
  readonly settings: Readonly<Record<string, string | undefined>>;
  /** Default: LOCAL_POLL_SECONDS, else 2 s. */
  readonly pollIntervalMs?: number;
  /** The clock the timer schedule follows. */
  readonly now?: () => Date;
  /** Sends alert e-mails instead of the mailer the settings choose (SendGrid or the outbox). */
  readonly mailer?: Mailer;
  /** Table of blob receipts and timer status, in AzureWebJobsStorage. */
  readonly receiptsTable?: string;
  /** Tries of one blob version before it counts as poison (the host's poisonBlobThreshold). */
  readonly maxAttempts?: number;
  readonly log?: HostLog;
}

export interface LocalHost {
  readonly container: string;
  /** When the retention sweep runs next; undefined when it is not scheduled. */
  readonly nextSweepAt: Date | undefined;
  /**
   * Polls now, after any poll in progress, and resolves with what that poll did: every blob written
   * before the call has then been handled (or tried) once.
   */
  processedOnce(): Promise<PollReport>;
  /** Resolves with the first retention sweep that starts after the call. */
  nextSweep(): Promise<TimerRun>;
  /** Stops polling and the timer, waits for invocations in progress, and restores `process.env`. */
  stop(): Promise<void>;
}

const BLOB_FUNCTION = 'exportBlobReceived';
const TIMER_FUNCTION = 'retentionSweep';
let running = false;

/**
 * Runs the app's two functions the way the Functions host would, without it: creates the export
 * container and the tables, then calls `exportBlobReceived` for every new blob version in the
 * container (polled, with receipts that survive restarts) and `retentionSweep` on RETENTION_SCHEDULE.
 * Storage is whatever the settings name: start Azurite first (`ensureDevelopmentStorage`) or pass a
 * connection string of a running one.
 * @throws ConfigError listing every invalid setting
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  if (running) throw new Error('a local host already runs in this process: its settings live in process.env, so stop it first');
  const settings = options.settings;
  const config = loadConfig(settings);
  if (config.exportConnection === undefined) throw new ConfigError(['EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string']);
  const schedule = parseNcrontab(retentionScheduleFrom(settings));
  const interval = options.pollIntervalMs ?? pollIntervalMs(settings);
  const log: HostLog = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const hostConnection = config.stateConnection ?? config.exportConnection;

  running = true;
  const restoreEnv = applyAppSettings(settings);
  try {
    // NOTE: the SDK's default retries hold a poll of a stopped emulator for ~20 s; the next poll is the retry.
    const blobs =
      typeof config.exportConnection === 'string'
        ? BlobServiceClient.fromConnectionString(config.exportConnection, { retryOptions: { maxTries: 2, maxRetryDelayInMs: 1_000 } })
        : blobServiceClientFrom(config.exportConnection);
    const container = blobs.getContainerClient(config.exportContainer);
    await container.createIfNotExists();
    for (const table of [config.stateTable, config.ledgerTable]) await ensureTable(tableClientFrom(hostConnection, table));
    if (config.rulesConnection) await ensureTable(tableClientFrom(config.rulesConnection, config.rulesTable));
    const receiptsTable = tableClientFrom(hostConnection, options.receiptsTable ?? DEFAULT_RECEIPTS_TABLE);
    const receipts = new BlobReceipts(receiptsTable, BLOB_FUNCTION, config.exportContainer);
    const known = await receipts.load();
    log({ level: 'info', source: 'host', text: `watching container '${config.exportContainer}' every ${interval / 1000} s; ${known} blobs already have receipts` });

    const handler: BlobHandler = options.mailer ? exportBlobHandler({ mailer: options.mailer }) : exportBlobReceived;
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let timer: TimerRunner | undefined;
    if (schedule.ok) {
      timer = new TimerRunner({ functionName: TIMER_FUNCTION, schedule: schedule.value, handler: retentionSweep, status: new TimerStatusStore(receiptsTable), now, log });
      await timer.start();
      const next = timer.nextTick;
      log({ level: 'info', source: 'host', text: `${TIMER_FUNCTION} on '${schedule.value.expression}' (UTC)${next ? `, next at ${next.toISOString()}` : ''}` });
    } else {
      log({ level: 'error', source: 'host', text: `${TIMER_FUNCTION} not scheduled: ${schedule.error}` });
    }

    let stopped = false;
    let polling: Promise<unknown> = Promise.resolve();
    let pollTimer: NodeJS.Timeout | undefined;
    let lastPollError: string | undefined;
    const deps = { functionName: BLOB_FUNCTION, container, receipts, handler, maxAttempts, now, log };
    const pollNow = (): Promise<PollReport> => {
      if (stopped) return Promise.reject(new Error('the local host is stopped'));
      const poll = polling.then(() => pollContainer(deps));
      polling = poll.catch(() => undefined);
      return poll;
    };
    const loop = async (): Promise<void> => {
      try {
        await pollNow();
        if (lastPollError !== undefined) log({ level: 'info', source: 'host', text: 'storage answers again; watching' });
        lastPollError = undefined;
      } catch (error) {
        const message = describeError(error);
        // NOTE: an unreachable emulator fails every poll alike; say so once, not every two seconds.
        if (message !== lastPollError) log({ level: 'error', source: 'host', text: `could not poll container '${config.exportContainer}': ${message}` });
        lastPollError = message;
      }
      if (!stopped) pollTimer = setTimeout(() => void loop(), interval);
    };
    void loop();

    return {
      container: config.exportContainer,
      get nextSweepAt() {
        return timer?.nextTick;
      },
      processedOnce: pollNow,
      nextSweep: () => (timer ? timer.nextRun() : Promise.reject(new Error(`${TIMER_FUNCTION} is not scheduled`))),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        if (pollTimer !== undefined) clearTimeout(pollTimer);
        await Promise.all([polling, timer?.stop()]);
        restoreEnv();
        running = false;
      },
    };
  } catch (error) {
    restoreEnv();
    running = false;
    throw error;
  }
}

function describeError(error: unknown): string {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'ECONNREFUSED' || code === 'REQUEST_SEND_ERROR') return `storage is unreachable (${code}); is Azurite running?`;
  return typeof e?.message === 'string' ? e.message : String(error);
}
