import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { app } from '@azure/functions';

import { type AppConfig, checkConfig } from '../shared/adapters/settings/config';
import type { ServiceOverrides } from '../shared/composition/appServices';
import type { ConfigError } from '../shared/core/errors';
import type { Result } from '../shared/core/result';

/**
 * The app settings, checked once when the worker loads the first function file, and frozen. A
 * settings change in Azure restarts the app, so nothing needs to read them again.
 */
export const appSettings: Result<AppConfig, ConfigError> = checkConfig(process.env);

/** Registers a function, or leaves it out when the settings are invalid. */
export type RegisterWhenConfigured = (functionName: string, register: (config: AppConfig) => void) => void;

/** The part of `app` the functions register through; the local host passes one that records them. */
export type FunctionRegistrar = Pick<typeof app, 'storageBlob' | 'timer'>;

/** What a function file registers with. */
export interface Registration {
  /** The checked settings the function's options and handler are built from. */
  readonly config: AppConfig;
  readonly app: FunctionRegistrar;
  /** Services a caller swaps (the local host's tests pass a mailer); none when deployed. */
  readonly overrides: ServiceOverrides;
}

/** One function file's registration: one `app.storageBlob`/`app.timer` call, or none. */
export type Register = (registration: Registration) => void;

export interface RegistrationOptions {
  /** Where the one report goes; the Functions host captures console output outside invocations. */
  readonly report: (message: string) => void;
  /** Every function of the app, for the report. */
  readonly functionNames: () => readonly string[];
}

/**
 * The gate every function registers through. With invalid settings no function is registered, rather
 * than one that throws on every invocation: a throwing blob function makes the host retry each blob
 * five times and then poison it, and a throwing timer logs the same error on every tick.
 */
export function registrationGate(
  settings: Result<AppConfig, ConfigError>,
  options: RegistrationOptions,
): RegisterWhenConfigured {
  let reported = false;
  return (functionName, register) => {
    if (settings.ok) {
      register(settings.value);
      return;
    }
    if (reported) return;
    reported = true;
    const names = [...new Set([functionName, ...options.functionNames()])].sort();
    options.report(describeUnregistered(settings.error, names));
  };
}

/** The one message an invalid configuration produces: what is wrong, what is off, and why that is safe. */
export function describeUnregistered(error: ConfigError, functionNames: readonly string[]): string {
  return [
    `invalid app settings: functions ${functionNames.join(', ')} are not registered until they are fixed:`,
    ...error.problems.map((p) => `- ${p}`),
    'Nothing is lost meanwhile: no function runs, so no blob is tried, retried or poisoned, and retention deletes nothing.',
    'With EXPORT_TRIGGER_SOURCE=LogsAndContainerScan (the default) the host keeps no receipt for a blob no function saw, so once the settings are fixed (saving app settings restarts the app) its startup scan processes every blob that arrived meanwhile.',
    'With EventGrid there is no startup scan: Event Grid retries the events it could not deliver (by default for up to 24 hours) and then drops or dead-letters them.',
  ].join('\n');
}

/**
 * The functions of this app: by convention each `functions/<name>` file registers the function
 * `<name>`, and the host loads exactly these files (package.json `main`).
 */
function functionsOfThisApp(): readonly string[] {
  return readdirSync(__dirname)
    .filter((file) => /\.[jt]s$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -3))
    .filter((name) => name !== 'appSettings');
}

const gate = registrationGate(appSettings, {
  report: (message) => console.error(message),
  functionNames: functionsOfThisApp,
});

const registered = new Map<string, Register>();
let recording = false;

/**
 * Registers the function with the configuration when the settings are valid; otherwise leaves it
 * unregistered and reports every bad setting once per process. The registration is also kept, so the
 * local host can run it again with its own settings and registrar (`registerFunctionsOfThisApp`).
 * @param functionName - the name the function registers under, for the report
 * @param register - calls `app.storageBlob`/`app.timer` with options taken from the configuration
 */
export function registerWhenConfigured(functionName: string, register: Register): void {
  registered.set(functionName, register);
  if (!recording) gate(functionName, (config) => register({ config, app, overrides: {} }));
}

/**
 * Loads every function file and runs its registration against `registrar` with the given settings,
 * instead of `process.env` and the Functions host: how the local host learns the functions, their
 * triggers and handlers without restating them. Files loaded from now on register nowhere else.
 * @returns the checked settings, or every problem with them (then nothing is registered)
 */
export function registerFunctionsOfThisApp(
  settings: Readonly<Record<string, string | undefined>>,
  registrar: FunctionRegistrar,
  overrides: ServiceOverrides = {},
): Result<AppConfig, ConfigError> {
  recording = true;
  for (const name of functionsOfThisApp()) {
    // NOTE: loaded by name as the worker loads package.json `main`; a file loaded earlier is cached
    // and has already put its registration in `registered`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the function files are found at run time
    require(join(__dirname, name));
  }
  const config = checkConfig(settings);
  if (!config.ok) return config;
  for (const register of registered.values()) register({ config: config.value, app: registrar, overrides });
  return config;
}
