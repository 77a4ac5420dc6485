import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { pipeline } from 'node:stream';

import type { ContainerClient } from '@azure/storage-blob';
import type { Command } from '@commander-js/extra-typings';

import { loadConfig } from '../shared/adapters/settings/config';
import { blobServiceClientFrom } from '../shared/adapters/storage/clients';
import { defined } from '../shared/core/defined';
import { parseExportPath } from '../shared/core/export/parseExportPath';
import type { TelemetryType } from '../shared/core/export/telemetryTypes';
import type { CliContext } from './cliContext';
import type { CliIo } from './cliIo';
import type { CommandSite } from './commandSite';
import { parseMinutes } from './durationOption';
import {
  listLocalExportFiles,
  type LocalExportFile,
  parseSuccessorFormat,
  parseTelemetryType,
  parseWorkspaceTable,
  UsageError,
} from './localExportFiles';
import { appendSuccessorFiles, describeShift, planSuccessorReplay } from './successorReplay';
import { timeShiftingStream } from './timeShiftingStream';

/** `export-alerts replay PATH...` */
export function registerReplay(parent: Command, { ctx, run }: CommandSite): void {
  const command = parent
    .command('replay')
    .summary('upload export files to storage for the local host (or a test account) to process')
    .description(
      'Uploads export files or folders to storage, for the local host or a test account to process. ' +
        'Continuous Export files go into the export container as block blobs under their export-relative ' +
        'paths (<app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>). Diagnostic-settings and data-export files ' +
        '(found by their path below a folder named like the container, e.g. insights-logs-apprequests/ ' +
        'resourceId=/.../PT1H.json or am-apprequests/WorkspaceResourceId=/.../PT05M.json) go into that ' +
        'container, created if missing, as append blobs written in several appends cut at arbitrary bytes.',
    )
    .argument('<paths...>', 'export files or folders')
    .option(
      '--app <name>',
      'file the blobs under app (component) A; with --type or --format, places files outside the layouts',
    )
    .option('--ikey <key>', "instrumentation key of the folder (default: the file's own, else a fixed demo key)")
    .option(
      '--type <type>',
      'export type of Continuous Export files outside the layout (Requests, Exceptions, Event, ...)',
    )
    .option(
      '--format <format>',
      'diagnosticSettings or dataExport, for successor files outside the layouts (with --table)',
    )
    .option('--table <table>', 'workspace table of successor files outside the layouts (AppRequests, AppTraces, ...)')
    .option(
      '--date <when>',
      "hour to file them under: now, 2024-03-05T13, 2024-03-05, or an age (40d, 3h); data-export files go to the 5-minute folder of that time (default: the file's own folders, else now). Rows' event times move as far as their file's folder, so replayed alerts read as of then",
    )
    .option(
      '--keep-times',
      "with --date, leave the rows' event times as they are (files outside the layouts, placed with --app/--type or --format/--table, always keep theirs)",
    )
    .option('--appends <n>', 'appends per successor blob (more for pieces over 4 MiB)', '4')
    .option('--pause <duration>', 'wait between two appends (500ms, 2s), so a running scanner sees the blob grow', '0')
    .option('--seed <text>', 'where the appends are cut; same seed, same cuts', 'replay')
    .option('--container <name>', "Continuous Export container (default: EXPORT_CONTAINER, else 'export')")
    .option(
      '--connection <string>',
      'storage connection string (default: EXPORT_STORAGE, else AzureWebJobsStorage, else UseDevelopmentStorage=true)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts replay /tmp/export --date now\n  $ export-alerts replay /tmp/diag --date now --appends 5 --pause 2s',
    );
  command.action((paths, options) => run(command, () => replayCommand(paths, options, ctx)));
}

export interface ReplayOptions {
  readonly app?: string;
  readonly ikey?: string;
  readonly type?: string;
  readonly format?: string;
  readonly table?: string;
  readonly date?: string;
  readonly keepTimes?: boolean;
  readonly appends: string;
  readonly pause: string;
  readonly seed: string;
  readonly container?: string;
  readonly connection?: string;
}

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
  /** How far the file's hour folder moved (whole hours); its rows' event times move as far. */
  readonly shiftMs?: number;
}

/**
 * `export-alerts replay`: local export files into the export container, as Continuous Export would
 * deposit them. Exit code 0 when every file was uploaded, 1 when some could not be placed.
 */
export async function replayCommand(
  positionals: readonly string[],
  values: ReplayOptions,
  ctx: Pick<CliContext, 'io' | 'env' | 'now' | 'sleep'>,
): Promise<number> {
  const { io, env, now, sleep } = ctx;
  const type = parseTelemetryType(values.type);
  const format = parseSuccessorFormat(values.format);
  const table = parseWorkspaceTable(values.table);
  if ((format === undefined) !== (table === undefined))
    throw new UsageError('--format and --table go together: both place successor files outside the layouts');
  const instant = values.date === undefined ? undefined : parseReplayInstant(values.date, now());
  const app = values.app === undefined ? undefined : parseApp(values.app);
  const placement: ReplayPlacement = {
    ...(app === undefined ? {} : { app }),
    ...(values.ikey === undefined ? {} : { ikey: parseIkey(values.ikey) }),
    ...(type === undefined ? {} : { type }),
    ...(instant === undefined ? {} : { date: hourOf(instant) }),
  };
  const appends = parseAppends(values.appends);
  const pauseMs = parsePause(values.pause);
  const config = loadConfig(env);
  const connection = values.connection ?? config.exportConnection ?? 'UseDevelopmentStorage=true';
  const service = blobServiceClientFrom(connection);
  const container = service.getContainerClient(values.container ?? config.exportContainer);

  const files = await listLocalExportFiles(positionals, {
    ...(table === undefined ? {} : { table }),
    ...(format === undefined ? {} : { format }),
  });
  const successorFiles = files.filter((f) => f.successor !== undefined);
  const plan = planReplay(
    files.filter((f) => !successorFiles.includes(f)),
    placement,
    now(),
  );
  const appendPlan = successorFiles.map((f) => ({
    file: f.file,
    planned: planSuccessorReplay(
      f.file,
      defined(f.successor, `the successor layout of ${f.file}`),
      {
        ...(instant === undefined ? {} : { date: instant }),
        ...(app === undefined ? {} : { app }),
        ...(format === undefined ? {} : { format }),
        ...(table === undefined ? {} : { table }),
      },
      now(),
    ),
  }));
  const appendBlobs = appendPlan.flatMap((p) => ('reason' in p.planned ? [] : [p.planned]));
  const skipped = [
    ...plan.skipped,
    ...appendPlan.flatMap((p) => ('reason' in p.planned ? [{ file: p.file, reason: p.planned.reason }] : [])),
  ];
  for (const { file, reason } of skipped) io.err(`${file}: skipped: ${reason}`);
  const keepTimes = values.keepTimes === true;
  const uploaded = await uploadExportFiles(container, plan.blobs, io, { keepTimes });
  const appended = await appendSuccessorFiles(
    (name) => service.getContainerClient(name),
    appendBlobs,
    { appends, seed: values.seed, pauseMs, sleep, keepTimes },
    io,
  );
  const into =
    appended > 0
      ? `${[...new Set(appendBlobs.map((b) => b.container))].map((c) => `'${c}'`).join(', ')} as append blobs`
      : '';
  const target = [uploaded > 0 || appended === 0 ? `container '${container.containerName}'` : '', into]
    .filter(Boolean)
    .join(' and ');
  const count = uploaded + appended;
  io.out(
    `replayed ${count} file${count === 1 ? '' : 's'} into ${target}${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}`,
  );
  return skipped.length > 0 ? 1 : 0;
}

function parseAppends(value: string | undefined): number {
  if (value === undefined) return 4;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 50_000)
    throw new UsageError(
      `--appends must be a whole number from 1 to 50000 (an append blob's block limit), found '${value}'`,
    );
  return n;
}

function parsePause(value: string | undefined): number {
  if (value === undefined) return 0;
  const match = /^(\d+)\s*(ms|s)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`--pause takes a wait like 500ms or 2s, found '${value}'`);
  return Number(match[1]) * ((match[2] ?? 's').toLowerCase() === 'ms' ? 1 : 1000);
}

/** Each file's blob name, or why it has none: a file outside the layout needs `--app` and `--type`. */
export function planReplay(
  files: readonly LocalExportFile[],
  placement: ReplayPlacement,
  now: Date,
): { blobs: PlannedBlob[]; skipped: { file: string; reason: string }[] } {
  const blobs: PlannedBlob[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const { file, ref } of files) {
    if (ref !== undefined) {
      const folder =
        placement.app !== undefined || placement.ikey !== undefined
          ? `${placement.app ?? ref.appName}_${placement.ikey ?? ref.instrumentationKey}`
          : ref.folder;
      const depositedAt = placement.date ?? ref.depositedAt;
      blobs.push({
        file,
        blobName: blobNameFor(folder, ref.telemetryType, depositedAt, ref.fileName),
        shiftMs: depositedAt.getTime() - ref.depositedAt.getTime(),
      });
    } else if (placement.app !== undefined && placement.type !== undefined) {
      const folder = `${placement.app}_${placement.ikey ?? DEMO_IKEY}`;
      blobs.push({ file, blobName: blobNameFor(folder, placement.type, placement.date ?? now, basename(file)) });
    } else {
      skipped.push({
        file,
        reason: 'not under <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/; pass --app A --type T to place it',
      });
    }
  }
  return { blobs, skipped };
}

/**
 * Uploads each file to its blob (replacing one of the same name) and prints a line per blob. A file
 * whose folder moved is streamed through `timeShiftingStream`, unless `keepTimes`.
 */
export async function uploadExportFiles(
  container: ContainerClient,
  blobs: readonly PlannedBlob[],
  io: CliIo,
  options: { readonly keepTimes?: boolean } = {},
): Promise<number> {
  if (blobs.length > 0) await container.createIfNotExists();
  for (const { file, blobName, shiftMs = 0 } of blobs) {
    const blob = container.getBlockBlobClient(blobName);
    const size = (await stat(file)).size;
    const shift =
      options.keepTimes === true || shiftMs === 0 ? undefined : timeShiftingStream(shiftMs, 'continuousExport');
    if (shift === undefined) await blob.uploadFile(file);
    else
      await blob.uploadStream(
        pipeline(createReadStream(file), shift, () => {}),
        UPLOAD_BLOCK_BYTES,
        4,
      );
    const moved = !file.split(sep).join('/').endsWith(blobName);
    io.out(
      `uploaded ${container.containerName}/${blobName} (${size} bytes${shift === undefined ? '' : describeShift(shiftMs, shift.counts.unread)})` +
        `${moved ? ` from ${file}` : ''}`,
    );
  }
  return blobs.length;
}

/** Block size of a streamed upload: 4 MiB blocks, 4 in flight, bound what a replay holds in memory. */
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;

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
    throw new UsageError(
      `--app must be an Application Insights resource name (letters, digits, . _ -), found '${value}'`,
    );
  }
  return value.toLowerCase();
}

/** Continuous Export writes the key as 32 hex digits without dashes. */
function parseIkey(value: string): string {
  const key = value.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(key))
    throw new UsageError(`--ikey must be an instrumentation key (32 hex digits, dashes allowed), found '${value}'`);
  return key;
}

/**
 * `now`, a UTC date or hour (`2024-03-05`, `2024-03-05T13`, `2024-03-05T13:20Z`) or an age (`40d`,
 * `3h`, `90m`: that long before now), truncated to the hour the exporter files blobs under.
 */
export function parseDepositDate(value: string, now: Date): Date {
  return hourOf(parseReplayInstant(value, now));
}

function hourOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);
}

/** `--date` as the instant given (to the minute), before any truncation to a folder's period. */
export function parseReplayInstant(value: string, now: Date): Date {
  const text = value.trim();
  let date: Date;
  if (text.toLowerCase() === 'now') date = now;
  else if (/^\d+\s*[mhd]?$/i.test(text)) date = new Date(now.getTime() - parseMinutes('--date', text) * 60_000);
  else {
    const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2})(?::(\d{2})(?::\d{2}(?:\.\d+)?)?)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(
      text,
    );
    // NOTE: Date rolls 2024-02-30 over into March; a round trip of the day catches dates that do not exist.
    const day = new Date(`${match?.[1] ?? ''}T00:00:00Z`);
    const realDay = match !== null && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === match[1];
    date =
      match && realDay
        ? new Date(`${match[1]}T${match[2] ?? '00'}:${match[3] ?? '00'}:00${(match[4] ?? 'Z').toUpperCase()}`)
        : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      throw new UsageError(
        `--date takes now, a UTC date or hour like 2024-03-05T13, or an age like 40d, found '${value}'`,
      );
    }
  }
  return date;
}
