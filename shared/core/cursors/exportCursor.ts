/**
 * How far an append blob of a successor export has been read. The committed `offset` always sits just
 * after a `\n`; `lines` counts the lines before it, so malformed rows of later ranges keep their real
 * line numbers. A scanner claims the next range `[from, to)` before reading it, so two scanners never
 * read the same bytes; a claim whose scanner died is taken over, range unchanged, once it lapses.
 */
export interface ExportCursor {
  readonly container: string;
  readonly blobName: string;
  readonly offset: number;
  readonly lines: number;
  /** The blob's creation time (epoch ms) when reading began: another one means a re-created blob. */
  readonly createdOn: number;
  readonly claim?: RangeClaim;
  /** The blob can no longer grow and was read to its end: never listed again. */
  readonly closed: boolean;
  readonly updatedAt: number;
}

export interface RangeClaim {
  readonly from: number;
  /** The blob's length when the range was claimed: bytes past it wait for the next range. */
  readonly to: number;
  /** Lines before `from`. */
  readonly lines: number;
  readonly until: number;
  readonly owner: string;
}

/** A blob as a listing shows it. */
export interface AppendBlobInfo {
  readonly container: string;
  readonly name: string;
  readonly length: number;
  /** Epoch ms; the listing's creation time, else its Last-Modified on first sight. */
  readonly createdOn: number;
  readonly lastModified: number;
}

export type NextStep =
  | { readonly kind: 'skip'; readonly why: 'closed' | 'busy' | 'upToDate' }
  | { readonly kind: 'close' }
  | { readonly kind: 'read'; readonly claim: RangeClaim; readonly restarted: boolean; readonly takenOver: boolean };

export interface StepOptions {
  readonly now: number;
  readonly owner: string;
  readonly leaseMs: number;
  /** Bytes one range reads at most; the rest waits for the next range. */
  readonly maxRangeBytes: number;
  /** Past this the blob can no longer be appended to (its period plus grace). */
  readonly growsUntil: number;
}

/**
 * What to do with a blob next, from its cursor and what the listing says. Pure.
 * - A blob shorter than the offset, or with another creation time, was re-created: start over at 0.
 * - A live claim of another scanner: leave it. A lapsed one: take it over with the same range, so the
 *   range (and the delivery key derived from it) is the same whoever reads it.
 * - Nothing new: close the cursor once the blob can no longer grow.
 */
export function nextStep(cursor: ExportCursor | undefined, blob: AppendBlobInfo, options: StepOptions): NextStep {
  if (cursor?.closed === true) return { kind: 'skip', why: 'closed' };
  const restarted = cursor !== undefined && (blob.createdOn !== cursor.createdOn || blob.length < cursor.offset);
  const base =
    cursor === undefined || restarted ? { offset: 0, lines: 0 } : { offset: cursor.offset, lines: cursor.lines };
  const claim = restarted ? undefined : cursor?.claim;
  if (claim !== undefined && claim.until > options.now) return { kind: 'skip', why: 'busy' };
  if (claim !== undefined && claim.to <= blob.length) {
    return {
      kind: 'read',
      claim: { ...claim, until: options.now + options.leaseMs, owner: options.owner },
      restarted: false,
      takenOver: true,
    };
  }
  if (base.offset >= blob.length) {
    return options.now > options.growsUntil && !restarted ? { kind: 'close' } : { kind: 'skip', why: 'upToDate' };
  }
  const to = Math.min(blob.length, base.offset + options.maxRangeBytes);
  return {
    kind: 'read',
    claim: { from: base.offset, to, lines: base.lines, until: options.now + options.leaseMs, owner: options.owner },
    restarted,
    takenOver: false,
  };
}
