import type { WorkspaceTableName } from '../../shared/core/export/workspaceTables';
import { createRng } from './rng';
import {
  dataExportBlobPath,
  dataExportContainer,
  DEMO_RESOURCE,
  diagnosticSettingsBlobPath,
  diagnosticSettingsContainer,
  folderSpanMs,
  type SuccessorFormat,
  type SuccessorResource,
} from './successorLayout';
import { generateWorkspaceRows, type WorkspaceRowOptions } from './workspaceRow';
import { writeLines } from './writeLines';

export interface SuccessorBlobOptions extends Partial<Omit<WorkspaceRowOptions, 'format' | 'index'>> {
  readonly format: SuccessorFormat;
}

/** Where a successor blob lives: its container and its name in it. */
export interface SuccessorBlobPlace {
  readonly container: string;
  readonly blobName: string;
}

/**
 * The container and blob name an exporter gives the blob of `table` whose folder holds `at`: the
 * hour for diagnostic settings (`insights-logs-<table>`, `PT1H.json`), the five minutes for data
 * export (`am-<Table>`, `PT05M.json`, or `PT05M_<part>.json`).
 */
export function successorBlobPlace(
  format: SuccessorFormat,
  table: WorkspaceTableName,
  at: Date,
  resource: SuccessorResource = DEMO_RESOURCE,
  part = 0,
): SuccessorBlobPlace {
  return format === 'diagnosticSettings'
    ? { container: diagnosticSettingsContainer(table), blobName: diagnosticSettingsBlobPath(resource, at) }
    : { container: dataExportContainer(table), blobName: dataExportBlobPath(resource, at, part) };
}

/** The folder period holding `at`: `[hour, hour + 1h)` or `[5-minute start, + 5 min)`. */
export function successorFolderWindow(format: SuccessorFormat, at: Date): { start: Date; end: Date } {
  const span = folderSpanMs(format);
  const start = Math.floor(at.getTime() / span) * span;
  return { start: new Date(start), end: new Date(start + span) };
}

function rowOptions(
  options: SuccessorBlobOptions,
  window: { start: Date; end: Date },
  index: number,
): WorkspaceRowOptions {
  return { resource: DEMO_RESOURCE, ...options, window: options.window ?? window, index };
}

const FALLBACK_WINDOW = successorFolderWindow('diagnosticSettings', new Date('2024-03-05T12:00:00Z'));

/** A small successor blob's JSON Lines (each ending in `\n`), for tests that need no file. */
export function generateSuccessorBlobText(
  table: WorkspaceTableName,
  rows: number,
  seed: number | string,
  options: SuccessorBlobOptions,
): string {
  const rng = createRng(seed);
  const window =
    options.window ??
    (options.format === 'dataExport' ? successorFolderWindow('dataExport', FALLBACK_WINDOW.start) : FALLBACK_WINDOW);
  const lines: string[] = [];
  while (lines.length < rows) {
    for (const row of generateWorkspaceRows(table, rng, rowOptions(options, window, lines.length)).rows) {
      if (lines.length < rows) lines.push(`${JSON.stringify(row)}\n`);
    }
  }
  return lines.join('');
}

export interface SuccessorWriteSummary {
  readonly filePath: string;
  readonly table: WorkspaceTableName;
  readonly rows: number;
  readonly bytes: number;
  readonly injected: number;
}

/**
 * Streams rows of `table` in the successor format into `filePath` until it is as close to
 * `targetBytes` as whole rows allow. Same arguments, same bytes.
 */
export async function writeSuccessorBlob(
  filePath: string,
  table: WorkspaceTableName,
  targetBytes: number,
  seed: number | string,
  options: SuccessorBlobOptions,
): Promise<SuccessorWriteSummary> {
  const rng = createRng(seed);
  const window = options.window ?? FALLBACK_WINDOW;
  const written = await writeLines(filePath, targetBytes, (index) => {
    const generated = generateWorkspaceRows(table, rng, rowOptions(options, window, index));
    return { lines: generated.rows.map((row) => `${JSON.stringify(row)}\n`), injected: generated.injected };
  });
  return { filePath, table, ...written };
}
