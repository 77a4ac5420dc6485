import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { runCli } from '../../../cli/main';
import { DEMO_IKEY } from '../../../cli/replayCommand';
import type { HostLogLine } from '../../../local/hostLog';
import { localHostSettings } from '../../../local/localSettings';
import { exportBlobPath, FAILED_CHECKOUT, generateBlobText, plantRequest } from '../../../scripts/exportGenerator';
import { WORKSPACE_TABLE_NAMES } from '../../../shared/core/export/workspaceTables';
import { testConnectionString, uniqueName } from '../../harness/storage';

/** App settings of a local host with its own container and tables in the test Azurite. */
export function isolatedSettings(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const id = uniqueName('').replace(/[^a-z0-9]/g, '');
  const connection = testConnectionString();
  return localHostSettings({
    AzureWebJobsStorage: connection,
    EXPORT_STORAGE: connection,
    EXPORT_CONTAINER: `export-${id}`,
    ALERT_RULES_TABLE: `rules${id}`,
    ALERT_STATE_TABLE: `state${id}`,
    ALERT_LEDGER_TABLE: `ledger${id}`,
    EXPORT_STATUS_TABLE: `status${id}`,
    RETENTION_DRY_RUN: 'false',
    // NOTE: the host's sweep also covers every successor container of the shared Azurite, named by
    // table, where other test files keep append blobs: those are kept out of these tests' sweeps.
    ...Object.fromEntries(WORKSPACE_TABLE_NAMES.map((t) => [`RETENTION_DAYS_${t}`, '36500'])),
    ...extra,
  });
}

export const receiptsTableName = (): string => `receipts${uniqueName('').replace(/[^a-z0-9]/g, '')}`;

/**
 * The CLI as a user runs it beside the host, in a shell whose environment holds the host's settings
 * (the rules table above all), with its output collected. The local host reads no `process.env`, so
 * only the CLI sees this.
 */
export async function cliWith(
  settings: Readonly<Record<string, string | undefined>>,
  ...argv: string[]
): Promise<{ code: number; out: string[]; err: string[] }> {
  return withEnvironment(settings, () => cli(...argv));
}

/** Runs `task` with `settings` in `process.env`, as a shell that exported them, and restores it after. */
export async function withEnvironment<T>(
  settings: Readonly<Record<string, string | undefined>>,
  task: () => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) process.env[key] = value;
  try {
    return await task();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** The CLI as a user runs it, with its output collected. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** A folder holding one generated Requests blob, this hour, with three `POST /checkout` 503s. */
export async function exportFolderWithFailures(
  app: string,
  now = new Date(),
): Promise<{ folder: string; blobName: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'replay-'));
  const blobName = exportBlobPath(app, DEMO_IKEY, 'Requests', now, 'checkout.blob');
  const text = generateBlobText('Requests', 40, 7, {
    window: { start: new Date(now.getTime() - 60_000), end: now },
    inject: (row) => {
      if (row.index % 10 === 3) plantRequest(row, FAILED_CHECKOUT);
    },
  });
  await mkdir(dirname(join(folder, blobName)), { recursive: true });
  await writeFile(join(folder, blobName), text);
  return { folder, blobName };
}

export function collectLog(): { lines: HostLogLine[]; log: (line: HostLogLine) => void } {
  const lines: HostLogLine[] = [];
  return { lines, log: (line) => void lines.push(line) };
}
