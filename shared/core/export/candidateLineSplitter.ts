import { missingElement } from '../defined';

const LF = 0x0a;
const CR = 0x0d;

/** One line of a blob, decoded, or the fact that it was too long to hold. */
export type SplitLine =
  | { readonly kind: 'text'; readonly line: number; readonly text: string }
  | { readonly kind: 'tooLong'; readonly line: number; readonly bytes: number };

/**
 * Which lines may matter, judged on raw bytes before any parsing (a rule set's prefilter,
 * rules/prefilter/rowPrefilter.ts). `bytes` is one block of whole lines, the same Buffer for every
 * call about that block; offsets are into it.
 */
export interface LineFilter {
  /** Offset of the first possible candidate at or after `from`, or -1. */
  nextHit(bytes: Buffer, from: number): number;
  /** Whether the line `[start, end)` holding the hit at `hit` is a candidate. */
  keeps(bytes: Buffer, start: number, end: number, hit: number): boolean;
}

export interface CandidateOptions {
  /** The number of the first line (default 1); a BOM is only looked for at line 1. */
  readonly firstLine?: number;
  /** Without it every line is a candidate. */
  readonly filter?: LineFilter;
  /**
   * After `afterLines` lines, if more than `maxShare` of them were candidates, the filter costs more
   * than it saves and every later line is a candidate (default: 2,000 lines, 0.8: measured, the scan costs about a tenth of parsing every row, so it pays up to ~90% candidates).
   */
  readonly adapt?: { readonly afterLines: number; readonly maxShare: number };
}

/**
 * Cuts a byte stream into `\n`-separated lines and emits the candidate lines (and every line too long
 * to hold); the others are counted, never decoded. Without a filter every line is a candidate.
 *
 * It splits on bytes, not characters: 0x0A never occurs inside a multi-byte UTF-8 sequence, so a
 * character cut by a chunk boundary is decoded only once its whole line has arrived. The filter runs
 * over blocks of whole lines: a line cut by a chunk boundary is joined first, so a needle cut with it
 * is still found. Memory: the pending line at most, up to the cap.
 */
export class CandidateLineSplitter {
  /** Non-blank lines neither emitted nor too long. */
  skippedRows = 0;
  /** Lines the filter judged, and those it kept (before it gave up, if it did). */
  filteredLines = 0;
  filteredCandidates = 0;
  private filter: LineFilter | undefined;
  private readonly adapt: { readonly afterLines: number; readonly maxShare: number };
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line once it went over the cap; its content is dropped as it arrives. */
  private skippedBytes = -1;
  private lineNumber: number;
  private readonly firstLine: number;
  private atStart: boolean;

  constructor(
    private readonly maxLineBytes: number,
    options: CandidateOptions = {},
  ) {
    const firstLine = options.firstLine ?? 1;
    this.firstLine = firstLine;
    this.lineNumber = firstLine - 1;
    this.atStart = firstLine === 1;
    this.filter = options.filter;
    this.adapt = options.adapt ?? { afterLines: 2_000, maxShare: 0.8 };
  }

  /** Lines seen, blank ones included. */
  get lines(): number {
    return this.lineNumber - this.firstLine + 1;
  }

  /** Whether lines are still being filtered (false once the filter gave up, or without one). */
  get filtering(): boolean {
    return this.filter !== undefined;
  }

  /** Feeds a chunk; `emit` is called for every candidate line the chunk completes. */
  push(chunk: Buffer, emit: (line: SplitLine) => void): void {
    let start = 0;
    if (this.atStart) {
      start = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
      this.atStart = chunk.length === 0;
    }
    if (this.pendingBytes > 0 || this.skippedBytes >= 0) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.keep(chunk, start, chunk.length);
        return;
      }
      this.finishPending(chunk, start, newline, emit);
      start = newline + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      this.block(chunk, start, last + 1, emit);
      start = last + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** Flushes a last line that had no final newline. */
  end(emit: (line: SplitLine) => void): void {
    if (this.pendingBytes > 0 || this.skippedBytes >= 0) this.finishPending(Buffer.alloc(0), 0, 0, emit);
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

  /** The line begun in earlier chunks, ending at `end` (its newline) in this one. */
  private finishPending(chunk: Buffer, start: number, end: number, emit: (line: SplitLine) => void): void {
    if (this.skippedBytes >= 0 || this.pendingBytes + (end - start) > this.maxLineBytes) {
      const bytes = Math.max(this.skippedBytes, 0) + this.pendingBytes + (end - start);
      this.skippedBytes = -1;
      this.pending = [];
      this.pendingBytes = 0;
      emit({ kind: 'tooLong', line: ++this.lineNumber, bytes });
      return;
    }
    this.pending.push(chunk.subarray(start, end));
    const whole = Buffer.concat(this.pending, this.pendingBytes + (end - start));
    this.pending = [];
    this.pendingBytes = 0;
    if (this.filter === undefined) {
      this.emitLine(whole, 0, whole.length, emit);
      return;
    }
    const hit = this.filter.nextHit(whole, 0);
    this.judged(hit !== -1 && this.filter.keeps(whole, 0, whole.length, hit), whole, 0, whole.length, emit);
    // Chunks shorter than a line complete lines only here.
    this.maybeGiveUp();
  }

  /** Lines `[start, end)` of `chunk`, each ending with a newline. */
  private block(chunk: Buffer, start: number, end: number, emit: (line: SplitLine) => void): void {
    const filter = this.filter;
    if (filter === undefined) {
      for (let at = start; at < end;) {
        const newline = chunk.indexOf(LF, at);
        this.emitLine(chunk, at, newline, emit);
        at = newline + 1;
      }
      return;
    }
    const bytes = chunk.subarray(start, end);
    let at = 0;
    while (at < bytes.length) {
      const found = filter.nextHit(bytes, at);
      const hit = found === -1 ? bytes.length : found;
      // Lines wholly before the hit are not candidates.
      let newline = bytes.indexOf(LF, at);
      while (newline < hit) {
        this.judged(false, bytes, at, newline, emit);
        at = newline + 1;
        if (at >= bytes.length) break;
        newline = bytes.indexOf(LF, at);
      }
      if (at >= bytes.length) break;
      this.judged(filter.keeps(bytes, at, newline, hit), bytes, at, newline, emit);
      at = newline + 1;
    }
    this.maybeGiveUp();
  }

  private judged(candidate: boolean, bytes: Buffer, start: number, end: number, emit: (line: SplitLine) => void): void {
    this.filteredLines++;
    if (candidate || end - start > this.maxLineBytes) {
      if (candidate) this.filteredCandidates++;
      this.emitLine(bytes, start, end, emit);
      return;
    }
    this.lineNumber++;
    if (!isBlank(bytes, start, end)) this.skippedRows++;
  }

  private maybeGiveUp(): void {
    const { afterLines, maxShare } = this.adapt;
    if (this.filteredLines >= afterLines && this.filteredCandidates > maxShare * this.filteredLines)
      this.filter = undefined;
  }

  /** A whole line `[start, end)` (its newline excluded) of `bytes`, decoded, or reported too long. */
  private emitLine(bytes: Buffer, start: number, end: number, emit: (line: SplitLine) => void): void {
    const line = ++this.lineNumber;
    if (end - start > this.maxLineBytes) {
      emit({ kind: 'tooLong', line, bytes: end - start });
      return;
    }
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    emit({ kind: 'text', line, text: bytes.toString('utf8', start, stop) });
  }
}

/**
 * Blank exactly as parseExportRow reads it: empty, or starting with ASCII whitespace and whitespace
 * only once decoded. A line of only U+00A0 is then malformed there and a row seen here, alike.
 */
function isBlank(bytes: Buffer, start: number, end: number): boolean {
  if (start === end) return true;
  const first = bytes[start];
  if (first === undefined) throw missingElement('line bytes', start, bytes.length);
  if (first !== 0x20 && first !== 0x09 && first !== 0x0d && first !== 0x0b && first !== 0x0c) return false;
  return bytes.toString('utf8', start, end).trim().length === 0;
}
