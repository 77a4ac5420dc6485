import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

import { at } from '../shared/core/defined';
import { type ExportBlobRef, parseExportPath } from '../shared/core/export/parseExportPath';
import {
  parseSuccessorPath,
  type SuccessorBlobRef,
  successorContainerTable,
  type SuccessorFormat,
} from '../shared/core/export/successorPath';
import { isTelemetryType, type TelemetryType, typeForTable } from '../shared/core/export/telemetryTypes';
import { type WorkspaceTableName, workspaceTableNamed, workspaceTableOf } from '../shared/core/export/workspaceTables';

/** A local file of a successor export: its table, and its place in the layout when it sits in one. */
export interface LocalSuccessorFile {
  readonly format: SuccessorFormat | undefined;
  readonly table: WorkspaceTableName;
  /** The layout the path ends in (below a folder named like the container), or undefined. */
  readonly ref: SuccessorBlobRef | undefined;
  /** Why the path is not in the layout, when it is not. */
  readonly reason?: string;
}

export interface LocalExportFile {
  readonly file: string;
  /** Where the file sits in the Continuous Export layout, or undefined. */
  readonly ref: ExportBlobRef | undefined;
  /** Set instead of `ref` for a diagnostic-settings or data-export file. */
  readonly successor?: LocalSuccessorFile;
  /** Why the file could not be placed at all. */
  readonly reason?: string;
}

/** How to read files outside every layout: `--type` (Continuous Export) or `--table`/`--format`. */
export interface Placement {
  readonly type?: TelemetryType;
  readonly table?: WorkspaceTableName;
  readonly format?: SuccessorFormat;
}

/**
 * Finds export files under the given files or folders. A file's layout comes from its path: below a
 * folder named like a successor container (`insights-logs-apprequests`, `am-apprequests`) the
 * diagnostic-settings or data-export layout, else the Continuous Export layout at the end of the path.
 * `--type`, or `--table` (with `--format`), reads files that sit outside every layout.
 */
export async function listLocalExportFiles(
  paths: readonly string[],
  placement: Placement | TelemetryType = {},
): Promise<LocalExportFile[]> {
  const options = typeof placement === 'string' ? { type: placement } : placement;
  const files: string[] = [];
  for (const path of paths) await collect(path, files);
  files.sort();
  return files.map((file) => placeFile(file, options));
}

async function collect(path: string, files: string[]): Promise<void> {
  const info = await stat(path);
  if (info.isFile()) {
    files.push(path);
    return;
  }
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    await collect(join(path, entry.name), files);
  }
}

function placeFile(file: string, options: Placement): LocalExportFile {
  const segments = file.split(sep).filter((s) => s !== '');
  const successor = placeSuccessor(segments, options);
  if (successor !== undefined) return { file, ref: undefined, successor };
  const parsed = parseExportPath(segments.slice(-5).join('/'));
  if (parsed.ok) {
    return { file, ref: options.type === undefined ? parsed.value : { ...parsed.value, telemetryType: options.type } };
  }
  if (options.type !== undefined) {
    return {
      file,
      ref: {
        blobName: file,
        folder: 'local',
        appName: 'local',
        instrumentationKey: '',
        telemetryType: options.type,
        depositedAt: new Date(0),
        fileName: segments[segments.length - 1] ?? file,
      },
    };
  }
  return {
    file,
    ref: undefined,
    reason: `${parsed.error.reason}; pass --type (Continuous Export) or --table (successor formats) to read it anyway`,
  };
}

/**
 * The successor layout of a path: the nearest folder named like a container whose remainder parses,
 * else the nearest one at all (table known, layout not), else `--table` when given.
 */
function placeSuccessor(segments: readonly string[], options: Placement): LocalSuccessorFile | undefined {
  let fallback: LocalSuccessorFile | undefined;
  for (let i = segments.length - 2; i >= 0; i--) {
    const container = at(segments, i, 'path segments');
    const source = successorContainerTable(container);
    if (source === undefined) continue;
    const table = options.table ?? source.table;
    const parsed = parseSuccessorPath(container, segments.slice(i + 1).join('/'));
    if (parsed.ok) return { format: source.format, table, ref: parsed.value };
    fallback ??= { format: source.format, table, ref: undefined, reason: parsed.error.reason };
  }
  if (fallback !== undefined) return fallback;
  if (options.table === undefined) return undefined;
  return { format: options.format, table: options.table, ref: undefined, reason: 'outside the successor layouts' };
}

export function parseTelemetryType(value: string | undefined): TelemetryType | undefined {
  if (value === undefined) return undefined;
  if (!isTelemetryType(value)) {
    throw new UsageError(`--type must be an export folder name (Requests, Exceptions, Event, ...), found '${value}'`);
  }
  return value;
}

/** `--table`: a workspace table (`AppRequests`, any case) or the classic table it replaced (`requests`). */
export function parseWorkspaceTable(value: string | undefined): WorkspaceTableName | undefined {
  if (value === undefined) return undefined;
  const table =
    workspaceTableNamed(value) ??
    (typeForTable(value) === undefined ? undefined : workspaceTableOf(value as Parameters<typeof workspaceTableOf>[0]));
  if (table === undefined)
    throw new UsageError(
      `--table must be a workspace table (AppRequests, AppTraces, ...) or a classic one (requests, traces, ...), found '${value}'`,
    );
  return table;
}

export function parseSuccessorFormat(value: string | undefined): SuccessorFormat | undefined {
  if (value === undefined) return undefined;
  const format = (['diagnosticSettings', 'dataExport'] as const).find((f) => f.toLowerCase() === value.toLowerCase());
  if (format === undefined) throw new UsageError(`--format must be diagnosticSettings or dataExport, found '${value}'`);
  return format;
}

/** A bad command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
