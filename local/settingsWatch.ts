import { readFileSync, unwatchFile, watchFile } from 'node:fs';

import type { HostLog } from './hostLog';

type Settings = Readonly<Record<string, string | undefined>>;

/** Calls `onChange` when `file` may have changed; returns what stops watching. */
export type FileWatch = (file: string, onChange: () => void) => () => void;

export interface SettingsWatchOptions {
  /** local.settings.json. */
  readonly file: string;
  /** The settings the host runs with. */
  readonly running: Settings;
  /** The settings a restart would run with now; throws when the file cannot be read. */
  readonly read: () => Settings;
  readonly log: HostLog;
  /** Default: the file's size and time polled once a second, which also sees editors that save by rename. */
  readonly watch?: FileWatch;
}

export interface SettingsWatch {
  /** Compares the settings a restart would get with the running ones, and says what changed. */
  check(): void;
  stop(): void;
}

/**
 * Tells the user when local.settings.json no longer says what the host runs with: the host checks its
 * settings once and builds its services from them, so a change applies at the next start. Only names
 * are printed, never values, which may be keys and connection strings. A change is reported once.
 */
export function watchLocalSettings(options: SettingsWatchOptions): SettingsWatch {
  // The last difference told; empty while the file says what the host runs with.
  let told = '';
  const tell = (level: 'info' | 'warn', text: string, difference: string): void => {
    if (difference === told) return;
    told = difference;
    options.log({ level, source: 'host', text });
  };
  const check = (): void => {
    let next: Settings;
    try {
      next = options.read();
    } catch (error) {
      const text = `local.settings.json changed but cannot be read (${unreadableReason(options.file, error)}): the host keeps running with the settings it started with`;
      tell('warn', text, text);
      return;
    }
    const names = changedSettingNames(options.running, next);
    if (names.length > 0) {
      const text = `local.settings.json changed: restart to apply (${names.join(', ')})`;
      tell('warn', text, text);
    } else {
      tell('info', 'local.settings.json changed: it says again what the host runs with', '');
    }
  };
  const stop = (options.watch ?? pollFile)(options.file, check);
  return { check, stop };
}

/** The names whose values differ between `before` and `after` (set, unset or changed), sorted. */
export function changedSettingNames(before: Settings, after: Settings): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => (before[name] ?? '') !== (after[name] ?? '')).sort();
}

/**
 * Why the file cannot be read, without quoting it: V8's JSON errors carry a slice of the text, which
 * may hold a secret. The line and column stay; they are all an editor needs.
 */
function unreadableReason(file: string, error: unknown): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (readError) {
    const code = (readError as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'unreadable';
  }
  try {
    JSON.parse(text);
  } catch (parseError) {
    const message = parseError instanceof Error ? parseError.message : '';
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    if (lineColumn) return `not valid JSON at line ${lineColumn[1]}, column ${lineColumn[2]}`;
    if (position) return `not valid JSON at ${lineAndColumn(text, Number(position[1]))}`;
    return 'not valid JSON';
  }
  return error instanceof Error ? error.name : 'unreadable';
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1] ?? '').length + 1}`;
}

function pollFile(file: string, onChange: () => void): () => void {
  const listener = (current: { mtimeMs: number; size: number }, previous: { mtimeMs: number; size: number }) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) onChange();
  };
  watchFile(file, { interval: 1_000, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
