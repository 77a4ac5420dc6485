import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app settings a command runs with: the environment, filled in from `local.settings.json` in the
 * working folder the way `func start` does, so the CLI and the local host agree without exports.
 */
export function environmentWithLocalSettings(
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const file = join(cwd, 'local.settings.json');
  const merged: Record<string, string | undefined> = {};
  if (existsSync(file)) {
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> }).Values ?? {};
    for (const [key, value] of Object.entries(values)) if (typeof value === 'string') merged[key] = value;
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}
