import { createHash } from 'node:crypto';

import type { InvocationContext } from '@azure/functions';

import { type AppConfig, loadConfig } from '../shared/adapters/settings/config';
import { blobServices, exportStatusServices, type ServiceOverrides } from '../shared/composition/appServices';
import { describeError } from '../shared/core/describeError';
import { AlertDeliveryError } from '../shared/core/errors';
import { bufferSliceStream } from '../shared/core/export/bufferSlices';
import type { Logger } from '../shared/core/logger';
import { type BlobSummary, describeBlobSummary, processExportBlob } from '../shared/core/processExportBlob';
import { blobDelivered, blobFailed } from '../shared/core/status/exportActivity';
import { noteExportActivity } from '../shared/core/status/exportStatusBook';
import { registerWhenConfigured } from './appSettings';

/**
 * Blob trigger: one invocation per new export blob. Reads the trigger, calls the use case and logs
 * its one-line summary, then notes it (or the failure) for `export-alerts status`, which can never
 * fail the invocation. A failed e-mail fails the invocation, so the host retries the blob.
 */
export const exportBlobReceived = exportBlobHandler();

/**
 * The handler, with services swapped where a caller needs to (the local host's tests pass a mailer).
 * @param config - the configuration checked once at startup; without it, read from process.env at
 *   each call (tests that set it)
 */
export function exportBlobHandler(overrides: ServiceOverrides = {}, startupConfig?: AppConfig) {
  return async (blob: unknown, context: InvocationContext): Promise<BlobSummary> => {
    const config = startupConfig ?? loadConfig();
    const logger: Logger = {
      info: (m) => context.log(m),
      warn: (m) => context.warn(m),
      error: (m) => context.error(m),
    };
    const content = toBuffer(blob);
    const name = blobNameOf(context);
    const bytes = blobBytesOf(context, content);
    if (bytes > config.maxBlobBytes) {
      const reason = `blob is ${bytes} bytes, over EXPORT_MAX_BLOB_BYTES=${config.maxBlobBytes}`;
      context.error(`blob ${name} not read: ${reason}; raise EXPORT_MAX_BLOB_BYTES in the app settings to read it`);
      const summary: BlobSummary = { status: 'ignored', blobName: name, reason };
      context.log(describeBlobSummary(summary));
      return summary;
    }
    // NOTE: zero-copy slices, not one chunk: the reader parses a chunk's rows before yielding any,
    // so one chunk would hold every record of the blob at once.
    const depositedAt = depositTimeOf(context);
    const input = {
      name,
      etag: etagOf(context, content),
      content: bufferSliceStream(content),
      ...(depositedAt === undefined ? {} : { depositedAt }),
    };
    const status = exportStatusServices(config, overrides);
    try {
      const summary = await processExportBlob(input, blobServices(config, logger, overrides));
      context.log(describeBlobSummary(summary));
      const delivered = blobDelivered(summary, input.etag, status.now());
      if (delivered) await noteExportActivity(status.book, delivered, logger);
      return summary;
    } catch (error) {
      if (error instanceof AlertDeliveryError) context.error(describeBlobSummary(error.summary as BlobSummary));
      // Every failed try counts: the one that reaches host.json's poisonBlobThreshold is the blob's last.
      const failed = blobFailed(name, input.etag, describeError(error), status.now(), true);
      if (failed) await noteExportActivity(status.book, failed, logger);
      throw error;
    }
  };
}

/**
 * The trigger metadata this handler reads, as the Functions host passes it for a blob trigger: the
 * `{name}` binding, the path, and the blob's `BlobProperties` (Azure.Storage.Blobs) with the first
 * letter of each key lower-cased by the Node library (`ETag` → `eTag`, `LastModified` →
 * `lastModified`, an ISO string or a Date). The local host builds exactly this shape.
 */
export interface BlobTriggerMetadata {
  readonly name: string;
  /** `<container>/<name>`. */
  readonly blobTrigger: string;
  readonly uri: string;
  readonly properties: {
    /** The quoted entity tag as the service sends it, e.g. `"0x8DC5F3A7B2E1C40"`. */
    readonly eTag: string;
    readonly lastModified: string | Date;
    readonly createdOn?: string | Date;
    readonly contentLength: number;
    readonly contentType?: string;
    readonly blobType: string;
  };
  readonly metadata: Readonly<Record<string, string>>;
}

function blobNameOf(context: InvocationContext): string {
  const name = context.triggerMetadata?.['name'];
  if (typeof name !== 'string' || name === '') {
    throw new Error('blob trigger metadata has no blob name: the path must bind {name}');
  }
  return name;
}

/** The blob's `eTag` from the trigger metadata; a hash of the content where the host gives none. */
function etagOf(context: InvocationContext, content: Buffer): string {
  const etag = propertiesOf(context)?.['eTag'];
  return typeof etag === 'string' && etag !== ''
    ? etag
    : `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/**
 * When the blob was written: its Last-Modified from the trigger metadata (set by the storage service,
 * not by whoever wrote the telemetry), else its creation time; undefined when the host gives neither.
 */
function depositTimeOf(context: InvocationContext): number | undefined {
  const properties = propertiesOf(context);
  for (const key of ['lastModified', 'createdOn'] as const) {
    const value = properties?.[key];
    const at = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(at)) return at;
  }
  return undefined;
}

/** The blob's size: the larger of the metadata's `contentLength` and the content handed over. */
function blobBytesOf(context: InvocationContext, content: Buffer): number {
  const declared = Number(propertiesOf(context)?.['contentLength'] ?? Number.NaN);
  return Number.isFinite(declared) ? Math.max(declared, content.length) : content.length;
}

/** The metadata's `properties`, unchecked: a host or test may leave any of them out. */
function propertiesOf(
  context: InvocationContext,
): Partial<Record<keyof BlobTriggerMetadata['properties'], unknown>> | undefined {
  const properties = context.triggerMetadata?.['properties'];
  return typeof properties === 'object' && properties !== null ? properties : undefined;
}

function toBuffer(blob: unknown): Buffer {
  // NOTE: the Node worker hands blob content over as a Buffer, but passes a string payload through
  // JSON.parse when it parses (azure-functions-nodejs-library fromRpcTypedData), so accept all three.
  if (Buffer.isBuffer(blob)) return blob;
  if (typeof blob === 'string') return Buffer.from(blob, 'utf8');
  if (blob instanceof Uint8Array) return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return Buffer.from(JSON.stringify(blob), 'utf8');
}

registerWhenConfigured('exportBlobReceived', ({ app, config, overrides }) => {
  // With EXPORT_TRIGGER_SOURCE=Scan the exportLogScan timer follows the export container instead.
  if (config.triggerSource === 'Scan') return;
  app.storageBlob('exportBlobReceived', {
    path: '%EXPORT_CONTAINER%/{name}',
    connection: 'EXPORT_STORAGE',
    // NOTE: polling (the default) can lag minutes behind on large containers; EventGrid needs the
    // Event Grid subscription the README describes.
    source: config.triggerSource,
    handler: exportBlobHandler(overrides, config),
  });
});
