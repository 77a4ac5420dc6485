import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createRng, DEFAULT_WINDOW, generateRow, writeExportBlob } from '../scripts/exportGenerator';
import type { TelemetryType } from '../shared/core/export/telemetryTypes';

export interface BenchBlob {
  readonly file: string;
  readonly type: TelemetryType;
  readonly bytes: number;
  readonly rows: number;
}

/**
 * A generated blob in `dataDir`, written once and reused while type, size, seed and the generator's
 * first row are unchanged (so a generator change regenerates instead of benchmarking stale data).
 */
export async function ensureBenchBlob(
  dataDir: string,
  type: TelemetryType,
  targetBytes: number,
  seed: string,
  log: (line: string) => void,
): Promise<BenchBlob> {
  const file = join(dataDir, `${type}-${targetBytes}-${seed}.blob`);
  const firstRow = generateRow(type, createRng(seed), { window: DEFAULT_WINDOW, index: 0 });
  const made = await ensureGenerated(
    { file, sidecarFile: `${file}.json`, key: `${type} ${targetBytes} ${seed}`, firstRow, log },
    `${(targetBytes / 1024 ** 2).toFixed(0)} MiB of ${type}, seed ${seed}`,
    () => writeExportBlob(file, type, targetBytes, seed),
  );
  return { file, type, ...made };
}

interface Sidecar {
  /** How the file was made (kind, size, seed): another key regenerates it. */
  readonly key: string;
  readonly firstRow: string;
  readonly bytes: number;
  readonly rows: number;
}

/**
 * A generated file reused while its sidecar has the same key, its size is the one recorded and it
 * still starts with the generator's first row; else generated again (`generate`) and recorded.
 */
export async function ensureGenerated(
  where: {
    readonly file: string;
    readonly sidecarFile: string;
    readonly key: string;
    readonly firstRow: string;
    readonly log: (line: string) => void;
  },
  what: string,
  generate: () => Promise<{ readonly bytes: number; readonly rows: number }>,
): Promise<{ bytes: number; rows: number }> {
  const { file, sidecarFile, key, firstRow, log } = where;
  const existing = await readSidecar<Sidecar>(sidecarFile);
  if (existing?.key === key && existing.firstRow === firstRow) {
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size === existing.bytes && (await startsWith(file, firstRow)))
      return { bytes: existing.bytes, rows: existing.rows };
  }
  log(`generating ${file} (${what}) ...`);
  const started = Date.now();
  const summary = await generate();
  log(`  ${summary.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const sidecar: Sidecar = { key, firstRow, bytes: summary.bytes, rows: summary.rows };
  await writeFile(sidecarFile, JSON.stringify(sidecar, null, 2));
  return { bytes: summary.bytes, rows: summary.rows };
}

/** A generated file's sidecar, undefined when missing or unreadable. */
export async function readSidecar<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    // Missing or unreadable: regenerate.
    return undefined;
  }
}

/** Whether a generated file still starts with the generator's first row. */
export async function startsWith(file: string, text: string): Promise<boolean> {
  const expected = Buffer.from(text);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(expected.length);
    await handle.read(buffer, 0, expected.length, 0);
    return buffer.equals(expected);
  } finally {
    await handle.close();
  }
}
