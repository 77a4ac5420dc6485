import fc from 'fast-check';

import {
  CandidateLineSplitter,
  type CandidateOptions,
  type LineFilter,
} from '../../../shared/core/export/candidateLineSplitter';
import { type SplitLine } from '../../../shared/core/export/candidateLineSplitter';
import { parseExportRow } from '../../../shared/core/export/parseExportRow';
import { LineSplitter } from '../../helpers/lineSplitterOracle';

/**
 * A filter in two stages like a rule set's prefilter: `hint` finds possible candidates over the latin1
 * text, and a line is a candidate when it also matches `line` (default: the hint alone is enough).
 */
function regexFilter(hint: RegExp, line: RegExp = hint): LineFilter {
  const cover = new RegExp(hint.source, 'g');
  return {
    nextHit(bytes, from) {
      cover.lastIndex = from;
      return cover.exec(bytes.toString('latin1'))?.index ?? -1;
    },
    keeps(bytes, start, end, hit) {
      if (hit < start || hit >= end) throw new Error(`hit ${hit} outside the line [${start}, ${end})`);
      return line.test(bytes.toString('latin1', start, end));
    },
  };
}

const KEEP = regexFilter(/keep/);

/** What a splitter emits for `chunks`, and the splitter for its counts. */
function split(
  chunks: ReadonlyArray<string | Buffer>,
  options: CandidateOptions = {},
  maxLineBytes = 1_000,
): { lines: SplitLine[]; splitter: CandidateLineSplitter } {
  const splitter = new CandidateLineSplitter(maxLineBytes, options);
  const lines: SplitLine[] = [];
  for (const chunk of chunks)
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, (l) => lines.push(l));
  splitter.end((l) => lines.push(l));
  return { lines, splitter };
}

const text = (line: number, t: string): SplitLine => ({ kind: 'text', line, text: t });

/** `blob` cut into pieces of `size` bytes. */
function pieces(blob: string | Buffer, size: number): Buffer[] {
  const bytes = typeof blob === 'string' ? Buffer.from(blob, 'utf8') : blob;
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('CandidateLineSplitter with a filter', () => {
  const blob = 'a\nkeep b\nc\nkeep d\n';

  it.each([
    ['one chunk', [blob]],
    ['one-byte chunks', pieces(blob, 1)],
    ['three-byte chunks', pieces(blob, 3)],
  ])('numbers candidate lines from firstLine and counts the skipped rows (%s)', (_name, chunks) => {
    // Act
    const { lines, splitter } = split(chunks, { firstLine: 41, filter: KEEP });

    // Assert
    expect(lines).toEqual([text(42, 'keep b'), text(44, 'keep d')]);
    expect(splitter.skippedRows).toBe(2);
    expect(splitter.lines).toBe(4);
  });

  it('does not count blank lines as skipped rows', () => {
    const { lines, splitter } = split(['\n   \n\t\r\nkeep\nx\n\n'], { filter: KEEP });

    expect(lines).toEqual([text(4, 'keep')]);
    expect(splitter.skippedRows).toBe(1);
    expect(splitter.lines).toBe(6);
  });

  it('asks keeps() about a line the hint found and skips it when keeps() says no', () => {
    const { lines, splitter } = split(['keep out\nkeep in\n'], { filter: regexFilter(/keep/, /keep in/) });

    expect(lines).toEqual([text(2, 'keep in')]);
    expect(splitter.skippedRows).toBe(1);
    expect(splitter.filteredLines).toBe(2);
    expect(splitter.filteredCandidates).toBe(1);
  });

  const long = `short\n${'z'.repeat(20)}\nkeep\n`;
  it.each([
    ['one chunk', [long]],
    ['three-byte chunks', pieces(long, 3)],
    ['one-byte chunks', pieces(long, 1)],
  ])('reports a too-long line that is no candidate (%s)', (_name, chunks) => {
    const { lines, splitter } = split(chunks, { filter: KEEP }, 10);

    expect(lines).toEqual([{ kind: 'tooLong', line: 2, bytes: 20 }, text(3, 'keep')]);
    expect(splitter.skippedRows).toBe(1);
  });

  it('reports a too-long last line without a newline', () => {
    const { lines } = split(pieces(`keep\n${'z'.repeat(12)}`, 5), { filter: KEEP }, 10);

    expect(lines).toEqual([text(1, 'keep'), { kind: 'tooLong', line: 2, bytes: 12 }]);
  });

  it.each([
    ['one chunk', ['keep a\r\nkeep b\r\nx\r\n']],
    ['a line cut before its CR', ['keep a\r\nkeep b', '\r\nx\r\n']],
    ['a CRLF cut in two', ['keep a\r', '\nkeep b\r', '\n']],
  ])('strips the CR of CRLF line ends (%s)', (_name, chunks) => {
    const { lines } = split(chunks, { filter: KEEP });

    expect(lines).toEqual([text(1, 'keep a'), text(2, 'keep b')]);
  });

  it('skips a BOM at line 1', () => {
    const { lines } = split([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('keep\nkeep 2\n')])], {
      filter: KEEP,
    });

    expect(lines).toEqual([text(1, 'keep'), text(2, 'keep 2')]);
  });

  it('keeps a BOM that does not start line 1', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const later = split([Buffer.concat([bom, Buffer.from('keep\n')])], { firstLine: 7, filter: KEEP });
    const second = split([Buffer.concat([Buffer.from('keep\n'), bom, Buffer.from('keep\n')])], { filter: KEEP });

    expect(later.lines).toEqual([text(7, '\ufeffkeep')]);
    expect(second.lines).toEqual([text(1, 'keep'), text(2, '\ufeffkeep')]);
  });

  it.each([
    ['inside a line begun in the chunk before', ['abc ke', 'ep def\nother\n']],
    ['after whole lines of the first chunk', ['x\nab ke', 'ep\ny\n']],
    ['cut at every byte', pieces('x\nab keep\ny\n', 1)],
    ['over three chunks', ['x\nk', 'e', 'ep\ny\n']],
  ])('finds a needle cut across chunks (%s)', (_name, chunks) => {
    const { lines } = split(chunks, { filter: KEEP });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('keep') });
  });

  it('gives up and emits every later line once more than maxShare of afterLines were candidates', () => {
    // Arrange: three candidates in the first four lines, over half of them.
    const adapt = { afterLines: 4, maxShare: 0.5 };

    // Act
    const { lines, splitter } = split(['keep 1\nkeep 2\nkeep 3\nno 4\n', 'no 5\nkeep 6\n'], { filter: KEEP, adapt });

    // Assert
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 5, 6]);
    expect(splitter.filtering).toBe(false);
    expect(splitter.skippedRows).toBe(1);
  });

  it('keeps filtering while candidates stay at or under maxShare', () => {
    const adapt = { afterLines: 4, maxShare: 0.5 };

    const { lines, splitter } = split(['keep 1\nno 2\nkeep 3\nno 4\n', 'no 5\nkeep 6\n'], { filter: KEEP, adapt });

    expect(lines.map((l) => l.line)).toEqual([1, 3, 6]);
    expect(splitter.filtering).toBe(true);
    expect(splitter.skippedRows).toBe(3);
  });

  it('never gives up with afterLines out of reach', () => {
    const { splitter } = split(['keep\n'.repeat(3_000)], { filter: KEEP, adapt: { afterLines: 1e9, maxShare: 1 } });

    expect(splitter.filtering).toBe(true);
    expect(splitter.filteredCandidates).toBe(3_000);
  });

  it('counts every line, blank ones and a last one without a newline included', () => {
    const { splitter } = split(pieces('keep\n\n x\n\r\nlast', 2), { filter: KEEP });

    expect(splitter.lines).toBe(5);
  });
});

// Bytes that matter to a splitter: line ends, a CR, the BOM's bytes, a two-byte character, blanks.
const byteArb = fc.constantFrom(0x0a, 0x0a, 0x0d, 0x20, 0x09, 0x61, 0x6b, 0x65, 0x70, 0xef, 0xbb, 0xbf, 0xc3, 0xa9);
const blobArb = fc.oneof(
  fc.uint8Array({ maxLength: 80 }).map((a) => Buffer.from(a)),
  fc.array(byteArb, { maxLength: 80 }).map((a) => Buffer.from(a)),
  fc
    .array(fc.constantFrom('keep', 'kee', 'p', 'x', 'é', '\ufeff', '\n', '\r\n', ' '), { maxLength: 30 })
    .map((a) => Buffer.from(a.join(''), 'utf8')),
);
const setupArb = fc.record({
  blob: blobArb,
  sizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
  maxLineBytes: fc.integer({ min: 1, max: 24 }),
  firstLine: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 9 })),
});

function chunksOf(blob: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < blob.length; i++) {
    const size = sizes[i % sizes.length] as number;
    out.push(blob.subarray(at, at + size));
    at += size;
  }
  return out;
}

function oracle(chunks: readonly Buffer[], maxLineBytes: number, firstLine: number): SplitLine[] {
  const splitter = new LineSplitter(maxLineBytes, { firstLine });
  const lines: SplitLine[] = [];
  for (const chunk of chunks) splitter.push(chunk, (l) => lines.push(l));
  splitter.end((l) => lines.push(l));
  return lines;
}

describe('CandidateLineSplitter against LineSplitter', () => {
  it('emits exactly what LineSplitter emits when there is no filter, however the bytes are chunked', () => {
    fc.assert(
      fc.property(setupArb, ({ blob, sizes, maxLineBytes, firstLine }) => {
        const chunks = chunksOf(blob, sizes);

        const { lines, splitter } = split(chunks, { firstLine }, maxLineBytes);

        expect(lines).toEqual(oracle(chunks, maxLineBytes, firstLine));
        expect(splitter.skippedRows).toBe(0);
        expect(splitter.lines).toBe(lines.length);
      }),
      { numRuns: 500 },
    );
  });

  it("with a filter, emits LineSplitter's too-long lines and the lines holding a match, and counts the rest", () => {
    fc.assert(
      fc.property(setupArb, ({ blob, sizes, maxLineBytes, firstLine }) => {
        const chunks = chunksOf(blob, sizes);
        const all = oracle(chunks, maxLineBytes, firstLine);
        const isCandidate = (l: SplitLine) => l.kind === 'tooLong' || /kee?p/.test(l.text);

        const { lines, splitter } = split(
          chunks,
          { firstLine, filter: regexFilter(/kee?p/), adapt: { afterLines: 1e9, maxShare: 1 } },
          maxLineBytes,
        );

        expect(lines).toEqual(all.filter(isCandidate));
        // Blank as the row parser reads it: a line of U+FEFF alone is a (malformed) row.
        expect(splitter.skippedRows).toBe(
          all.filter((l) => !isCandidate(l) && l.kind === 'text' && parseExportRow(l.text) !== undefined).length,
        );
        expect(splitter.lines).toBe(all.length);
      }),
      { numRuns: 500 },
    );
  });
});
