import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

import { parseExportPath, type ExportBlobRef } from '../shared/export/parseExportPath';
import { isTelemetryType, type TelemetryType } from '../shared/export/telemetryTypes';

export interface LocalExportFile {
  readonly file: string;
  /** Where the file sits in the export layout, or why it could not be placed there. */
  readonly ref: ExportBlobRef | undefined;
  readonly reason?: string;
}

/**
 * Finds export files under the given files or folders. A file's telemetry type and app come from
 * the export layout at the end of its path; `--type` places files that sit outside that layout.
 */
export async function listLocalExportFiles(paths: readonly string[], type?: TelemetryType): Promise<LocalExportFile[]> {
  const files: string[] = [];
  for (const path of paths) await collect(path, files);
  files.sort();
  return files.map((file) => placeFile(file, type));
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

function placeFile(file: string, type?: TelemetryType): LocalExportFile {
  const segments = file.split(sep).filter((s) => s !== '');
  const exportName = segments.slice(-5).join('/');
  const parsed = parseExportPath(exportName);
  if (parsed.ok) {
    return { file, ref: type === undefined ? parsed.value : { ...parsed.value, telemetryType: type } };
  }
  if (type !== undefined) {
    return {
      file,
      ref: {
        blobName: file,
        folder: 'local',
        appName: 'local',
        instrumentationKey: '',
        telemetryType: type,
        depositedAt: new Date(0),
        fileName: segments[segments.length - 1] ?? file,
      },
    };
  }
  return { file, ref: undefined, reason: `${parsed.error.reason}; pass --type to read it anyway` };
}

export function parseTelemetryType(value: string | undefined): TelemetryType | undefined {
  if (value === undefined) return undefined;
  if (!isTelemetryType(value)) {
    throw new UsageError(`--type must be an export folder name (Requests, Exceptions, Event, ...), found '${value}'`);
  }
  return value;
}

/** A bad command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
