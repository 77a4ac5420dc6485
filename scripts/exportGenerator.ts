import type { TelemetryType } from '../shared/core/export/telemetryTypes';
import { generateDocument, type GenerateOptions } from './generator/generateDocument';
import { createRng, deriveSeed, type Rng } from './generator/rng';
import { serializeRow } from './generator/serializeRow';
import { writeLines } from './generator/writeLines';

export type { MetricValue, RowContext, TimeWindow } from './generator/context';
export type { GenerateOptions, Injection, Injector, InjectTarget } from './generator/generateDocument';
export { FAILED_CHECKOUT, type PlantedRequest, plantRequest } from './generator/plantRequest';
export { createRng, deriveSeed, type Rng } from './generator/rng';
export * from './generator/successorBlob';
export * from './generator/successorLayout';
export type {
  WorkspaceInjection,
  WorkspaceInjector,
  WorkspaceInjectTarget,
  WorkspaceRowOptions,
} from './generator/workspaceRow';
export { generateWorkspaceRows } from './generator/workspaceRow';

/** Used when a caller gives no window: one fixed hour, so output stays reproducible. */
export const DEFAULT_WINDOW = { start: new Date('2024-03-05T12:00:00Z'), end: new Date('2024-03-05T13:00:00Z') };

/**
 * One export row of `type` as a JSON line (no line break), drawn from `rng`.
 * @param rng - advanced by the call; the same sequence of calls on the same seed gives the same rows
 */
export function generateRow(
  type: TelemetryType,
  rng: Rng,
  options: GenerateOptions = { window: DEFAULT_WINDOW },
): string {
  return serializeRow(generateDocument(type, rng, options).document);
}

export interface BlobOptions extends Omit<GenerateOptions, 'index' | 'window'> {
  readonly window?: GenerateOptions['window'];
  /** The exporter writes `\n`; `\r\n` reproduces the CRLF fixtures. */
  readonly lineEnding?: '\n' | '\r\n';
}

/** A small blob's text, rows in order, each followed by a line ending: for tests that need no file. */
export function generateBlobText(
  type: TelemetryType,
  rows: number,
  seed: number | string,
  options: BlobOptions = {},
): string {
  const rng = createRng(seed);
  const ending = options.lineEnding ?? '\n';
  let text = '';
  for (let index = 0; index < rows; index++)
    text += generateRow(type, rng, { ...options, window: options.window ?? DEFAULT_WINDOW, index }) + ending;
  return text;
}

export interface BlobWriteSummary {
  readonly filePath: string;
  readonly type: TelemetryType;
  readonly rows: number;
  readonly bytes: number;
  /** Rows the `inject` option was applied to. */
  readonly injected: number;
}

/**
 * Streams rows of `type` into `filePath` until the file is as close to `targetBytes` as whole rows
 * allow (at least one row). Same arguments, same bytes.
 */
export async function writeExportBlob(
  filePath: string,
  type: TelemetryType,
  targetBytes: number,
  seed: number | string,
  options: BlobOptions = {},
): Promise<BlobWriteSummary> {
  const rng = createRng(seed);
  const ending = options.lineEnding ?? '\n';
  const generate = { ...options, window: options.window ?? DEFAULT_WINDOW };
  const written = await writeLines(filePath, targetBytes, (index) => {
    const generated = generateDocument(type, rng, { ...generate, index });
    return { lines: [serializeRow(generated.document) + ending], injected: generated.injected ? 1 : 0 };
  });
  return { filePath, type, ...written };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The blob name Continuous Export would give, relative to the container:
 * `<app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<id>_<yyyyMMdd_HHmmss>.blob`. The app name is lower-cased and
 * the key loses its dashes, as the exporter does.
 * @param blobName - a whole file name (containing a dot) or just the id part; default: an id derived
 *   from the other arguments, so the same call names the same blob
 */
export function exportBlobPath(
  appName: string,
  ikey: string,
  type: TelemetryType,
  depositedAt: Date,
  blobName?: string,
): string {
  const d = depositedAt;
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const folder = `${appName.toLowerCase()}_${ikey.replace(/-/g, '').toLowerCase()}`;
  const id = blobName ?? blobIdFor(folder, type, d);
  const fileName = id.includes('.') ? id : `${id}_${stamp}.blob`;
  return `${folder}/${type}/${day}/${pad(d.getUTCHours())}/${fileName}`;
}

function blobIdFor(folder: string, type: TelemetryType, depositedAt: Date): string {
  const h = createRng(deriveSeed(folder, type, depositedAt.getTime())).hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
