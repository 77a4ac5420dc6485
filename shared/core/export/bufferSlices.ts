/**
 * 256 KiB: a few hundred export rows, so the rows parsed ahead of evaluation stay a small, fixed
 * amount of memory whatever the blob's size.
 */
export const DEFAULT_SLICE_BYTES = 256 * 1024;

/**
 * Hands a buffer out as zero-copy views of at most `sliceBytes` each, so a reader that parses a
 * chunk's rows before yielding them holds one slice's rows at a time, not the whole blob's.
 *
 * @param buffer - the content; the slices share its memory.
 * @param sliceBytes - the most bytes per slice (at least 1).
 */
export function* bufferSlices(buffer: Buffer, sliceBytes: number = DEFAULT_SLICE_BYTES): Generator<Buffer> {
  const step = Math.max(1, Math.floor(sliceBytes));
  for (let start = 0; start < buffer.length; start += step) yield buffer.subarray(start, start + step);
}

/** The same slices as an async iterable, the shape the export reader takes. */
export async function* bufferSliceStream(
  buffer: Buffer,
  sliceBytes: number = DEFAULT_SLICE_BYTES,
): AsyncGenerator<Buffer> {
  for (const slice of bufferSlices(buffer, sliceBytes)) yield slice;
}
