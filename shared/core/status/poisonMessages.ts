/**
 * The Functions host's own record of poisoned blobs: after a blob version's last failed try it adds a
 * message to the `webjobs-blobtrigger-poison` queue of AzureWebJobsStorage, a JSON object naming the
 * function and the blob (`FunctionId`, `BlobType`, `ContainerName`, `BlobName`, `ETag`).
 */
export const POISON_QUEUE = 'webjobs-blobtrigger-poison';

/** What a peek at the queue returned: at most 32 of its oldest messages, and its approximate length. */
export interface PoisonQueuePeek {
  readonly approximateCount: number;
  readonly messages: readonly { readonly insertedOn: number; readonly text: string }[];
}

/** The poison queue's count for `export-alerts status`. */
export type PoisonQueueCount =
  | {
      readonly state: 'read';
      /** Messages in the queue, by the service's approximate count. */
      readonly messages: number;
      /** Of the messages peeked, those of this function inserted in the last 24 hours. */
      readonly lastDay: number;
      /** The queue holds more than a peek shows (32): messages past those may be of the last 24 hours too. */
      readonly beyondPeek: number;
    }
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly reason: string };

export interface PoisonMessage {
  readonly functionId: string;
  readonly container: string;
  readonly blobName: string;
}

/** A poison message's fields; the host writes the JSON plain or base64-encoded (its queue default), so both read. */
export function parsePoisonMessage(text: string): PoisonMessage | undefined {
  for (const candidate of [text, Buffer.from(text, 'base64').toString('utf8')]) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value === null || typeof value !== 'object') continue;
      const o = value as Record<string, unknown>;
      const { FunctionId, ContainerName, BlobName } = o;
      if (typeof FunctionId === 'string' && typeof BlobName === 'string')
        return {
          functionId: FunctionId,
          container: typeof ContainerName === 'string' ? ContainerName : '',
          blobName: BlobName,
        };
    } catch {
      // Not JSON in this encoding: try the other.
    }
  }
  return undefined;
}

/**
 * Counts the peeked messages of `functionName` (FunctionId `<host>.Functions.<name>`) inserted in the
 * 24 hours up to `now`. Messages of other functions sharing the account are not counted.
 */
export function countPoisonQueue(peek: PoisonQueuePeek, functionName: string, now: number): PoisonQueueCount {
  const since = now - 24 * 60 * 60_000;
  const lastDay = peek.messages.filter((m) => {
    const parsed = parsePoisonMessage(m.text);
    return parsed !== undefined && parsed.functionId.endsWith(`.${functionName}`) && m.insertedOn > since;
  }).length;
  return {
    state: 'read',
    messages: Math.max(peek.approximateCount, peek.messages.length),
    lastDay,
    beyondPeek: Math.max(0, peek.approximateCount - peek.messages.length),
  };
}
