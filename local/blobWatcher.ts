import type { ContainerClient } from '@azure/storage-blob';

import { type BlobReceipt, type BlobReceipts, needsInvocation, nextAttempt } from './blobReceipts';
import { type BlobHandler, blobTriggerContext, type BlobVersion, downloadVersion } from './blobTrigger';
import { type HostLog, invocationLogHandler } from './hostLog';
import type { InvocationSlots } from './invocationSlots';

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
  /** Handler invocations, in listing order (they may have run side by side). */
  readonly invocations: readonly BlobInvocation[];
  /** Blobs deleted or rewritten between the listing and their download: the next poll sees them as they are. */
  readonly missed: readonly string[];
}

export interface BlobWatcherDeps {
  readonly functionName: string;
  readonly container: ContainerClient;
  readonly receipts: BlobReceipts;
  readonly handler: BlobHandler;
  /** host.json `poisonBlobThreshold`. */
  readonly maxAttempts: number;
  /** Bound of blob invocations in flight (host.json `maxDegreeOfParallelism`), shared by all blob functions. */
  readonly slots: InvocationSlots;
  readonly now: () => Date;
  readonly log: HostLog;
}

/**
 * Lists the container and calls the blob handler for every blob version without a receipt, as many
 * at once as the slots allow, the way the host's container scan does: once per etag; a failed
 * invocation again on later polls, up to `maxAttempts` tries, after which the version is reported as
 * poison and left alone.
 */
export async function pollContainer(deps: BlobWatcherDeps): Promise<PollReport> {
  const listed: BlobVersion[] = [];
  for await (const item of deps.container.listBlobsFlat({ includeMetadata: true })) {
    listed.push({ name: item.name, etag: item.properties.etag ?? '', item });
  }
  const due = listed.filter((blob) => needsInvocation(blob.etag, deps.receipts.get(blob.name), deps.maxAttempts));
  // NOTE: the download happens inside the slot, so at most `slots.size` blobs are held in memory.
  // Settled, not all: a poll that fails (storage gone) still waits for the invocations it started.
  const settled = await Promise.allSettled(
    due.map((blob) =>
      deps.slots.run(async (): Promise<BlobInvocation | undefined> => {
        const download = await downloadVersion(deps.container, blob);
        if (download.kind !== 'content') return undefined;
        return invoke(deps, blob, download.content, nextAttempt(blob.etag, deps.receipts.get(blob.name)));
      }),
    ),
  );
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  const outcomes = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  const invocations = outcomes.filter((o): o is BlobInvocation => o !== undefined);
  const missed = due.filter((_, i) => outcomes[i] === undefined).map((blob) => blob.name);
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
