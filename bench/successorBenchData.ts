import { join } from 'node:path';

import {
  createRng,
  generateWorkspaceRows,
  successorFolderWindow,
  writeSuccessorBlob,
} from '../scripts/exportGenerator';
import { DEMO_RESOURCE } from '../scripts/generator/successorLayout';
import type { WorkspaceTableName } from '../shared/core/export/workspaceTables';
import { ensureGenerated } from './benchData';

export interface SuccessorBenchBlob {
  readonly file: string;
  readonly table: WorkspaceTableName;
  readonly bytes: number;
  readonly rows: number;
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
  const first = generateWorkspaceRows(table, createRng(seed), {
    format: 'diagnosticSettings',
    resource: DEMO_RESOURCE,
    window: WINDOW,
    index: 0,
  }).rows[0];
  const firstRow = JSON.stringify(first);
  const made = await ensureGenerated(
    { file, sidecarFile: `${file}.meta.json`, key: `${table} ${targetBytes} ${seed}`, firstRow, log },
    `${(targetBytes / 1024 ** 2).toFixed(0)} MiB of ${table}, diagnostic settings, seed ${seed}`,
    () => writeSuccessorBlob(file, table, targetBytes, seed, { format: 'diagnosticSettings', window: WINDOW }),
  );
  return { file, table, ...made };
}
