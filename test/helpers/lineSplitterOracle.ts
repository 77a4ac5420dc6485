import type { SplitLine } from '../../shared/core/export/candidateLineSplitter';

const LF = 0x0a;
const CR = 0x0d;

/**
 * The plain line splitter the readers used before the prefilter, kept as the oracle of
 * CandidateLineSplitter's property tests (which must emit exactly this without a filter).
 *
 * Cuts a byte stream into `\n`-separated lines without holding more than one line at a time.
 *
 * It splits on bytes, not characters: 0x0A never occurs inside a multi-byte UTF-8 sequence, so a
 * character split across chunks is only decoded once its whole line has arrived.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line once it went over the cap; its content is dropped as it arrives. */
  private skippedBytes = -1;
  private lineNumber: number;
  private atStart: boolean;

  /**
   * @param maxLineBytes - longer lines are reported as `tooLong`, not held.
   * @param options - `firstLine`: the number of the first line (default 1), for a byte range that
   *   starts mid-blob at a line boundary; a BOM is only looked for at line 1.
   */
  constructor(
    private readonly maxLineBytes: number,
    options: { readonly firstLine?: number } = {},
  ) {
    const firstLine = options.firstLine ?? 1;
    this.lineNumber = firstLine - 1;
    this.atStart = firstLine === 1;
  }

  /** Feeds a chunk; `emit` is called for every line the chunk completes. */
  push(chunk: Buffer, emit: (line: SplitLine) => void): void {
    let start = this.atStart ? this.skipBom(chunk) : 0;
    this.atStart = this.atStart && chunk.length === 0;
    for (let newline = chunk.indexOf(LF, start); newline !== -1; newline = chunk.indexOf(LF, start)) {
      this.finishLine(chunk, start, newline, emit);
      start = newline + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** Flushes a last line that had no final newline. */
  end(emit: (line: SplitLine) => void): void {
    if (this.pendingBytes > 0 || this.skippedBytes >= 0) this.finishLine(Buffer.alloc(0), 0, 0, emit);
  }

  private skipBom(chunk: Buffer): number {
    // NOTE: a BOM split across the first chunks is not worth handling: streams deliver KiBs at once.
    return chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.skippedBytes >= 0) {
      this.skippedBytes += length;
    } else if (this.pendingBytes + length > this.maxLineBytes) {
      this.skippedBytes = this.pendingBytes + length;
      this.pending = [];
      this.pendingBytes = 0;
    } else {
      // Copy: the caller may reuse its chunk buffer once push() returns.
      this.pending.push(Buffer.from(chunk.subarray(start, end)));
      this.pendingBytes += length;
    }
  }

  private finishLine(chunk: Buffer, start: number, end: number, emit: (line: SplitLine) => void): void {
    const line = ++this.lineNumber;
    let stop = end;
    if (this.skippedBytes >= 0 || this.pendingBytes + (end - start) > this.maxLineBytes) {
      const bytes = Math.max(this.skippedBytes, 0) + this.pendingBytes + (end - start);
      this.skippedBytes = -1;
      this.pending = [];
      this.pendingBytes = 0;
      emit({ kind: 'tooLong', line, bytes });
      return;
    }
    if (this.pendingBytes === 0) {
      if (stop > start && chunk[stop - 1] === CR) stop--;
      emit({ kind: 'text', line, text: chunk.toString('utf8', start, stop) });
      return;
    }
    this.pending.push(chunk.subarray(start, end));
    const whole = Buffer.concat(this.pending, this.pendingBytes + (end - start));
    this.pending = [];
    this.pendingBytes = 0;
    stop = whole.length;
    if (stop > 0 && whole[stop - 1] === CR) stop--;
    emit({ kind: 'text', line, text: whole.toString('utf8', 0, stop) });
  }
}
