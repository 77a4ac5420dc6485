import { Transform, type TransformCallback } from 'node:stream';

import { type RowTimeLayout, shiftRowTimes } from './shiftRowTimes';

/** What a shifting stream did, complete once the stream has ended. */
export interface ShiftCounts {
  /** Rows whose times moved. */
  shifted: number;
  /** Rows passed on unchanged because their time could not be read. */
  unread: number;
}

/** NOTE: the export caps a line at 4 MiB by default (EXPORT_MAX_LINE_BYTES); far longer ones pass as they are. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Moves the event times of each line passing through by `offsetMs` (see `shiftRowTimes`); line breaks
 * and every other byte pass as they are, so the output has the input's length. Memory is bounded by one
 * line: a line over `maxLineBytes` passes unchanged and counts as unread.
 */
export function timeShiftingStream(
  offsetMs: number,
  layout: RowTimeLayout,
  maxLineBytes = MAX_LINE_BYTES,
): Transform & { readonly counts: ShiftCounts } {
  const counts: ShiftCounts = { shifted: 0, unread: 0 };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let passingLongLine = false;

  const finishLine = (output: Buffer[]): void => {
    const line = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) {
      output.push(line);
      return;
    }
    const row = shiftRowTimes(line, offsetMs, layout);
    if (row.shifted) counts.shifted++;
    else counts.unread++;
    output.push(row.line);
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      const output: Buffer[] = [];
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(0x0a, start);
        const end = newline === -1 ? chunk.length : newline;
        const piece = chunk.subarray(start, end);
        if (passingLongLine) {
          output.push(piece);
        } else if (pendingBytes + piece.length > maxLineBytes) {
          output.push(...pending, piece);
          pending = [];
          pendingBytes = 0;
          passingLongLine = true;
          counts.unread++;
        } else {
          pending.push(piece);
          pendingBytes += piece.length;
        }
        if (newline === -1) break;
        if (passingLongLine) passingLongLine = false;
        else finishLine(output);
        output.push(NEWLINE);
        start = newline + 1;
      }
      done(null, output.length === 0 ? undefined : Buffer.concat(output));
    },
    flush(done: TransformCallback) {
      const output: Buffer[] = [];
      if (pendingBytes > 0) finishLine(output);
      done(null, output.length === 0 ? undefined : Buffer.concat(output));
    },
  });
  return Object.assign(stream, { counts });
}

const NEWLINE = Buffer.from('\n');
