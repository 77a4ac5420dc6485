import { plural } from '../shared/core/plural';
import type { CliIo } from './cliIo';

/** How far a run over blobs has got. */
export interface ProgressCounts {
  readonly blobsDone: number;
  readonly blobsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly matches: number;
}

/** The bar is redrawn at most this often: often enough to move, seldom enough not to flicker. */
export const BAR_INTERVAL_MS = 250;
/** A log or a CI job gets a line at most this often. */
export const LINE_INTERVAL_MS = 5_000;

const BAR_WIDTH = 16;
// NOTE: the bar must fit one terminal row, or moving the cursor up one row no longer finds it.
const MAX_BAR_CHARS = 79;
/** Cursor up one row, erase that row: where the bar was drawn. */
const UP_AND_ERASE = '\u001b[1A\u001b[2K';
/** Erases the bar's row and leaves the cursor at its start once the line's own newline is written. */
const ERASE_BAR = `${UP_AND_ERASE}\u001b[1A`;

/**
 * The progress bar of a terminal:
 * `██████░░░░░░░░░░  40% 3/10 blobs, 1.2/3.0 MB, 5 matches, ETA 3s, 600.0 kB/s`. When that is longer
 * than a row of 80 columns, the figures go from the end, the rate first.
 */
export function progressBar(counts: ProgressCounts, elapsedMs: number): string {
  const share = shareDone(counts);
  const filled = Math.floor(share * BAR_WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
  const parts = figures(counts, elapsedMs);
  const line = () => `${bar} ${String(Math.floor(share * 100)).padStart(3)}% ${parts.join(', ')}`;
  while (line().length > MAX_BAR_CHARS && parts.length > 1) parts.pop();
  return line();
}

/** A progress line for a log: `… 3/10 blobs, 1.2/3.0 MB, 5 matches so far, ETA 3s, 600.0 kB/s`. */
export function progressLine(counts: ProgressCounts, elapsedMs: number): string {
  const [blobs, bytes, matches, ...rest] = figures(counts, elapsedMs);
  return `… ${[blobs, bytes, `${matches} so far`, ...rest].join(', ')}`;
}

/** Blobs, bytes, matches, time left and rate, as words. */
function figures(counts: ProgressCounts, elapsedMs: number): string[] {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? counts.bytesDone / seconds : 0;
  const left = Math.max(counts.bytesTotal - counts.bytesDone, 0);
  const eta = rate > 0 && counts.bytesTotal > 0 ? formatDuration(Math.ceil(left / rate)) : '?';
  return [
    `${counts.blobsDone}/${plural(counts.blobsTotal, 'blob')}`,
    bytePair(counts.bytesDone, counts.bytesTotal),
    plural(counts.matches, 'match', 'matches'),
    `ETA ${eta}`,
    formatRate(rate),
  ];
}

/** What share of the work is done, by bytes when their total is known, else by blobs; at most 1. */
function shareDone(counts: ProgressCounts): number {
  const [done, total] =
    counts.bytesTotal > 0 ? [counts.bytesDone, counts.bytesTotal] : [counts.blobsDone, counts.blobsTotal];
  return total > 0 ? Math.min(done / total, 1) : 0;
}

const UNITS: readonly (readonly [number, string])[] = [
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'kB'],
  [1, 'B'],
];

/** The unit that suits an amount: its size and name. */
function unitFor(amount: number): readonly [number, string] {
  return UNITS.find(([size]) => amount >= size) ?? [1, 'B'];
}

/** `12.5` in MB, `900` in bytes: bytes are whole. */
function inUnit(amount: number, size: number): string {
  return size === 1 ? String(Math.round(amount)) : (amount / size).toFixed(1);
}

/** `1.2/3.0 MB`, `512/900 B`: both in the unit of the total; without a total, `5.0 MB`. */
function bytePair(done: number, total: number): string {
  const [size, name] = unitFor(total > 0 ? total : done);
  return total > 0 ? `${inUnit(done, size)}/${inUnit(total, size)} ${name}` : `${inUnit(done, size)} ${name}`;
}

/** `12.5 MB/s`, `1.3 kB/s`, `40 B/s`. */
function formatRate(bytesPerSecond: number): string {
  const [size, name] = unitFor(bytesPerSecond);
  return `${inUnit(bytesPerSecond, size)} ${name}/s`;
}

/** `42s`, `3m05s`, `1h02m`. */
function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad(Math.floor(seconds / 60) % 60)}m`;
}

export interface ProgressOptions {
  /** Where the progress goes (stderr) and the command's other output, which must not mix with the bar. */
  readonly io: CliIo;
  /** A terminal: a bar redrawn in place. Elsewhere: a plain line now and then. */
  readonly interactive: boolean;
  readonly now: () => Date;
  /**
   * Whether stdout goes to the same terminal (default true): then the bar is taken away before each
   * line of it. When stdout is a file, the bar stays, so that a steady stream of matches cannot hide it.
   */
  readonly stdoutShared?: boolean;
}

/**
 * Shows progress on stderr, never on stdout: on a terminal a bar redrawn in place (cleared by
 * `finish`), elsewhere a line at most every LINE_INTERVAL_MS. The command writes all its other
 * output through `io`, which takes the bar away before a line so the two never share a row.
 */
export class ProgressDisplay {
  readonly io: CliIo;
  private readonly started: number;
  private last: number;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.started = options.now().getTime();
    this.last = this.started;
    const { io } = options;
    this.io = {
      out: (line) => {
        if (options.stdoutShared ?? true) this.erase();
        io.out(line);
      },
      err: (line) => {
        io.err(this.drawn ? `${UP_AND_ERASE}${line}` : line);
        this.drawn = false;
      },
    };
  }

  /** Shows `counts` if it is time to. */
  update(counts: ProgressCounts): void {
    const now = this.options.now().getTime();
    const interval = this.options.interactive ? BAR_INTERVAL_MS : LINE_INTERVAL_MS;
    if (now - this.last < interval) return;
    this.last = now;
    const elapsed = now - this.started;
    if (!this.options.interactive) {
      this.options.io.err(progressLine(counts, elapsed));
      return;
    }
    this.options.io.err(`${this.drawn ? UP_AND_ERASE : ''}${progressBar(counts, elapsed)}`);
    this.drawn = true;
  }

  /** Takes the bar away, if it is drawn. */
  finish(): void {
    this.erase();
  }

  private erase(): void {
    if (!this.drawn) return;
    this.options.io.err(ERASE_BAR);
    this.drawn = false;
  }
}
