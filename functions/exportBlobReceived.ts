import { Readable } from 'node:stream';

import { app, type InvocationContext } from '@azure/functions';

import { loadConfig, type AppConfig } from '../shared/config';
import type { Logger } from '../shared/logger';
import { processExportBlob, type BlobSummary } from '../shared/processExportBlob';
import { RuleCatalog } from '../shared/rules/ruleCatalog';
import { TableRuleStore } from '../shared/rules/ruleStore';
import { tableClientFrom } from '../shared/storage/clients';

// One catalog per worker process, so compiled rules are reused across invocations until the TTL.
let catalog: { key: string; value: RuleCatalog } | undefined;

function ruleCatalog(config: AppConfig, logger: Logger): RuleCatalog | undefined {
  if (!config.rulesConnection) return undefined;
  const key = `${config.rulesConnection}|${config.rulesTable}|${config.rulesCacheMs}`;
  if (catalog?.key !== key) {
    const store = new TableRuleStore(tableClientFrom(config.rulesConnection, config.rulesTable));
    catalog = { key, value: new RuleCatalog(store, { ttlMs: config.rulesCacheMs, now: Date.now, logger }) };
  }
  return catalog.value;
}

/**
 * Blob trigger: one invocation per new export blob. Reads the trigger, calls the use case and logs
 * its one-line summary.
 */
export async function exportBlobReceived(blob: unknown, context: InvocationContext): Promise<BlobSummary> {
  const config = loadConfig();
  const blobName = blobNameOf(context);
  const logger: Logger = { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) };
  const rules = ruleCatalog(config, logger);
  const summary = await processExportBlob(blobName, Readable.from([toBuffer(blob)]), {
    maxLineBytes: config.maxLineBytes,
    logger,
    ...(rules ? { rulesFor: (ref) => rules.rulesFor(ref) } : {}),
  });
  context.log(describe(summary));
  return summary;
}

function describe(summary: BlobSummary): string {
  if (summary.status === 'ignored') return `blob ${summary.blobName}: ignored (${summary.reason})`;
  const matches = Object.entries(summary.matches).map(([rule, n]) => `${rule}=${n}`).join(' ');
  return (
    `blob ${summary.blobName}: ${summary.table}, ${summary.rows} rows, ${summary.records} records, ` +
    `${summary.badRows} malformed, ${summary.bytes} bytes${matches ? `, matches ${matches}` : ''}`
  );
}

function blobNameOf(context: InvocationContext): string {
  const name = context.triggerMetadata?.['name'];
  if (typeof name !== 'string' || name === '') {
    throw new Error('blob trigger metadata has no blob name: the path must bind {name}');
  }
  return name;
}

function toBuffer(blob: unknown): Buffer {
  // NOTE: the Node worker hands blob content over as a Buffer, but passes a string payload through
  // JSON.parse when it parses (azure-functions-nodejs-library fromRpcTypedData), so accept all three.
  if (Buffer.isBuffer(blob)) return blob;
  if (typeof blob === 'string') return Buffer.from(blob, 'utf8');
  if (blob instanceof Uint8Array) return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return Buffer.from(JSON.stringify(blob), 'utf8');
}

app.storageBlob('exportBlobReceived', {
  path: '%EXPORT_CONTAINER%/{name}',
  connection: 'EXPORT_STORAGE',
  handler: exportBlobReceived,
});
