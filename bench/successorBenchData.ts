import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  createRng,
  generateWorkspaceRows,
  successorFolderWindow,
  writeSuccessorBlob,
} from '../scripts/exportGenerator';
import { DEMO_RESOURCE } from '../scripts/generator/successorLayout';
import type { WorkspaceTableName } from '../shared/export/workspaceTables';
import { readSidecar, startsWith } from './benchData';

export interface SuccessorBenchBlob {
  readonly file: string;
  readonly table: WorkspaceTableName;
  readonly bytes: number;
  readonly rows: number;
}

interface Sidecar {
  readonly table: WorkspaceTableName;
  readonly targetBytes: number;
  readonly seed: string;
  readonly bytes: number;
  readonly rows: number;
  readonly firstRow: string;
}

// The hour benchData's Continuous Export blob covers, so rules on time read both blobs alike.
const WINDOW = successorFolderWindow('diagnosticSettings', new Date('2024-03-05T12:00:00Z'));

/**
 * A generated diagnostic-settings blob (`PT1H.json` rows of `table`) in `dataDir`, written once and
 * reused while table, size, seed and the generator's first row are unchanged, as `ensureBenchBlob`.
 */
export async function ensureSuccessorBenchBlob(
  dataDir: string,
  table: WorkspaceTableName,
  targetBytes: number,
  seed: string,
  log: (line: string) => void,
): Promise<SuccessorBenchBlob> {
  const file = join(dataDir, `diagnosticSettings-${table}-${targetBytes}-${seed}.json`);
  const sidecarFile = `${file}.meta.json`;
  const first = generateWorkspaceRows(table, createRng(seed), {
    format: 'diagnosticSettings',
    resource: DEMO_RESOURCE,
    window: WINDOW,
    index: 0,
  }).rows[0];
  const firstRow = JSON.stringify(first);
  const existing = await readSidecar<Sidecar>(sidecarFile);
  if (
    existing &&
    existing.table === table &&
    existing.targetBytes === targetBytes &&
    existing.seed === seed &&
    existing.firstRow === firstRow
  ) {
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size === existing.bytes && (await startsWith(file, firstRow)))
      return { file, table, bytes: existing.bytes, rows: existing.rows };
  }
  log(
    `generating ${file} (${(targetBytes / 1024 ** 2).toFixed(0)} MiB of ${table}, diagnostic settings, seed ${seed}) ...`,
  );
  const started = Date.now();
  const summary = await writeSuccessorBlob(file, table, targetBytes, seed, {
    format: 'diagnosticSettings',
    window: WINDOW,
  });
  log(`  ${summary.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const sidecar: Sidecar = { table, targetBytes, seed, bytes: summary.bytes, rows: summary.rows, firstRow };
  await writeFile(sidecarFile, JSON.stringify(sidecar, null, 2));
  return { file, table, bytes: summary.bytes, rows: summary.rows };
}
