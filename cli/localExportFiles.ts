import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

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
  /** Its size when listed. */
  readonly bytes: number;
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
 *
 * @throws UsageError naming every path given that does not exist.
 */
export async function listLocalExportFiles(
  paths: readonly string[],
  placement: Placement | TelemetryType = {},
): Promise<LocalExportFile[]> {
  const options = typeof placement === 'string' ? { type: placement } : placement;
  const found: FoundFile[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const info = await statOrMissing(path);
    if (info === undefined) missing.push(path);
    else if (info.isFile()) found.push({ file: path, bytes: info.size, folder: undefined });
    else await collect(path, { path, depth: 0 }, found);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.length === 1 ? 'no such file or folder' : 'no such files or folders'}: ${missing.join(', ')}`,
      { pointToHelp: false },
    );
  }
  found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return found.map((f) => placeFile(f, options));
}

/** A file found, and when it was found in a folder given, that folder and how deep below it. */
interface FoundFile {
  readonly file: string;
  readonly bytes: number;
  readonly folder: { readonly path: string; readonly depth: number } | undefined;
}

async function statOrMissing(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

async function collect(
  dir: string,
  folder: { readonly path: string; readonly depth: number },
  found: FoundFile[],
): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const below = { path: folder.path, depth: folder.depth + 1 };
    // NOTE: stat, not the entry, so that a symbolic link counts as what it names; a broken one is passed over.
    const info = await statOrMissing(path);
    if (info?.isDirectory()) await collect(path, below, found);
    else if (info?.isFile()) found.push({ file: path, bytes: info.size, folder: below });
  }
}

function placeFile({ file, bytes, folder }: FoundFile, options: Placement): LocalExportFile {
  const segments = file.split(sep).filter((s) => s !== '');
  const successor = placeSuccessor(segments, options);
  if (successor !== undefined) return { file, bytes, ref: undefined, successor };
  // The layout's five segments may begin above the folder given, even above the working directory.
  const absolute = resolve(file)
    .split(sep)
    .filter((s) => s !== '');
  const parsed = parseExportPath(absolute.slice(-5).join('/'));
  if (parsed.ok) {
    return {
      file,
      bytes,
      ref: options.type === undefined ? parsed.value : { ...parsed.value, telemetryType: options.type },
    };
  }
  if (options.type !== undefined) {
    return {
      file,
      bytes,
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
    bytes,
    ref: undefined,
    reason: `${outsideLayout(absolute, parsed.error.reason, folder)}; pass --type (Continuous Export) or --table (successor formats) to read it anyway`,
  };
}

const LAYOUT = '<app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>';
/** A path in the layout, whose segments stand in for the ones of a path being checked. */
const SAMPLE_PATH = ['app_00000000000000000000000000000000', 'Requests', '2024-03-05', '13', 'a.blob'] as const;

/**
 * Why a file is outside the Continuous Export layout. The parser's reason is about the last five
 * segments of the whole path; when those do not even start with an `<app>_<ikey>` folder and the
 * file sits less than five deep in the folder given, that reason would be about folders the user
 * never named, so the answer counts the segments below the folder given instead.
 */
function outsideLayout(
  segments: readonly string[],
  reason: string,
  folder: { readonly path: string; readonly depth: number } | undefined,
): string {
  const depth = folder?.depth ?? 1;
  const first = segments[segments.length - 5];
  const startsLayout = first !== undefined && parseExportPath([first, ...SAMPLE_PATH.slice(1)].join('/')).ok;
  if (depth >= 5 || startsLayout) return reason;
  if (folder === undefined) return `not in the Continuous Export layout ${LAYOUT}`;
  return `expected 5 path segments ${LAYOUT} below ${folder.path}, found ${depth}`;
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
  /** Whether the command's help would help: not for a path that does not exist. */
  readonly pointToHelp: boolean;
  constructor(message: string, options: { readonly pointToHelp?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.pointToHelp = options.pointToHelp ?? true;
  }
}
