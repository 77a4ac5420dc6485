import { sep } from 'node:path';

import type { ContainerClient } from '@azure/storage-blob';

import { successorBlobPlace } from '../scripts/generator/successorBlob';
import { DEMO_RESOURCE } from '../scripts/generator/successorLayout';
import { parseSuccessorPath, type SuccessorBlobRef, type SuccessorFormat } from '../shared/core/export/successorPath';
import type { WorkspaceTableName } from '../shared/core/export/workspaceTables';
import { type AppendOptions, uploadAsAppendBlob } from './appendBlobUpload';
import type { CliIo } from './cliIo';
import type { LocalSuccessorFile } from './localExportFiles';
import { UsageError } from './localExportFiles';
import { formatShift } from './shiftRowTimes';
import { timeShiftingStream } from './timeShiftingStream';

export interface PlannedAppendBlob {
  readonly file: string;
  readonly container: string;
  readonly blobName: string;
  /** How far the file's folder moved (a whole number of periods); its rows' times move as far. */
  readonly shiftMs?: number;
}

/** Where replayed successor files go, beyond their own place in the layout. */
export interface SuccessorPlacement {
  /** The instant whose hour (diagnostic settings) or five minutes (data export) the folders move to. */
  readonly date?: Date;
  /** Component name for files placed outside the layout. */
  readonly app?: string;
  readonly format?: SuccessorFormat;
  readonly table?: WorkspaceTableName;
}

/**
 * The container and blob name of a successor file: its own (folders moved to `date` when given), or,
 * outside the layout, the demo resource's blob of `format` and table for `date` (default now).
 * Containers are lower-cased: storage refuses `am-AppRequests`, so the export writes `am-apprequests`.
 */
export function planSuccessorReplay(
  file: string,
  local: LocalSuccessorFile,
  placement: SuccessorPlacement,
  now: Date,
): PlannedAppendBlob | { reason: string } {
  if (local.ref !== undefined) {
    const container = local.ref.container.toLowerCase();
    if (placement.date === undefined) return { file, container, blobName: local.ref.blobName };
    const shiftMs = periodStart(local.ref, placement.date).getTime() - local.ref.periodStart.getTime();
    return { file, container, blobName: movePeriod(local.ref, placement.date), shiftMs };
  }
  // A file beside the layout is placed only when asked to: a stray file in an archive folder is no blob.
  const format = placement.format;
  if (format === undefined) {
    return {
      reason: `${local.reason ?? 'outside the successor layouts'}; pass --format diagnosticSettings|dataExport --table T to place it`,
    };
  }
  const resource = placement.app === undefined ? DEMO_RESOURCE : { ...DEMO_RESOURCE, component: placement.app };
  const place = successorBlobPlace(format, placement.table ?? local.table, placement.date ?? now, resource);
  return { file, ...place };
}

/** The same blob name with its y=/m=/d=/h=/m= folders set to the period holding `date`. */
export function movePeriod(ref: SuccessorBlobRef, date: Date): string {
  const start = periodStart(ref, date);
  const pad = (n: number) => String(n).padStart(2, '0');
  const parts = ref.blobName.split('/');
  const folders = [
    `y=${start.getUTCFullYear()}`,
    `m=${pad(start.getUTCMonth() + 1)}`,
    `d=${pad(start.getUTCDate())}`,
    `h=${pad(start.getUTCHours())}`,
    `m=${pad(start.getUTCMinutes())}`,
  ];
  const moved = [...parts.slice(0, 9), ...folders, ...parts.slice(14)].join('/');
  const placed = parseSuccessorPath(ref.container, moved);
  if (!placed.ok) throw new UsageError(`cannot move ${ref.blobName} to ${start.toISOString()}: ${placed.error.reason}`);
  return moved;
}

/** The start of the period of `ref`'s length (an hour, five minutes) that holds `date`. */
function periodStart(ref: SuccessorBlobRef, date: Date): Date {
  const span = ref.periodMinutes * 60_000;
  return new Date(Math.floor(date.getTime() / span) * span);
}

/**
 * Writes each planned file as an append blob in several appends (creating its container), a line
 * per blob. Returns how many were written.
 */
export async function appendSuccessorFiles(
  containerFor: (name: string) => ContainerClient,
  blobs: readonly PlannedAppendBlob[],
  options: AppendOptions & { readonly keepTimes?: boolean },
  io: CliIo,
): Promise<number> {
  const created = new Set<string>();
  for (const { file, container, blobName, shiftMs = 0 } of blobs) {
    const client = containerFor(container);
    if (!created.has(container)) {
      await client.createIfNotExists();
      created.add(container);
    }
    const shift = options.keepTimes === true || shiftMs === 0 ? undefined : timeShiftingStream(shiftMs, 'workspace');
    const upload = await uploadAsAppendBlob(client, blobName, file, {
      ...options,
      ...(shift === undefined ? {} : { transform: shift }),
    });
    const moved = !file.split(sep).join('/').toLowerCase().endsWith(`${container}/${blobName}`.toLowerCase());
    io.out(
      `appended ${container}/${blobName} (${upload.bytes} bytes in ${upload.appends} append${upload.appends === 1 ? '' : 's'}` +
        `${upload.replaced ? ', replacing the blob there' : ''}${shift === undefined ? '' : describeShift(shiftMs, shift.counts.unread)})` +
        `${moved ? ` from ${file}` : ''}`,
    );
  }
  return blobs.length;
}

/** `, event times +3h` and, when some rows had none to move, how many travelled unchanged. */
export function describeShift(shiftMs: number, unread: number): string {
  const rows =
    unread === 0 ? '' : `; ${unread} row${unread === 1 ? '' : 's'} without a readable time left as they were`;
  return `, event times ${formatShift(shiftMs)}${rows}`;
}
