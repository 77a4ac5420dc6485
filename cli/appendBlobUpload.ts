import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Transform } from 'node:stream';

import type { ContainerClient } from '@azure/storage-blob';

import { at } from '../shared/core/defined';

/** NOTE: Append Block takes at most 4 MiB per call on the service versions Azurite speaks. */
export const MAX_APPEND_BYTES = 4 * 1024 * 1024;

/** A whole number in [0, bound) drawn from the seed and a counter: the same cuts on every run. */
function draw(seed: string, counter: number, bound: number): number {
  return createHash('sha256').update(`${seed}\u0000${counter}`).digest().readUInt32BE(0) % bound;
}

/**
 * Where to cut a file of `size` bytes into `appends` pieces: sorted offsets strictly inside the file,
 * at arbitrary byte positions, so pieces end mid-line. When `head` (the file's first bytes) holds a
 * multi-byte UTF-8 character, one cut lands inside it, so a reader meets a character cut in two.
 * @returns `appends - 1` offsets, fewer when the file has fewer bytes than that
 */
export function appendCuts(size: number, appends: number, seed: string, head?: Uint8Array): number[] {
  const wanted = Math.min(Math.max(appends, 1), Math.max(size, 1)) - 1;
  const cuts = new Set<number>();
  if (wanted > 0 && head !== undefined) {
    const continuation: number[] = [];
    for (let i = 1; i < Math.min(head.length, size); i++)
      if ((at(head, i, 'head bytes') & 0xc0) === 0x80) continuation.push(i);
    if (continuation.length > 0) cuts.add(at(continuation, draw(seed, -1, continuation.length), 'continuation bytes'));
  }
  for (let counter = 0; cuts.size < wanted; counter++) cuts.add(1 + draw(seed, counter, size - 1));
  return [...cuts].sort((a, b) => a - b);
}

/** The `[start, end)` ranges of each append: the cut pieces, any over MAX_APPEND_BYTES split further. */
export function appendRanges(size: number, cuts: readonly number[], maxBytes = MAX_APPEND_BYTES): [number, number][] {
  const ranges: [number, number][] = [];
  const bounds = [0, ...cuts, size];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const end = at(bounds, i + 1, 'cut bounds');
    for (let start = at(bounds, i, 'cut bounds'); start < end; start += maxBytes) {
      ranges.push([start, Math.min(end, start + maxBytes)]);
    }
  }
  return ranges;
}

export interface AppendUpload {
  readonly bytes: number;
  readonly appends: number;
  /** A blob of that name was there before and was deleted first (a re-created blob). */
  readonly replaced: boolean;
}

export interface AppendOptions {
  readonly appends: number;
  readonly seed: string;
  /** Waited between two appends, so a scanner can see the blob grow; default none. */
  readonly pauseMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each append with the blob's length so far. */
  readonly onAppend?: (length: number, index: number) => void;
  /** Rewrites the file's bytes on the way (moving event times); it must keep their number. */
  readonly transform?: Transform;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Writes `file` as an append blob in several Append Block calls, the way the successor exports grow
 * their PT1H.json / PT05M.json blobs. A blob of the same name is deleted first, so the result equals
 * the file byte for byte; a scanner following the old one sees a re-created blob.
 */
export async function uploadAsAppendBlob(
  container: ContainerClient,
  blobName: string,
  file: string,
  options: AppendOptions,
): Promise<AppendUpload> {
  const handle = await open(file, 'r');
  let size: number;
  let head: Buffer;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const ranges = appendRanges(size, appendCuts(size, options.appends, `${options.seed}\u0000${blobName}`, head));
  const blob = container.getAppendBlobClient(blobName);
  const replaced = (await blob.deleteIfExists()).succeeded;
  await blob.create({ blobHTTPHeaders: { blobContentType: 'application/json' } });
  const source = createReadStream(file);
  const content = options.transform === undefined ? source : pipeline(source, options.transform, () => {});
  try {
    let index = 0;
    for await (const piece of pieces(content, ranges)) {
      if (index > 0 && options.pauseMs) await (options.sleep ?? defaultSleep)(options.pauseMs);
      await blob.appendBlock(piece, piece.length);
      options.onAppend?.(at(ranges, index, 'append ranges')[1], index);
      index++;
    }
  } finally {
    content.destroy();
  }
  return { bytes: size, appends: ranges.length, replaced };
}

/** The stream's bytes cut into the given consecutive ranges, read as they are needed. */
async function* pieces(stream: AsyncIterable<Buffer>, ranges: readonly [number, number][]): AsyncGenerator<Buffer> {
  const iterator = stream[Symbol.asyncIterator]();
  let held: Buffer = Buffer.alloc(0);
  for (const [start, end] of ranges) {
    const chunks: Buffer[] = [held];
    let have = held.length;
    while (have < end - start) {
      const next = await iterator.next();
      if (next.done === true) throw new Error(`the file ended at byte ${start + have}, before ${end}: did it change?`);
      chunks.push(next.value);
      have += next.value.length;
    }
    const all = Buffer.concat(chunks);
    held = all.subarray(end - start);
    yield all.subarray(0, end - start);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
