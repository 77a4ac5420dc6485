import { BlobServiceClient } from '@azure/storage-blob';

import { exportBlobHandler, exportBlobReceived } from '../functions/exportBlobReceived';
import { loadConfig } from '../shared/adapters/settings/config';
import { blobServiceClientFrom, tableClientFrom } from '../shared/adapters/storage/clients';
import { ensureTable } from '../shared/adapters/storage/tableReady';
import { ConfigError } from '../shared/core/errors';
import type { Mailer } from '../shared/core/mail/mailer';
import { parseNcrontab } from '../shared/core/schedule/ncrontab';
import { BlobReceipts } from './blobReceipts';
import type { BlobHandler } from './blobTrigger';
import { DEFAULT_MAX_ATTEMPTS, type PollReport } from './blobWatcher';
import { ContainerPoller } from './containerPoller';
import { type HostClock, systemClock } from './hostClock';
import type { HostLog } from './hostLog';
import { applyAppSettings, pollIntervalMs } from './localSettings';
import { TIMER_FUNCTIONS, type TimerFunction } from './timerFunctions';
import { type LocalTimer, TimerRunner } from './timerRunner';
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
  /** The clock polls and timer schedules follow; default the system clock. */
  readonly clock?: HostClock;
  /** The timer functions to schedule; default every timer function of the app. */
  readonly timers?: readonly TimerFunction[];
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
  /**
   * Polls now, after any poll in progress, and resolves with what that poll did: every blob written
   * before the call has then been handled (or tried) once.
   */
  processedOnce(): Promise<PollReport>;
  /** Resolves with the first poll that starts after the call; the next scheduled one is then armed. */
  nextPoll(): Promise<PollReport>;
  /** The timer functions that are scheduled, by name. */
  readonly timers: ReadonlyMap<string, LocalTimer>;
  /** The scheduled timer function `name`. @throws Error when it is not scheduled */
  timer(name: string): LocalTimer;
  /** Stops polling and the timers, waits for invocations in progress, and restores `process.env`. */
  stop(): Promise<void>;
}

const BLOB_FUNCTION = 'exportBlobReceived';
let running = false;

/**
 * Runs the app's functions the way the Functions host would, without it: creates the export
 * container and the tables, then calls `exportBlobReceived` for every new blob version in the
 * container (polled, with receipts that survive restarts) and every timer function on its schedule.
 * Storage is whatever the settings name: start Azurite first (`ensureDevelopmentStorage`) or pass a
 * connection string of a running one.
 * @throws ConfigError listing every invalid setting
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  if (running)
    throw new Error('a local host already runs in this process: its settings live in process.env, so stop it first');
  const settings = options.settings;
  const config = loadConfig(settings);
  if (config.exportConnection === undefined)
    throw new ConfigError(['EXPORT_STORAGE (or AzureWebJobsStorage) must hold the export storage connection string']);
  const interval = options.pollIntervalMs ?? pollIntervalMs(settings);
  const log: HostLog = options.log ?? (() => {});
  const clock = options.clock ?? systemClock;
  const hostConnection = config.stateConnection ?? config.exportConnection;

  running = true;
  const restoreEnv = applyAppSettings(settings);
  const timers = new Map<string, TimerRunner>();
  try {
    // NOTE: the SDK's default retries hold a poll of a stopped emulator for ~20 s; the next poll is the retry.
    const blobs =
      typeof config.exportConnection === 'string'
        ? BlobServiceClient.fromConnectionString(config.exportConnection, {
            retryOptions: { maxTries: 2, maxRetryDelayInMs: 1_000 },
          })
        : blobServiceClientFrom(config.exportConnection);
    const container = blobs.getContainerClient(config.exportContainer);
    await container.createIfNotExists();
    for (const table of [config.stateTable, config.ledgerTable])
      await ensureTable(tableClientFrom(hostConnection, table));
    if (config.rulesConnection) await ensureTable(tableClientFrom(config.rulesConnection, config.rulesTable));
    const receiptsTable = tableClientFrom(hostConnection, options.receiptsTable ?? DEFAULT_RECEIPTS_TABLE);
    const receipts = new BlobReceipts(receiptsTable, BLOB_FUNCTION, config.exportContainer);
    const known = await receipts.load();
    log({
      level: 'info',
      source: 'host',
      text: `watching container '${config.exportContainer}' every ${interval / 1000} s; ${known} blobs already have receipts`,
    });

    const overrides = options.mailer ? { mailer: options.mailer } : {};
    const status = new TimerStatusStore(receiptsTable);
    for (const fn of options.timers ?? TIMER_FUNCTIONS) {
      const schedule = parseNcrontab(fn.schedule(settings));
      if (!schedule.ok) {
        log({ level: 'error', source: 'host', text: `${fn.name} not scheduled: ${schedule.error}` });
        continue;
      }
      const timer = new TimerRunner({
        functionName: fn.name,
        schedule: schedule.value,
        handler: fn.handler(overrides),
        status,
        clock,
        log,
      });
      timers.set(fn.name, timer);
      await timer.start();
      const next = timer.nextTick;
      log({
        level: 'info',
        source: 'host',
        text: `${fn.name} on '${schedule.value.expression}' (UTC)${next ? `, next at ${next.toISOString()}` : ''}`,
      });
    }

    const handler: BlobHandler = options.mailer ? exportBlobHandler({ mailer: options.mailer }) : exportBlobReceived;
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const poller = new ContainerPoller({
      functionName: BLOB_FUNCTION,
      container,
      receipts,
      handler,
      maxAttempts,
      intervalMs: interval,
      clock,
      log,
    });
    poller.start();

    let stopped = false;
    return {
      container: config.exportContainer,
      processedOnce: () => poller.pollNow(),
      nextPoll: () => poller.nextPoll(),
      timers,
      timer: (name) => {
        const timer = timers.get(name);
        if (timer === undefined) throw new Error(`${name} is not scheduled`);
        return timer;
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await Promise.all([poller.stop(), ...[...timers.values()].map((t) => t.stop())]);
        restoreEnv();
        running = false;
      },
    };
  } catch (error) {
    await Promise.all([...timers.values()].map((t) => t.stop()));
    restoreEnv();
    running = false;
    throw error;
  }
}
