import { bufferSlices, DEFAULT_SLICE_BYTES } from './bufferSlices';
import type { SplitLine } from './candidateLineSplitter';
import { CandidateLineSplitter, type CandidateOptions, type LineFilter } from './candidateLineSplitter';
import { type ExportDocument, parseExportRow } from './parseExportRow';

export interface ReadOptions {
  /** Names the blob in every problem reported. */
  readonly blobName: string;
  /** Longer lines are reported and skipped instead of being held in memory. */
  readonly maxLineBytes?: number;
  readonly onBadRow?: (problem: RowProblem) => void;
  /** How many problems `problems` keeps; all of them are still counted and passed to `onBadRow`. */
  readonly keepProblems?: number;
  /**
   * The number of the source's first line (default 1): a byte range that starts mid-blob, at a line
   * boundary, then reports the blob's own line numbers.
   */
  readonly firstLine?: number;
  /**
   * Lines this filter does not keep are counted, not parsed (a rule set's prefilter): a malformed one
   * among them goes unreported. Without it every row is parsed.
   */
  readonly filter?: LineFilter;
  /** When the filter gives up because it keeps too many lines (tests set it; see CandidateOptions). */
  readonly adapt?: CandidateOptions['adapt'];
}

export interface RowProblem {
  readonly blobName: string;
  /** 1-based line in the blob. */
  readonly line: number;
  readonly reason: string;
}

export interface ExportRow {
  readonly line: number;
  readonly document: ExportDocument;
}

export interface ReadStats {
  /** Rows delivered. */
  rows: number;
  /** Non-blank lines, parsed or not. */
  rowsSeen: number;
  /** Rows parsed (delivered or malformed); the rest of those seen were skipped by the filter. */
  rowsParsed: number;
  /** Whether the filter was still on at the end (false without one, or once it gave up). */
  filtered: boolean;
  /** Malformed rows reported and skipped. */
  badRows: number;
  bytes: number;
  /** Lines seen, blank ones included. */
  lines: number;
}

export interface ExportRowStream extends AsyncIterable<ExportRow> {
  readonly stats: Readonly<ReadStats>;
  readonly problems: readonly RowProblem[];
  /**
   * The rows a slice of the source completes, together: one async step per slice instead of one per
   * row. Either this or the row iterator, once.
   */
  batches(): AsyncIterable<readonly ExportRow[]>;
}

/** 4 MiB: far above Application Insights' item size limits, far below what would strain memory. */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Streams the rows of an export blob. A malformed row is reported with blob name and line and
 * skipped, so one bad row never costs the others; counts are complete once iteration ends.
 */
export function readExportRows(source: AsyncIterable<Uint8Array | string>, options: ReadOptions): ExportRowStream {
  const stats: ReadStats = { rows: 0, rowsSeen: 0, rowsParsed: 0, filtered: false, badRows: 0, bytes: 0, lines: 0 };
  const problems: RowProblem[] = [];
  const keep = options.keepProblems ?? 100;

  const report = (line: number, reason: string) => {
    stats.badRows++;
    const problem = { blobName: options.blobName, line, reason };
    if (problems.length < keep) problems.push(problem);
    options.onBadRow?.(problem);
  };

  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const splitter = new CandidateLineSplitter(maxLineBytes, {
    firstLine: options.firstLine ?? 1,
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    ...(options.adapt === undefined ? {} : { adapt: options.adapt }),
  });

  async function* batches(): AsyncGenerator<readonly ExportRow[]> {
    let ready: ExportRow[] = [];
    let seenParsedOrTooLong = 0;
    const take = (line: SplitLine) => {
      if (line.kind === 'tooLong') {
        seenParsedOrTooLong++;
        report(line.line, `line is ${line.bytes} bytes, over the ${maxLineBytes}-byte limit`);
        return;
      }
      const parsed = parseExportRow(line.text);
      if (parsed === undefined) return;
      seenParsedOrTooLong++;
      stats.rowsParsed++;
      if (!parsed.ok) {
        report(line.line, parsed.error);
        return;
      }
      stats.rows++;
      ready.push({ line: line.line, document: parsed.value });
    };

    try {
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
        stats.bytes += bytes.length;
        // A caller may hand over a whole blob as one chunk: cut it so no more than a slice's rows are
        // parsed ahead of the consumer.
        for (const slice of bytes.length > DEFAULT_SLICE_BYTES ? bufferSlices(bytes) : [bytes]) {
          splitter.push(slice, take);
          if (ready.length > 0) {
            const batch = ready;
            ready = [];
            yield batch;
          }
        }
      }
      splitter.end(take);
      if (ready.length > 0) yield ready;
    } finally {
      // Rows the filter skipped are counted in blocks, so the counts are complete only here.
      stats.lines = splitter.lines;
      stats.rowsSeen = seenParsedOrTooLong + splitter.skippedRows;
      stats.filtered = splitter.filtering;
    }
  }

  async function* rows(): AsyncGenerator<ExportRow> {
    // NOTE: not `yield* batch`: delegating to an array's iterator costs extra promise turns per row.
    for await (const batch of batches()) for (const row of batch) yield row;
  }

  // One source, read once: whichever view the caller takes first.
  let taken: 'rows' | 'batches' | undefined;
  const claim = <T>(view: 'rows' | 'batches', make: () => T): T => {
    if (taken !== undefined) throw new Error(`the rows of ${options.blobName} were already read (as ${taken})`);
    taken = view;
    return make();
  };
  let iterable: AsyncGenerator<ExportRow> | undefined;
  return {
    stats,
    problems,
    batches: () => claim('batches', batches),
    [Symbol.asyncIterator]: () => (iterable ??= claim('rows', rows)),
  };
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
