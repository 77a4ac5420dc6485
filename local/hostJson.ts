import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** What host.json says about blob triggers, which the local host follows as the Functions host does. */
export interface BlobHostSettings {
  /** `extensions.blobs.poisonBlobThreshold`: tries of one blob version before it is given up on. */
  readonly poisonBlobThreshold: number;
  /** `extensions.blobs.maxDegreeOfParallelism`: blob invocations in flight at once, all functions together. */
  readonly maxDegreeOfParallelism: number;
}

/** The Functions host's defaults when host.json leaves a setting out (Blob storage extension 5.x). */
export function defaultBlobHostSettings(): BlobHostSettings {
  return { poisonBlobThreshold: 5, maxDegreeOfParallelism: 8 * availableParallelism() };
}

/**
 * The app's host.json: where the host reads it, the app root (the working directory of `npm start`),
 * else beside the sources or the compiled output.
 */
export function findHostJson(): string | undefined {
  return [
    join(process.cwd(), 'host.json'),
    join(__dirname, '..', 'host.json'),
    join(__dirname, '..', '..', 'host.json'),
  ].find((file) => existsSync(file));
}

/**
 * The blob settings of a host.json text; a missing or unusable value takes the host's default.
 * @throws Error when the text is not JSON, naming the file
 */
export function blobHostSettingsOf(text: string, file = 'host.json'): BlobHostSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const blobs = property(property(parsed, 'extensions'), 'blobs');
  const defaults = defaultBlobHostSettings();
  return {
    poisonBlobThreshold: positiveInt(property(blobs, 'poisonBlobThreshold')) ?? defaults.poisonBlobThreshold,
    maxDegreeOfParallelism: positiveInt(property(blobs, 'maxDegreeOfParallelism')) ?? defaults.maxDegreeOfParallelism,
  };
}

/** The blob settings of the app's host.json, or the host's defaults when there is none. */
export function readBlobHostSettings(file = findHostJson()): BlobHostSettings {
  return file === undefined ? defaultBlobHostSettings() : blobHostSettingsOf(readFileSync(file, 'utf8'), file);
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}
