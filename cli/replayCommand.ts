import { stat } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { parseArgs } from 'node:util';

import type { ContainerClient } from '@azure/storage-blob';

import { loadConfig } from '../shared/config';
import { parseExportPath } from '../shared/export/parseExportPath';
import type { TelemetryType } from '../shared/export/telemetryTypes';
import { blobServiceClientFrom } from '../shared/storage/clients';
import type { CliIo } from './cliIo';
import { cliEnvironment } from './cliSettings';
import { parseMinutes } from './durationOption';
import { listLocalExportFiles, type LocalExportFile, parseTelemetryType, UsageError } from './localExportFiles';

export const REPLAY_USAGE = `export-alerts replay PATH... [--app A] [--ikey K] [--type T] [--date D] [--container C] [--connection S]
  Uploads export files or folders into the export container under their export-relative paths
  (<app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>), for the local host or a test account to process.
  --app A          file the blobs under app A (with --type, places files outside the export layout)
  --ikey K         instrumentation key of the folder (default: the file's own, else a fixed demo key)
  --type T         export type of files outside the layout (Requests, Exceptions, Event, ...)
  --date D         deposit hour to file them under: now, 2024-03-05T13, 2024-03-05, or an age (40d, 3h);
                   default: the file's own hour, now for files outside the layout
  --container C    default: EXPORT_CONTAINER, else 'export'
  --connection S   default: EXPORT_STORAGE, else AzureWebJobsStorage, else UseDevelopmentStorage=true`;

/** The key `npm run generate` and the demo file samples under; not a real Application Insights resource. */
export const DEMO_IKEY = '0f3c8a1e5b7d4c2a9e612d4b8f0a7c33';

/** Where replayed files go, beyond their own place in the export layout. */
export interface ReplayPlacement {
  readonly app?: string;
  readonly ikey?: string;
  /** Type of files outside the layout. */
  readonly type?: TelemetryType;
  /** Deposit hour (truncated to the hour). */
  readonly date?: Date;
}

export interface PlannedBlob {
  readonly file: string;
  readonly blobName: string;
}

/**
 * `export-alerts replay`: local export files into the export container, as Continuous Export would
 * deposit them. Exit code 0 when every file was uploaded, 1 when some could not be placed.
 */
export async function replayCommand(
  args: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = cliEnvironment(),
  now: () => Date = () => new Date(),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      app: { type: 'string' }, ikey: { type: 'string' }, type: { type: 'string' }, date: { type: 'string' },
      container: { type: 'string' }, connection: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('replay needs at least one file or folder');
  const type = parseTelemetryType(values.type);
  const placement: ReplayPlacement = {
    ...(values.app === undefined ? {} : { app: parseApp(values.app) }),
    ...(values.ikey === undefined ? {} : { ikey: parseIkey(values.ikey) }),
    ...(type === undefined ? {} : { type }),
    ...(values.date === undefined ? {} : { date: parseDepositDate(values.date, now()) }),
  };
  const config = loadConfig(env);
  const connection = values.connection ?? config.exportConnection ?? 'UseDevelopmentStorage=true';
  const container = blobServiceClientFrom(connection).getContainerClient(values.container ?? config.exportContainer);

  const plan = planReplay(await listLocalExportFiles(positionals), placement, now());
  for (const { file, reason } of plan.skipped) io.err(`${file}: skipped: ${reason}`);
  const uploaded = await uploadExportFiles(container, plan.blobs, io);
  io.out(`replayed ${uploaded} file${uploaded === 1 ? '' : 's'} into container '${container.containerName}'${plan.skipped.length > 0 ? `, ${plan.skipped.length} skipped` : ''}`);
  return plan.skipped.length > 0 ? 1 : 0;
}

/** Each file's blob name, or why it has none: a file outside the layout needs `--app` and `--type`. */
export function planReplay(files: readonly LocalExportFile[], placement: ReplayPlacement, now: Date): { blobs: PlannedBlob[]; skipped: { file: string; reason: string }[] } {
  const blobs: PlannedBlob[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const { file, ref } of files) {
    if (ref !== undefined) {
      const folder = placement.app !== undefined || placement.ikey !== undefined
        ? `${placement.app ?? ref.appName}_${placement.ikey ?? ref.instrumentationKey}`
        : ref.folder;
      blobs.push({ file, blobName: blobNameFor(folder, ref.telemetryType, placement.date ?? ref.depositedAt, ref.fileName) });
    } else if (placement.app !== undefined && placement.type !== undefined) {
      const folder = `${placement.app}_${placement.ikey ?? DEMO_IKEY}`;
      blobs.push({ file, blobName: blobNameFor(folder, placement.type, placement.date ?? now, basename(file)) });
    } else {
      skipped.push({ file, reason: 'not under <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/; pass --app A --type T to place it' });
    }
  }
  return { blobs, skipped };
}

/** Uploads each file to its blob (replacing one of the same name) and prints a line per blob. */
export async function uploadExportFiles(container: ContainerClient, blobs: readonly PlannedBlob[], io: CliIo): Promise<number> {
  if (blobs.length > 0) await container.createIfNotExists();
  for (const { file, blobName } of blobs) {
    await container.getBlockBlobClient(blobName).uploadFile(file);
    const moved = !file.split(sep).join('/').endsWith(blobName);
    io.out(`uploaded ${container.containerName}/${blobName} (${(await stat(file)).size} bytes)${moved ? ` from ${file}` : ''}`);
  }
  return blobs.length;
}

function blobNameFor(folder: string, type: TelemetryType, depositedAt: Date, fileName: string): string {
  const iso = depositedAt.toISOString();
  const name = `${folder}/${type}/${iso.slice(0, 10)}/${iso.slice(11, 13)}/${fileName}`;
  const placed = parseExportPath(name);
  if (!placed.ok) throw new UsageError(`cannot file ${fileName} as ${name}: ${placed.error.reason}`);
  return name;
}

/** Continuous Export lower-cases the app name in the folder. */
function parseApp(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
    throw new UsageError(`--app must be an Application Insights resource name (letters, digits, . _ -), found '${value}'`);
  }
  return value.toLowerCase();
}

/** Continuous Export writes the key as 32 hex digits without dashes. */
function parseIkey(value: string): string {
  const key = value.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(key)) throw new UsageError(`--ikey must be an instrumentation key (32 hex digits, dashes allowed), found '${value}'`);
  return key;
}

/**
 * `now`, a UTC date or hour (`2024-03-05`, `2024-03-05T13`, `2024-03-05T13:20Z`) or an age (`40d`,
 * `3h`, `90m`: that long before now), truncated to the hour the exporter files blobs under.
 */
export function parseDepositDate(value: string, now: Date): Date {
  const text = value.trim();
  let date: Date;
  if (text.toLowerCase() === 'now') date = now;
  else if (/^\d+\s*[mhd]?$/i.test(text)) date = new Date(now.getTime() - parseMinutes('--date', text) * 60_000);
  else {
    const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2})(?::(\d{2})(?::\d{2}(?:\.\d+)?)?)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(text);
    // NOTE: Date rolls 2024-02-30 over into March; a round trip of the day catches dates that do not exist.
    const day = new Date(`${match?.[1] ?? ''}T00:00:00Z`);
    const realDay = match !== null && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === match[1];
    date = match && realDay ? new Date(`${match[1]}T${match[2] ?? '00'}:${match[3] ?? '00'}:00${(match[4] ?? 'Z').toUpperCase()}`) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      throw new UsageError(`--date takes now, a UTC date or hour like 2024-03-05T13, or an age like 40d, found '${value}'`);
    }
  }
  return new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);
}
