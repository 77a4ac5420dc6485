import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { blobServiceClientFrom, tableClientFrom } from '../shared/adapters/storage/clients';
import type { StorageConnection } from '../shared/adapters/storage/storageConnection';
import { ensureTable } from '../shared/adapters/storage/tableReady';
import type { Mailer } from '../shared/core/mail/mailer';
import { plural } from '../shared/core/plural';
import { parseNcrontab } from '../shared/core/schedule/ncrontab';
import { appFunctions, type BlobFunction, type TimerFunction } from './appFunctions';
import { BlobReceipts } from './blobReceipts';
import type { PollReport } from './blobWatcher';
import { ContainerPoller } from './containerPoller';
import { type HostClock, systemClock } from './hostClock';
import { type BlobHostSettings, readBlobHostSettings } from './hostJson';
import type { HostLog } from './hostLog';
import { invocationSlots } from './invocationSlots';
import { pollIntervalMs } from './localSettings';
import { type LocalTimer, TimerRunner } from './timerRunner';
import { TimerStatusStore } from './timerStatus';

export const DEFAULT_RECEIPTS_TABLE = 'LocalHostReceipts';

export interface LocalHostOptions {
  /**
   * App settings as the Functions host would see them (see `localHostSettings`). The functions
   * register with them and their handlers get them as their configuration; `process.env` is left alone.
   */
  readonly settings: Readonly<Record<string, string | undefined>>;
  /** Default: LOCAL_POLL_SECONDS, else 2 s. */
  readonly pollIntervalMs?: number;
  /** The clock polls and timer schedules follow; default the system clock. */
  readonly clock?: HostClock;
  /** The timer functions to schedule; default those the app's function files register. */
  readonly timers?: readonly TimerFunction[];
  /** Sends alert e-mails instead of the mailer the settings choose (SendGrid or the outbox). */
  readonly mailer?: Mailer;
  /** Table of blob receipts and timer status, in AzureWebJobsStorage. */
  readonly receiptsTable?: string;
  /** The poison threshold and blob concurrency; default what the app's host.json says. */
  readonly blobHost?: BlobHostSettings;
  readonly log?: HostLog;
}

export interface LocalHost {
  /** The container of the (first) blob function; the export container when none is registered. */
  readonly container: string;
  /**
   * Polls every blob function's container now, after any poll in progress, and resolves with what
   * those polls did: every blob written before the call has then been handled (or tried) once.
   */
  processedOnce(): Promise<PollReport>;
  /** Resolves with the first polls that start after the call; the next scheduled ones are then armed. */
  nextPoll(): Promise<PollReport>;
  /** The timer functions that are scheduled, by name. */
  readonly timers: ReadonlyMap<string, LocalTimer>;
  /** The scheduled timer function `name`. @throws Error when it is not scheduled */
  timer(name: string): LocalTimer;
  /** Stops polling and the timers and waits for invocations in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the app's functions the way the Functions host would, without it: loads the function files,
 * takes each registered function's trigger from its registration (resolved against the settings),
 * creates the containers and tables, then calls each blob function for every new blob version in its
 * container (polled, with receipts that survive restarts, as many at once and as many tries as
 * host.json allows) and each timer function on its schedule. Storage is whatever the settings name:
 * start Azurite first (`ensureDevelopmentStorage`) or pass a connection string of a running one.
 * @throws ConfigError listing every invalid setting
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const settings = options.settings;
  const overrides = options.mailer ? { mailer: options.mailer } : {};
  const app = appFunctions(settings, overrides);
  const { config } = app;
  const interval = options.pollIntervalMs ?? pollIntervalMs(settings);
  const log: HostLog = options.log ?? (() => {});
  const clock = options.clock ?? systemClock;
  const blobHost = options.blobHost ?? readBlobHostSettings();
  const hostConnection = config.stateConnection ?? config.exportConnection;
  if (hostConnection === undefined)
    throw new Error('AzureWebJobsStorage must be set: the local host keeps its blob receipts and timer status there');

  const timers = new Map<string, TimerRunner>();
  const pollers: ContainerPoller[] = [];
  try {
    for (const table of [config.stateTable, config.ledgerTable])
      if (config.stateConnection) await ensureTable(tableClientFrom(config.stateConnection, table));
    if (config.rulesConnection) await ensureTable(tableClientFrom(config.rulesConnection, config.rulesTable));
    const receiptsTable = tableClientFrom(hostConnection, options.receiptsTable ?? DEFAULT_RECEIPTS_TABLE);
    await ensureTable(receiptsTable);

    const slots = invocationSlots(blobHost.maxDegreeOfParallelism);
    for (const fn of app.blobs) {
      const container = containerOf(fn);
      await container.createIfNotExists();
      const receipts = new BlobReceipts(receiptsTable, fn.name, fn.container);
      const known = await receipts.load();
      log({
        level: 'info',
        source: 'host',
        text:
          `${fn.name}: watching container '${fn.container}' (${fn.connectionSetting}) every ${interval / 1000} s, ` +
          `${slots.size} at once, poison after ${blobHost.poisonBlobThreshold} tries; ${plural(known, 'blob')} already ${known === 1 ? 'has a receipt' : 'have receipts'}`,
      });
      if (fn.source === 'EventGrid')
        log({
          level: 'warn',
          source: 'host',
          text: `${fn.name}: source EventGrid, but Azurite sends no Event Grid events; polling the container instead`,
        });
      pollers.push(
        new ContainerPoller({
          functionName: fn.name,
          container,
          receipts,
          handler: fn.handler,
          maxAttempts: blobHost.poisonBlobThreshold,
          slots,
          intervalMs: interval,
          clock,
          log,
        }),
      );
    }

    const status = new TimerStatusStore(receiptsTable);
    for (const fn of options.timers ?? app.timers) {
      const schedule = parseNcrontab(fn.schedule);
      if (!schedule.ok) {
        log({ level: 'error', source: 'host', text: `${fn.name} not scheduled: ${schedule.error}` });
        continue;
      }
      const timer = new TimerRunner({
        functionName: fn.name,
        schedule: schedule.value,
        handler: fn.handler,
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
    for (const poller of pollers) poller.start();

    let stopped = false;
    return {
      container: app.blobs[0]?.container ?? config.exportContainer,
      processedOnce: async () => mergeReports(await Promise.all(pollers.map((p) => p.pollNow()))),
      nextPoll: async () => mergeReports(await Promise.all(pollers.map((p) => p.nextPoll()))),
      timers,
      timer: (name) => {
        const timer = timers.get(name);
        if (timer === undefined) throw new Error(`${name} is not scheduled`);
        return timer;
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await Promise.all([...pollers.map((p) => p.stop()), ...[...timers.values()].map((t) => t.stop())]);
      },
    };
  } catch (error) {
    await Promise.all([...timers.values()].map((t) => t.stop()));
    throw error;
  }
}

function containerOf(fn: BlobFunction): ContainerClient {
  // NOTE: the SDK's default retries hold a poll of a stopped emulator for ~20 s; the next poll is the retry.
  const connection: StorageConnection = fn.connection;
  const blobs =
    typeof connection === 'string'
      ? BlobServiceClient.fromConnectionString(connection, { retryOptions: { maxTries: 2, maxRetryDelayInMs: 1_000 } })
      : blobServiceClientFrom(connection);
  return blobs.getContainerClient(fn.container);
}

function mergeReports(reports: readonly PollReport[]): PollReport {
  return {
    listed: reports.reduce((sum, r) => sum + r.listed, 0),
    invocations: reports.flatMap((r) => r.invocations),
    missed: reports.flatMap((r) => r.missed),
  };
}
