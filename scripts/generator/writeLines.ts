import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';

/** Lines (each with its ending) a producer adds for row index `index`, and how many were injected. */
export interface ProducedLines {
  readonly lines: readonly string[];
  readonly injected: number;
}

export interface WrittenLines {
  readonly rows: number;
  readonly bytes: number;
  readonly injected: number;
}

// NOTE: ~1 MiB writes keep a 1 GiB blob from ever being held in memory while keeping syscalls few.
const CHUNK_BYTES = 1024 * 1024;

/**
 * Streams produced lines into `filePath` until the file is as close to `targetBytes` as whole lines
 * allow (at least one line). A line that would overshoot by more than the remaining gap is left out.
 */
export async function writeLines(
  filePath: string,
  targetBytes: number,
  produce: (index: number) => ProducedLines,
): Promise<WrittenLines> {
  await mkdir(dirname(filePath), { recursive: true });
  const out = createWriteStream(filePath);
  let rows = 0;
  let bytes = 0;
  let injected = 0;
  let pending: string[] = [];
  let pendingBytes = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!out.write(chunk)) await once(out, 'drain');
  };

  try {
    let full = false;
    while (!full && bytes < targetBytes) {
      const produced = produce(rows);
      for (const line of produced.lines) {
        const lineBytes = Buffer.byteLength(line);
        if (rows > 0 && bytes + lineBytes - targetBytes > targetBytes - bytes) {
          full = true;
          break;
        }
        pending.push(line);
        pendingBytes += lineBytes;
        bytes += lineBytes;
        rows++;
      }
      injected += produced.injected;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { rows, bytes, injected };
}
