/** What `completeLines` passed on: bytes through the last newline, and how many newlines. */
export interface LineProgress {
  bytes: number;
  lines: number;
}

const NEWLINE = 0x0a;

/**
 * Passes on only whole lines of an append blob's byte range: everything through the last `\n`. The
 * rest (a line still being appended, perhaps a multi-byte character cut in two) is held back for the
 * next scan, unless `flushTail` says the blob is finished; a line past `maxHeldBytes` is passed on
 * (for the reader to report as too long). `progress` is complete once iteration ends.
 */
export function completeLines(
  source: AsyncIterable<Uint8Array>,
  options: { readonly flushTail?: boolean; readonly maxHeldBytes?: number } = {},
): { readonly chunks: AsyncIterable<Uint8Array>; readonly progress: Readonly<LineProgress> } {
  const maxHeld = options.maxHeldBytes ?? Number.POSITIVE_INFINITY;
  const progress: LineProgress = { bytes: 0, lines: 0 };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    for await (const chunk of source) {
      const last = chunk.lastIndexOf(NEWLINE);
      if (last < 0) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes > maxHeld) {
          // A line longer than any row may be: the reader reports it as too long and skips it, so pass
          // it on rather than hold it (or hold the cursor) forever.
          for (const held of pending) yield held;
          progress.bytes += pendingBytes;
          pending = [];
          pendingBytes = 0;
        }
        continue;
      }
      for (const held of pending) yield held;
      const head = chunk.subarray(0, last + 1);
      yield head;
      progress.bytes += pendingBytes + head.length;
      progress.lines += countNewlines(head);
      const tail = chunk.subarray(last + 1);
      pending = tail.length > 0 ? [tail] : [];
      pendingBytes = tail.length;
    }
    if (options.flushTail === true && pendingBytes > 0) {
      for (const held of pending) yield held;
      progress.bytes += pendingBytes;
      progress.lines += 1;
    }
  }
  return { chunks: chunks(), progress };
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}
