import { missingElement } from '../../defined';

/** A needle: its bytes as a latin1 string (one char per byte, each 0..255). */
export interface SearchNeedle {
  readonly text: string;
  readonly caseInsensitive: boolean;
}

/**
 * Exact leftmost search for many needles at once over raw bytes.
 *
 * Each needle of two bytes or more is anchored at one of its bigrams, the rarest in a sample, so the scan
 * looks up one 64 KiB table per byte and verifies needles only where an anchor bigram stands. One V8
 * alternation of a hundred needles ran at ~130 MB/s; the table lookup does not slow down with their
 * number, only with how often their anchors occur.
 */
export class BigramSearch {
  /** 1 where a bigram (`first | second << 8`) is some needle's anchor, 1-byte needles included. */
  private readonly marked = new Uint8Array(65536);
  /** 1 where a byte is a 1-byte needle: the last byte before `end` has no bigram of its own. */
  private readonly singles = new Uint8Array(256);
  /** The anchors at bigram g are `anchors[2j], anchors[2j + 1]` (needle, offset) for j in `[firstAnchor[g], firstAnchor[g + 1])`. */
  private readonly firstAnchor = new Int32Array(65537);
  private readonly anchors: Int32Array;
  /** Needle bytes end to end, case-insensitive ones lower-cased; needle n is `[start[n], start[n] + length[n])`. */
  private readonly needleBytes: Uint8Array;
  private readonly start: Int32Array;
  private readonly length: Int32Array;
  private readonly folds: Uint8Array;
  /** The largest anchor offset: a needle found at p can still be beaten by one starting before p and anchored up to this far on. */
  private readonly maxK: number;
  private readonly hasEmpty: boolean;
  // The word view of the last buffer searched, kept so a loop over one buffer allocates nothing.
  private viewOf: Buffer | undefined;
  private words: Uint32Array = NO_WORDS;
  private wordsFrom = 0;

  /**
   * @param needles - what to search for; duplicates are harmless.
   * @param sample - bytes typical of what will be searched; each needle is anchored at its rarest bigram there.
   */
  constructor(needles: readonly SearchNeedle[], sample?: Buffer) {
    const counts = sample === undefined ? undefined : bigramCounts(sample);
    const total = needles.reduce((sum, n) => sum + n.text.length, 0);
    this.needleBytes = new Uint8Array(total);
    this.start = new Int32Array(needles.length);
    this.length = new Int32Array(needles.length);
    this.folds = new Uint8Array(needles.length);
    const chosen: Array<{ needle: number; bigrams: number[]; k: number }> = [];
    let offset = 0;
    let maxK = 0;
    let hasEmpty = false;
    for (const [index, needle] of needles.entries()) {
      const bytes = Buffer.from(needle.text, 'latin1');
      if (needle.caseInsensitive) for (let m = 0; m < bytes.length; m++) bytes[m] = lowerCase(byteAt(bytes, m));
      this.needleBytes.set(bytes, offset);
      this.start[index] = offset;
      this.length[index] = bytes.length;
      this.folds[index] = needle.caseInsensitive ? 1 : 0;
      offset += bytes.length;
      if (bytes.length === 0) {
        hasEmpty = true;
      } else if (bytes.length === 1) {
        const firsts = variants(byteAt(bytes, 0), needle.caseInsensitive);
        for (const b of firsts) this.singles[b] = 1;
        const bigrams: number[] = [];
        for (const b of firsts) for (let second = 0; second < 256; second++) bigrams.push(b | (second << 8));
        chosen.push({ needle: index, bigrams, k: 0 });
      } else {
        const k = rarestAnchor(bytes, needle.caseInsensitive, counts);
        maxK = Math.max(maxK, k);
        const bigrams: number[] = [];
        for (const a of variants(byteAt(bytes, k), needle.caseInsensitive)) {
          for (const b of variants(byteAt(bytes, k + 1), needle.caseInsensitive)) bigrams.push(a | (b << 8));
        }
        chosen.push({ needle: index, bigrams, k });
      }
    }
    this.maxK = maxK;
    this.hasEmpty = hasEmpty;
    // Compressed rows: count the anchors per bigram, then place them.
    const firstAnchor = this.firstAnchor;
    for (const { bigrams } of chosen)
      for (const g of bigrams) firstAnchor[g + 1] = int32At(firstAnchor, g + 1, 'anchor rows') + 1;
    for (let g = 0; g < 65536; g++)
      firstAnchor[g + 1] = int32At(firstAnchor, g + 1, 'anchor rows') + int32At(firstAnchor, g, 'anchor rows');
    this.anchors = new Int32Array(2 * int32At(firstAnchor, 65536, 'anchor rows'));
    const fill = firstAnchor.slice(0, 65536);
    for (const { needle, bigrams, k } of chosen) {
      for (const g of bigrams) {
        const j = int32At(fill, g, 'anchor rows');
        this.anchors[2 * j] = needle;
        this.anchors[2 * j + 1] = k;
        fill[g] = j + 1;
        this.marked[g] = 1;
      }
    }
  }

  /**
   * The leftmost offset p with from <= p such that some needle occurs at p entirely inside
   * bytes[0, end) (end defaults to bytes.length), or -1. EXACT: no needle occurs at any offset in
   * [from, p). A case-insensitive needle matches when each byte equals the needle's byte after ASCII
   * lower-casing of both (A-Z only; bytes >= 0x80 compare exactly).
   */
  next(bytes: Buffer, from: number, end: number = bytes.length): number {
    if (end > bytes.length) end = bytes.length;
    if (from < 0) from = 0;
    if (from > end) return -1;
    if (this.hasEmpty) return from;
    let best = -1;
    // Bigram positions run to end - 2: a needle of two bytes or more that fits holds its anchor there.
    let stop = end - 1;
    for (let i = this.scan(bytes, from, stop); i < stop; i = this.scan(bytes, i + 1, stop)) {
      const lo = bytes[i];
      const hi = bytes[i + 1];
      if (lo === undefined || hi === undefined)
        throw missingElement('bytes', lo === undefined ? i : i + 1, bytes.length);
      const g = lo | (hi << 8);
      const first = this.firstAnchor[g];
      const last = this.firstAnchor[g + 1];
      if (first === undefined || last === undefined) throw missingElement('anchor rows', g, this.firstAnchor.length);
      for (let j = first; j < last; j++) {
        const needle = this.anchors[2 * j];
        const offset = this.anchors[2 * j + 1];
        if (needle === undefined || offset === undefined) throw missingElement('anchors', 2 * j, this.anchors.length);
        const at = i - offset;
        if (at < from || (best !== -1 && at >= best)) continue;
        if (this.matches(needle, bytes, at, end)) best = at;
      }
      if (best !== -1) stop = Math.min(stop, best + this.maxK);
    }
    if (best === -1 && end - 1 >= from && this.singles[byteAt(bytes, end - 1)] === 1) return end - 1;
    return best;
  }

  /**
   * Calls `visit` with the index (in the constructor's list) of every needle occurring at an offset in
   * [from, end), entirely inside bytes[0, end), once per occurrence, in no particular order; stops when
   * `visit` returns true. For the needles of one line once `next` found it.
   */
  forEachMatch(bytes: Buffer, from: number, end: number, visit: (needle: number) => boolean): void {
    if (end > bytes.length) end = bytes.length;
    if (from < 0) from = 0;
    const stop = end - 1;
    for (let i = this.scan(bytes, from, stop); i < stop; i = this.scan(bytes, i + 1, stop)) {
      const lo = bytes[i];
      const hi = bytes[i + 1];
      if (lo === undefined || hi === undefined)
        throw missingElement('bytes', lo === undefined ? i : i + 1, bytes.length);
      const g = lo | (hi << 8);
      const first = this.firstAnchor[g];
      const last = this.firstAnchor[g + 1];
      if (first === undefined || last === undefined) throw missingElement('anchor rows', g, this.firstAnchor.length);
      for (let j = first; j < last; j++) {
        const needle = this.anchors[2 * j];
        const offset = this.anchors[2 * j + 1];
        if (needle === undefined || offset === undefined) throw missingElement('anchors', 2 * j, this.anchors.length);
        const at = i - offset;
        if (at >= from && this.matches(needle, bytes, at, end) && visit(needle)) return;
      }
    }
    // A 1-byte needle in the last byte has no bigram inside [0, end).
    if (stop >= from && this.singles[byteAt(bytes, stop)] === 1) {
      for (let needle = 0; needle < this.length.length; needle++) {
        if (this.length[needle] === 1 && this.matches(needle, bytes, stop, end) && visit(needle)) return;
      }
    }
  }

  private matches(needle: number, bytes: Buffer, at: number, end: number): boolean {
    const length = this.length[needle];
    if (length === undefined) throw missingElement('needle lengths', needle, this.length.length);
    if (at + length > end) return false;
    const base = this.start[needle];
    if (base === undefined) throw missingElement('needle starts', needle, this.start.length);
    const text = this.needleBytes;
    if (this.folds[needle] === 1) {
      for (let m = 0; m < length; m++) {
        const b = bytes[at + m];
        if (b === undefined) throw missingElement('bytes', at + m, bytes.length);
        if (LOWER[b] !== text[base + m]) return false;
      }
    } else {
      for (let m = 0; m < length; m++) if (bytes[at + m] !== text[base + m]) return false;
    }
    return true;
  }

  /** The first position in [i, stop) whose bigram is marked, or stop. */
  private scan(bytes: Buffer, i: number, stop: number): number {
    const marked = this.marked;
    const words = this.wordsOf(bytes);
    const base = this.wordsFrom;
    // Byte by byte up to a word boundary; then a word at a time while the word after it is whole too,
    // since the bigram at a word's last byte ends in the next word.
    for (; i < stop && (i < base || (i - base) % 4 !== 0); i++) {
      if (marked[byteAt(bytes, i) | (byteAt(bytes, i + 1) << 8)] === 1) return i;
    }
    if (i >= stop) return stop;
    let w = (i - base) / 4;
    // Word w holds positions base + 4w .. base + 4w + 3; all must be before stop, and word w + 1 exist.
    const wordsEnd = Math.min(words.length - 1, Math.floor((stop - base) / 4));
    if (w < wordsEnd) {
      let word = uint32At(words, w, 'words');
      for (; w < wordsEnd; w++) {
        const after = uint32At(words, w + 1, 'words');
        if (
          markAt(marked, word & 0xffff) |
          markAt(marked, (word >>> 8) & 0xffff) |
          markAt(marked, word >>> 16) |
          markAt(marked, (word >>> 24) | ((after & 0xff) << 8))
        )
          break;
        word = after;
      }
      i = base + 4 * w;
    }
    for (; i < stop; i++) {
      if (marked[byteAt(bytes, i) | (byteAt(bytes, i + 1) << 8)] === 1) return i;
    }
    return stop;
  }

  private wordsOf(bytes: Buffer): Uint32Array {
    if (this.viewOf !== bytes) {
      this.viewOf = bytes;
      if (LITTLE_ENDIAN) {
        const head = (4 - (bytes.byteOffset % 4)) % 4;
        const count = Math.floor((bytes.length - head) / 4);
        this.words = count > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + head, count) : NO_WORDS;
        this.wordsFrom = head;
      } else {
        // NOTE: the word loop reads bigrams in little-endian order; elsewhere the byte loop does it all.
        this.words = NO_WORDS;
        this.wordsFrom = bytes.length;
      }
    }
    return this.words;
  }
}

const NO_WORDS = new Uint32Array(0);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Byte → its ASCII lower case (A-Z only). */
function lowerCase(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}
/** `lowerCase` as a table, for the loop that compares a case-insensitive needle. */
const LOWER = Uint8Array.from({ length: 256 }, (_, b) => lowerCase(b));

// Checked reads, one function per kind of array so the element load in each stays monomorphic (a
// generic `at` would see every array of the app). Each is small enough for V8 to always inline, and an
// in-bounds typed-array load is a number, so the check costs next to nothing in the scan. next,
// forEachMatch and matches check inline instead: calls there would use up V8's inlining budget.

/** `bytes[i]` of a searched buffer, sample or needle; the caller keeps `i` inside it. */
function byteAt(bytes: Buffer, i: number): number {
  return bytes[i] ?? outOfRange(bytes, i, 'bytes');
}

/** `marked[g]`: 1 where bigram g is an anchor; g < 65536 always. */
function markAt(marked: Uint8Array, g: number): number {
  return marked[g] ?? outOfRange(marked, g, 'marked bigrams');
}

function int32At(array: Int32Array, i: number, what: string): number {
  return array[i] ?? outOfRange(array, i, what);
}

function uint32At(array: Uint32Array, i: number, what: string): number {
  return array[i] ?? outOfRange(array, i, what);
}

function outOfRange(array: ArrayLike<number>, i: number, what: string): never {
  throw missingElement(what, i, array.length);
}

/** A (lower-cased, when case does not count) needle byte and the bytes that match it. */
function variants(b: number, caseInsensitive: boolean): number[] {
  return caseInsensitive && b >= 0x61 && b <= 0x7a ? [b, b - 0x20] : [b];
}

/** Counts of each bigram in `sample`, exact and ASCII-lower-cased. */
function bigramCounts(sample: Buffer): { exact: Uint32Array; folded: Uint32Array } {
  const exact = new Uint32Array(65536);
  const folded = new Uint32Array(65536);
  for (let i = 0; i + 1 < sample.length; i++) {
    const a = byteAt(sample, i);
    const b = byteAt(sample, i + 1);
    const g = a | (b << 8);
    const f = lowerCase(a) | (lowerCase(b) << 8);
    exact[g] = uint32At(exact, g, 'bigram counts') + 1;
    folded[f] = uint32At(folded, f, 'bigram counts') + 1;
  }
  return { exact, folded };
}

/** The offset of the bigram of `bytes` rarest in the sample; ties go to the later offset. */
function rarestAnchor(
  bytes: Buffer,
  caseInsensitive: boolean,
  counts: { exact: Uint32Array; folded: Uint32Array } | undefined,
): number {
  if (counts === undefined) return bytes.length - 2;
  const table = caseInsensitive ? counts.folded : counts.exact;
  let best = 0;
  let bestCount = Infinity;
  for (let k = 0; k + 1 < bytes.length; k++) {
    const count = uint32At(table, byteAt(bytes, k) | (byteAt(bytes, k + 1) << 8), 'bigram counts');
    if (count <= bestCount) [best, bestCount] = [k, count];
  }
  return best;
}
