import { randomUUID } from 'node:crypto';

import { InvocationContext, type LogHandler } from '@azure/functions';
import type { BlobItem, ContainerClient } from '@azure/storage-blob';

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
 * The context the Functions host gives a blob trigger: `name` bound from `{name}`, `blobTrigger`
 * (container/name), `uri`, and the blob's `properties` with .NET's names first-letter lower-cased
 * (`eTag`, `length`, ...), as the Node worker passes them on.
 */
export function blobTriggerContext(
  functionName: string,
  container: ContainerClient,
  blob: BlobVersion,
  logHandler: LogHandler,
): InvocationContext {
  const p = blob.item.properties;
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    logHandler,
    triggerMetadata: {
      name: blob.name,
      blobTrigger: `${container.containerName}/${blob.name}`,
      uri: container.getBlobClient(blob.name).url,
      properties: {
        eTag: blob.etag,
        length: p.contentLength ?? 0,
        lastModified: p.lastModified.toISOString(),
        ...(p.createdOn ? { createdOn: p.createdOn.toISOString() } : {}),
        ...(p.contentType ? { contentType: p.contentType } : {}),
        ...(p.contentMD5 ? { contentMD5: Buffer.from(p.contentMD5).toString('base64') } : {}),
        blobType: p.blobType ?? 'BlockBlob',
      },
      metadata: { ...(blob.item.metadata ?? {}) },
    },
  });
}
