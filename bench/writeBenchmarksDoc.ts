import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { format, resolveConfig } from 'prettier';

import { replaceBenchBlock } from './benchmarksDoc';

const NEW_DOCUMENT = '# Benchmarks\n\nWritten by `npm run bench`; one block per section.\n';

/**
 * Replaces one section's block in the benchmarks document and writes it back formatted as `npm run format`
 * would, so `prettier --check` stays clean after a run (prettier aligns the tables).
 */
export async function writeBenchBlock(path: string, name: string, block: string): Promise<void> {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : NEW_DOCUMENT;
  const options = (await resolveConfig(path)) ?? {};
  const formatted = await format(replaceBenchBlock(current, name, block), { ...options, filepath: path });
  writeFileSync(path, formatted);
}
