import { randomUUID } from 'node:crypto';

import { InvocationContext, type LogHandler } from '@azure/functions';
import type { BlobItem, ContainerClient } from '@azure/storage-blob';

import type { BlobTriggerMetadata } from '../functions/exportBlobReceived';
import { statusOf } from '../shared/adapters/storage/tableKeys';

/** A blob-trigger handler as registered with `app.storageBlob`. */
export type BlobHandler = (blob: unknown, context: InvocationContext) => Promise<unknown>;

/** One version of a listed blob. */
export interface BlobVersion {
  readonly name: string;
  readonly etag: string;
  readonly item: BlobItem;
}

export type Download = { readonly kind: 'content'; readonly content: Buffer } | { readonly kind: 'gone' | 'changed' };

/**
 * The blob's content as listed. A blob deleted since the listing is `gone`; one rewritten since is
 * `changed`, and the next listing shows its new etag.
 */
export async function downloadVersion(container: ContainerClient, blob: BlobVersion): Promise<Download> {
  try {
    const response = await container
      .getBlobClient(blob.name)
      .download(0, undefined, { conditions: { ifMatch: blob.etag } });
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody as AsyncIterable<Buffer>) chunks.push(chunk);
    return { kind: 'content', content: Buffer.concat(chunks) };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return { kind: 'gone' };
    if (status === 412) return { kind: 'changed' };
    throw error;
  }
}

/**
 * The trigger metadata the Functions host gives a blob trigger, in the shape the handler declares
 * (`BlobTriggerMetadata`): `name` bound from `{name}`, `blobTrigger` (container/name), `uri`, the
 * blob's Azure.Storage.Blobs properties first-letter lower-cased (`eTag` with its quotes,
 * `lastModified`, `contentLength`, ...), and its user metadata.
 */
export function blobTriggerMetadata(container: ContainerClient, blob: BlobVersion): BlobTriggerMetadata {
  const p = blob.item.properties;
  return {
    name: blob.name,
    blobTrigger: `${container.containerName}/${blob.name}`,
    uri: container.getBlobClient(blob.name).url,
    properties: {
      eTag: blob.etag,
      lastModified: p.lastModified.toISOString(),
      ...(p.createdOn ? { createdOn: p.createdOn.toISOString() } : {}),
      contentLength: p.contentLength ?? 0,
      ...(p.contentType ? { contentType: p.contentType } : {}),
      blobType: p.blobType ?? 'BlockBlob',
    },
    metadata: { ...(blob.item.metadata ?? {}) },
  };
}

/** The invocation context of one blob-trigger call. */
export function blobTriggerContext(
  functionName: string,
  container: ContainerClient,
  blob: BlobVersion,
  logHandler: LogHandler,
): InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    logHandler,
    triggerMetadata: { ...blobTriggerMetadata(container, blob) },
  });
}
