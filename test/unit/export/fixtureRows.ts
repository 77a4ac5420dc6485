import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');
export const EDGE_APP_FOLDER = join(FIXTURES, 'export', 'shopfront-prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0');
export const EDGE_BLOB_PATH = join('2024-03-05', '13', 'edge_20240305_130102.blob');

export interface FixtureRow {
  readonly line: number;
  readonly document: Record<string, unknown>;
}

/** Rows of a fixture the way the export writes them: `\n`-separated, `\r` tolerated, blank lines skipped. */
export function readFixtureRows(path: string): FixtureRow[] {
  const rows: FixtureRow[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (line.trim() !== '') rows.push({ line: index + 1, document: JSON.parse(line) as Record<string, unknown> });
    });
  return rows;
}

/** Builds an object the way `toRecords` builds dynamic columns: no prototype, every key an own key. */
export function bag<T>(entries: ReadonlyArray<readonly [string, T]>): Record<string, T> {
  const result = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) result[key] = value;
  return result;
}
