import type { ContainerClient } from '@azure/storage-blob';

import { type BlobReceipt, type BlobReceipts, needsInvocation, nextAttempt } from './blobReceipts';
import { type BlobHandler, blobTriggerContext, type BlobVersion, downloadVersion } from './blobTrigger';
import { type HostLog, invocationLogHandler } from './hostLog';

/** The host's `poisonBlobThreshold` default: tries of one blob version before giving up on it. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** What one invocation of the blob handler came to. */
export type BlobInvocation =
  | {
      readonly name: string;
      readonly etag: string;
      readonly attempt: number;
      readonly outcome: 'done';
      readonly result: unknown;
    }
  | {
      readonly name: string;
      readonly etag: string;
      readonly attempt: number;
      readonly outcome: 'failed' | 'poison';
      readonly error: string;
    };

/** What one listing of the container led to. */
export interface PollReport {
  /** Blobs in the container. */
  readonly listed: number;
  /** Handler invocations, in order. */
  readonly invocations: readonly BlobInvocation[];
  /** Blobs deleted or rewritten between the listing and their download: the next poll sees them as they are. */
  readonly missed: readonly string[];
}

export interface BlobWatcherDeps {
  readonly functionName: string;
  readonly container: ContainerClient;
  readonly receipts: BlobReceipts;
  readonly handler: BlobHandler;
  readonly maxAttempts: number;
  readonly now: () => Date;
  readonly log: HostLog;
}

/**
 * Lists the container and calls the blob handler for every blob version without a receipt, one at a
 * time, the way the host's container scan does: once per etag; a failed invocation again on later
 * polls, up to `maxAttempts` tries, after which the version is reported as poison and left alone.
 */
export async function pollContainer(deps: BlobWatcherDeps): Promise<PollReport> {
  const listed: BlobVersion[] = [];
  for await (const item of deps.container.listBlobsFlat({ includeMetadata: true })) {
    listed.push({ name: item.name, etag: item.properties.etag ?? '', item });
  }
  const invocations: BlobInvocation[] = [];
  const missed: string[] = [];
  for (const blob of listed) {
    const receipt = deps.receipts.get(blob.name);
    if (!needsInvocation(blob.etag, receipt, deps.maxAttempts)) continue;
    const download = await downloadVersion(deps.container, blob);
    if (download.kind !== 'content') {
      missed.push(blob.name);
      continue;
    }
    invocations.push(await invoke(deps, blob, download.content, nextAttempt(blob.etag, receipt)));
  }
  return { listed: listed.length, invocations, missed };
}

async function invoke(
  deps: BlobWatcherDeps,
  blob: BlobVersion,
  content: Buffer,
  attempt: number,
): Promise<BlobInvocation> {
  const context = blobTriggerContext(
    deps.functionName,
    deps.container,
    blob,
    invocationLogHandler(deps.functionName, deps.log),
  );
  const at = deps.now().toISOString();
  const base = { name: blob.name, etag: blob.etag, attempt };
  let invocation: BlobInvocation;
  try {
    invocation = { ...base, outcome: 'done', result: await deps.handler(content, context) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const poison = attempt >= deps.maxAttempts;
    invocation = { ...base, outcome: poison ? 'poison' : 'failed', error: message };
    deps.log(
      poison
        ? {
            level: 'error',
            source: 'host',
            text: `blob ${blob.name}: poison after ${attempt} failed tries, left alone until it changes: ${message}`,
          }
        : {
            level: 'warn',
            source: 'host',
            text: `blob ${blob.name}: try ${attempt} of ${deps.maxAttempts} failed, trying again on the next poll: ${message}`,
          },
    );
  }
  const receipt: BlobReceipt = {
    blobName: blob.name,
    etag: blob.etag,
    status: invocation.outcome,
    attempts: attempt,
    ...(invocation.outcome === 'done' ? {} : { lastError: invocation.error }),
    at,
  };
  await deps.receipts.record(receipt);
  return invocation;
}
