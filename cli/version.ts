import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in package.json. NOTE: read at run time, from the source folder or from dist/ (one level
 * deeper), because tsc's rootDir leaves package.json outside the compiled tree.
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (parsed.name === 'insights-export-alerts' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // Not here: one folder up.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
