import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';

import { runCli } from '../../../cli/main';
import { testConnectionString, uniqueName } from '../../harness/storage';

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** A fresh rules table on the test Azurite, and the CLI pointed at it through its settings, never process.env. */
export function rulesTable(): {
  readonly name: string;
  readonly client: TableClient;
  readonly run: (...argv: string[]) => Promise<CliRun>;
  readonly runWith: (connection: string, ...argv: string[]) => Promise<CliRun>;
} {
  const name = uniqueName('rules').replace(/[^a-z0-9]/g, '');
  const runWith = async (connection: string, ...argv: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { AzureWebJobsStorage: connection, ALERT_RULES_TABLE: name };
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env });
    return { code, out, err };
  };
  return {
    name,
    client: TableClient.fromConnectionString(testConnectionString(), name, { allowInsecureConnection: true }),
    run: (...argv) => runWith(testConnectionString(), ...argv),
    runWith,
  };
}

/** A rules file in a folder of its own. */
export async function ruleFile(name: string, lines: readonly string[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'rules-')), name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** The table's rules as `scope/id` → their properties, without what the table adds (etag, Timestamp). */
export async function storedRules(client: TableClient): Promise<Record<string, Record<string, unknown>>> {
  const rules: Record<string, Record<string, unknown>> = {};
  try {
    for await (const entity of client.listEntities()) {
      const { partitionKey, rowKey, etag: _etag, timestamp: _timestamp, ...properties } = entity;
      rules[`${partitionKey}/${rowKey}`] = properties;
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return rules;
}
