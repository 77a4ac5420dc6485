import type { StorageBlobFunctionOptions, TimerFunctionOptions } from '@azure/functions';

import { type FunctionRegistrar, registerFunctionsOfThisApp } from '../functions/appSettings';
import type { AppConfig } from '../shared/adapters/settings/config';
import { readStorageConnection, type StorageConnection } from '../shared/adapters/storage/storageConnection';
import type { ServiceOverrides } from '../shared/composition/appServices';
import { ConfigError } from '../shared/core/errors';
import type { BlobHandler } from './blobTrigger';
import type { TimerHandler } from './timerRunner';

type Settings = Readonly<Record<string, string | undefined>>;

/** A blob-trigger function as registered, its binding resolved against the app settings. */
export interface BlobFunction {
  readonly name: string;
  /** The container of the binding's path, `%X%` resolved. */
  readonly container: string;
  /** The app setting the binding names as its connection. */
  readonly connectionSetting: string;
  readonly connection: StorageConnection;
  readonly source: 'EventGrid' | 'LogsAndContainerScan';
  readonly handler: BlobHandler;
}

/** A timer function as registered, its schedule resolved against the app settings. */
export interface TimerFunction {
  readonly name: string;
  /** The NCRONTAB expression, `%X%` resolved. */
  readonly schedule: string;
  readonly handler: TimerHandler;
}

/** What the app's function files registered, for the local host to run. */
export interface AppFunctions {
  readonly config: AppConfig;
  readonly blobs: readonly BlobFunction[];
  readonly timers: readonly TimerFunction[];
}

/**
 * Loads the app's function files and records what they register with `app.storageBlob` and
 * `app.timer`, with `settings` instead of `process.env`: names, bindings and handlers come from the
 * functions themselves, so the local host runs what the Functions host would.
 * @throws ConfigError listing every invalid setting, or a binding the settings do not resolve
 */
export function appFunctions(settings: Settings, overrides: ServiceOverrides = {}): AppFunctions {
  const blobs: BlobFunction[] = [];
  const timers: TimerFunction[] = [];
  const problems: string[] = [];
  const registrar: FunctionRegistrar = {
    storageBlob: (name, options) => {
      const fn = blobFunction(name, options as StorageBlobFunctionOptions, settings, problems);
      if (fn !== undefined) blobs.push(fn);
    },
    timer: (name, options: TimerFunctionOptions) => {
      const schedule = resolveSettings(options.schedule, settings, `${name} schedule`, problems);
      if (schedule === undefined) return;
      const handler = options.handler;
      timers.push({ name, schedule, handler: async (timer, context) => handler(timer, context) });
    },
  };
  const config = registerFunctionsOfThisApp(settings, registrar, overrides);
  if (!config.ok) throw config.error;
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: config.value, blobs, timers };
}

function blobFunction(
  name: string,
  options: StorageBlobFunctionOptions,
  settings: Settings,
  problems: string[],
): BlobFunction | undefined {
  const path = resolveSettings(options.path, settings, `${name} path`, problems);
  if (path === undefined) return undefined;
  const cut = path.indexOf('/');
  const container = cut > 0 ? path.slice(0, cut) : '';
  // NOTE: the local host binds only a whole-name pattern at the container root, as this app registers;
  // others would need the host's pattern matcher.
  if (container === '' || path.slice(cut + 1) !== '{name}') {
    problems.push(`${name}: path '${options.path}' is not '<container>/{name}', the one pattern the local host binds`);
    return undefined;
  }
  const connection = readStorageConnection(settings, options.connection);
  if (connection === undefined) {
    problems.push(`${name}: its connection setting ${options.connection} is not set`);
    return undefined;
  }
  const handler = options.handler;
  return {
    name,
    container,
    connectionSetting: options.connection,
    connection,
    source: options.source ?? 'LogsAndContainerScan',
    handler: async (blob, context) => handler(blob, context),
  };
}

/**
 * `%NAME%` replaced by the app setting NAME, as the host resolves binding expressions; a setting that
 * is not there is a problem, as the host refuses to index such a function.
 */
export function resolveSettings(
  text: string,
  settings: Settings,
  what: string,
  problems: string[],
): string | undefined {
  const missing: string[] = [];
  const resolved = text.replace(/%([^%]+)%/g, (_, key: string) => {
    const value = settings[key];
    if (value === undefined || value === '') missing.push(key);
    return value ?? '';
  });
  if (missing.length === 0) return resolved;
  problems.push(`${what}: '%${missing.join('%, %')}%' does not resolve to a value`);
  return undefined;
}
