import { Readable } from 'node:stream';

import { app, type InvocationContext } from '@azure/functions';

import { loadConfig } from '../shared/config';
import { processExportBlob, type BlobSummary } from '../shared/processExportBlob';

/**
 * Blob trigger: one invocation per new export blob. Reads the trigger, calls the use case and logs
 * its one-line summary.
 */
export async function exportBlobReceived(blob: unknown, context: InvocationContext): Promise<BlobSummary> {
  const config = loadConfig();
  const blobName = blobNameOf(context);
  const summary = await processExportBlob(blobName, Readable.from([toBuffer(blob)]), {
    maxLineBytes: config.maxLineBytes,
    logger: { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
  });
  context.log(
    summary.status === 'ignored'
      ? `blob ${summary.blobName}: ignored (${summary.reason})`
      : `blob ${summary.blobName}: ${summary.table}, ${summary.rows} rows, ${summary.records} records, ${summary.badRows} malformed, ${summary.bytes} bytes`,
  );
  return summary;
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
