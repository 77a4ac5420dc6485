import { parseNcrontab } from '../../core/schedule/ncrontab';

/** App settings as the host hands them over. */
export type Env = Readonly<Record<string, string | undefined>>;

// Readers of one setting each: the value or the fallback, and a problem (setting, value, what is
// expected) pushed for anything else. Here, not in config.ts, so that settings groups of their own
// (retention) read values the same way without importing the whole configuration.

export function readString(env: Env, key: string, fallback: string, problems: string[]): string {
  const raw = env[key];
  if (raw === undefined) return fallback;
  const value = raw.trim();
  if (value === '') problems.push(`${key} is set but blank; remove it to use the default '${fallback}'`);
  return value || fallback;
}

/** One of `allowed`, matched case-insensitively and returned as spelled in `allowed`. */
export function readChoice<T extends string>(
  env: Env,
  key: string,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const raw = env[key];
  if (raw === undefined) return fallback;
  const found = allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
  const choices =
    allowed.length > 2 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}` : allowed.join(' or ');
  if (found === undefined) problems.push(`${key} must be ${choices} (any case), found '${raw}'`);
  return found ?? fallback;
}

export function readPositiveInt(env: Env, key: string, fallback: number, problems: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parseDecimal(raw);
  if (value === undefined || value <= 0) {
    problems.push(`${key} must be a positive whole number, found '${raw}'`);
    return fallback;
  }
  return value;
}

/** A whole number within `min`-`max`; undefined (and a problem) when the value is not one. */
export function readWholeNumber(
  env: Env,
  key: string,
  fallback: number,
  range: { min: number; max?: number },
  problems: string[],
): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parseDecimal(raw);
  if (value === undefined || value < range.min || (range.max !== undefined && value > range.max)) {
    const allowed = range.max === undefined ? `at least ${range.min}` : `from ${range.min} to ${range.max}`;
    problems.push(`${key} must be a whole number ${allowed}, found '${raw}'`);
    return undefined;
  }
  return value;
}

/**
 * Plain decimal digits only: `Number()` would also take `0x1E`, `1e3` and `1.0`, which nobody
 * writing a count or a number of days means.
 */
export function parseDecimal(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A six-field NCRONTAB expression, checked with the parser the local host runs timers with. */
export function readSchedule(env: Env, key: string, fallback: string, problems: string[]): string {
  const value = readString(env, key, fallback, problems);
  const parsed = parseNcrontab(value);
  if (parsed.ok) return value;
  problems.push(`${key} must be a six-field NCRONTAB expression like '${fallback}': ${parsed.error}`);
  return fallback;
}

export function readBoolean(env: Env, key: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push(`${key} must be true or false, found '${raw}'`);
  return fallback;
}

export function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readUrl(env: Env, key: string, problems: string[]): string | undefined {
  const value = optional(env[key]);
  if (value === undefined || /^https?:\/\/[^\s/]+/i.test(value)) return value;
  problems.push(`${key} must be an http:// or https:// URL, found '${value}'`);
  return undefined;
}

/** A comma-separated list of container names (lower-case letters, digits and hyphens, 3-63), or none. */
export function readContainerList(env: Env, key: string, problems: string[]): readonly string[] {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return [];
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const name of names) {
    if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(name)) {
      problems.push(`${key}: '${name}' is not a container name (3-63 lower-case letters, digits and single hyphens)`);
    }
  }
  return names;
}

export function readTableName(env: Env, key: string, fallback: string, problems: string[]): string {
  const value = readString(env, key, fallback, problems);
  // Table service rule: alphanumeric, 3-63 characters, starting with a letter.
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(value)) {
    problems.push(`${key} must be a table name (3-63 letters and digits, starting with a letter), found '${value}'`);
    return fallback;
  }
  return value;
}

export function readEmail(env: Env, key: string, fallback: string, problems: string[]): string {
  const value = readString(env, key, fallback, problems);
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(value)) {
    problems.push(`${key} must be an e-mail address, found '${value}'`);
    return fallback;
  }
  return value;
}
