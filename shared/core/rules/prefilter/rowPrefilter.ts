import { at, missingElement } from '../../defined';
import { BigramSearch } from './bigramSearch';
import { filterHolds, type RawFilter, rawFilterOf, type RawFormat } from './rawFilter';

/**
 * How the cover is searched for: one regular expression per case mode (fastest for a few needles), or
 * BigramSearch's anchor table (3-4x faster from about ten needles on); `auto` picks by the count.
 */
export type CoverSearch = 'auto' | 'regex' | 'bigram';

/** From this many needles on, `auto` takes BigramSearch (measured: slower than the regex at 3, faster at 15). */
const BIGRAM_FROM_NEEDLES = 6;

/**
 * The raw-byte prefilter of a rule set for one format: which lines of a blob need parsing at all.
 *
 * It works on the latin1 view of the bytes (one character per byte, so offsets are byte offsets). One
 * regular expression, the cover, holds one necessary part of each rule's raw filter, so a line any rule
 * could keep holds a match of it, and one pass finds every candidate line whatever the number of rules.
 * A line the cover found is then checked against the whole raw filters of the rules whose needles it
 * holds.
 */
export interface RowPrefilter {
  /** Offset of the first cover match in `bytes` (a block of lines) at or after `from`, or -1. */
  nextHit(bytes: Buffer, from: number): number;
  /**
   * Whether a rule's raw filter passes the line `[start, end)` of `bytes`; `hit` is a cover match
   * inside the line (from `nextHit`).
   */
  keeps(bytes: Buffer, start: number, end: number, hit: number): boolean;
  /** Distinct needles the cover searches for (for reports). */
  readonly needles: number;
}

interface CoverNeedle {
  readonly text: string;
  readonly caseInsensitive: boolean;
}

/**
 * The prefilter of `queries` (rules that compile) for rows of `format`; `undefined` when some rule
 * reads something no needle can stand for, so every row must be parsed. No rules: no row is a candidate.
 */
export function rowPrefilterOf(
  queries: readonly string[],
  format: RawFormat,
  search: CoverSearch = 'auto',
): RowPrefilter | undefined {
  const filters = queries.map((query) => memoRawFilter(query, format));
  if (filters.some((filter) => coverOf(filter, guessedCost) === undefined)) return undefined;
  // Built at the first block, which is the sample the covers are chosen by.
  let built: RowPrefilter | undefined;
  const build = (sample: Buffer): RowPrefilter =>
    (built ??= buildPrefilter(queries, filters, format, sample.subarray(0, SAMPLE_CHARS), search));
  return {
    get needles() {
      return built?.needles ?? 0;
    },
    nextHit: (bytes, from) => build(bytes).nextHit(bytes, from),
    keeps: (bytes, start, end, hit) => build(bytes).keeps(bytes, start, end, hit),
  };
}

function buildPrefilter(
  queries: readonly string[],
  filters: readonly RawFilter[],
  format: RawFormat,
  sampleBytes: Buffer,
  search: CoverSearch,
): RowPrefilter {
  const sample = sampleBytes.toString('latin1');
  const needles = new Map<string, CoverNeedle>();
  // Lower-cased latin1 needle text → the rules whose cover holds it, with the needle as written.
  const rulesOf = new Map<string, Touch[]>();
  for (const [rule, filter] of filters.entries()) {
    for (const n of calibratedCover(at(queries, rule, 'rule queries'), filter, format, sample)) {
      const latin1 = latin1Of(n.text);
      needles.set(`${n.caseInsensitive ? 'i' : 's'}${latin1}`, n);
      const key = latin1.toLowerCase();
      rulesOf.set(key, [...(rulesOf.get(key) ?? []), { rule, text: latin1, caseInsensitive: n.caseInsensitive }]);
    }
  }
  // A rule whose filter is only needles passes wherever one of them is: its cover is its filter.
  const onlyNeedles = filters.map(isOnlyNeedles);
  // Two searches, one case-sensitive and one not: Node 20's regular expressions have no per-group
  // flags, a class per letter (`[aA]`) made the scan three times slower, and one `i` search for all
  // found a case-sensitive `Fabrikam` in any case, 5,935 times in 10 MB of the bench blob.
  const searches = [false, true].flatMap((caseInsensitive) => {
    // Longest first: where needles overlap at one offset, the match is then the longest of them, and
    // the others there are its prefixes (touchedBy).
    const texts = [...needles.values()]
      .filter((n) => n.caseInsensitive === caseInsensitive)
      .map((n) => latin1Of(n.text));
    if (texts.length === 0) return [];
    const source = texts
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    const flags = caseInsensitive ? 'gi' : 'g';
    // `inLine`: the same search within one line, so it never runs on past the line's end.
    return [
      {
        cover: new RegExp(source, flags),
        inLine: new RegExp(source, flags),
        block: undefined as Buffer | undefined,
        from: 0,
        index: -1,
      },
    ];
  });
  const touches = new Map<string, readonly Touch[] | 'all'>();
  const touchedBy = (match: string): readonly Touch[] | 'all' => {
    const key = match.toLowerCase();
    let found = touches.get(key);
    if (found === undefined) {
      const list: Touch[] = [];
      for (let length = 1; length <= key.length; length++) list.push(...(rulesOf.get(key.slice(0, length)) ?? []));
      // A match the map does not know (a case folding not foreseen) touches every rule: still sound.
      found = rulesOf.has(key) ? list : 'all';
      if (touches.size < 10_000) touches.set(key, found);
    }
    return found;
  };
  const passes = linePasses();
  const passesAny = (rules: ReadonlySet<number>, line: string): boolean => {
    for (const rule of rules) {
      const filter = filters[rule];
      if (filter === undefined) throw missingElement('rule filters', rule, filters.length);
      if (passes(filter, line)) return true;
    }
    return false;
  };
  // The latin1 view of the block the splitter is on: one character per byte, so offsets stay byte offsets.
  let block: Buffer | undefined;
  let text = '';
  const textOf = (bytes: Buffer): string => {
    if (bytes !== block) [block, text] = [bytes, bytes.toString('latin1')];
    return text;
  };
  const needleList = [...needles.values()];
  const anchored =
    search === 'bigram' || (search === 'auto' && needles.size >= BIGRAM_FROM_NEEDLES)
      ? new BigramSearch(
          needleList.map((n) => ({ text: latin1Of(n.text), caseInsensitive: n.caseInsensitive })),
          sampleBytes,
        )
      : undefined;
  // BigramSearch names needles by their index in needleList: the rules whose cover holds each.
  const rulesOfNeedle = needleList.map((n) => {
    const latin1 = latin1Of(n.text);
    return (rulesOf.get(latin1.toLowerCase()) ?? [])
      .filter((t) => t.text === latin1 && t.caseInsensitive === n.caseInsensitive)
      .map((t) => t.rule);
  });
  const keepsAnchored = (search: BigramSearch, bytes: Buffer, start: number, end: number, hit: number): boolean => {
    const touched = new Set<number>();
    let passed = false;
    search.forEachMatch(bytes, hit, end, (needle) => {
      for (const rule of rulesOfNeedle[needle] ?? []) {
        if (onlyNeedles[rule]) return (passed = true);
        touched.add(rule);
      }
      return false;
    });
    if (passed) return true;
    if (touched.size === 0) return false;
    // Only a line some rule still has to be checked on is decoded.
    const line = bytes.toString('latin1', start, end);
    return passesAny(touched, line);
  };
  return {
    needles: needles.size,
    nextHit(bytes, from) {
      if (anchored !== undefined) return anchored.next(bytes, from);
      const text = textOf(bytes);
      let first = -1;
      for (const search of searches) {
        // Searching on from `search.from` found nothing before `search.index`: still the answer.
        const known = search.block === bytes && search.from <= from && (search.index === -1 || search.index >= from);
        if (!known) {
          search.cover.lastIndex = from;
          search.index = search.cover.exec(text)?.index ?? -1;
          search.block = bytes;
          search.from = from;
        }
        if (search.index !== -1 && (first === -1 || search.index < first)) first = search.index;
      }
      return first;
    },
    keeps(bytes, start, end, hit) {
      if (anchored !== undefined) return keepsAnchored(anchored, bytes, start, end, hit);
      // A sliced string: no copy, and every search below stops at the line's end.
      const line = textOf(bytes).slice(start, end);
      const touched = new Set<number>();
      for (const { inLine } of searches) {
        inLine.lastIndex = hit - start;
        for (let m = inLine.exec(line); m !== null; m = inLine.exec(line)) {
          const found = touchedBy(m[0]);
          if (found === 'all') {
            for (let rule = 0; rule < filters.length; rule++) touched.add(rule);
          } else {
            for (const t of found) {
              // A needle listed under the match's lower case may differ from it in case.
              if (!t.caseInsensitive && !line.startsWith(t.text, m.index)) continue;
              if (onlyNeedles[t.rule]) return true;
              touched.add(t.rule);
            }
          }
          // Overlapping needles: look again one byte on, not past the match.
          inLine.lastIndex = m.index + 1;
        }
      }
      return passesAny(touched, line);
    },
  };
}

/** A rule's needle as its cover holds it: latin1 text, and whether case counts. */
interface Touch {
  readonly rule: number;
  readonly text: string;
  readonly caseInsensitive: boolean;
}

function isOnlyNeedles(filter: RawFilter): boolean {
  return filter.kind === 'needle' || (filter.kind === 'or' && filter.filters.every(isOnlyNeedles));
}

/**
 * `rawFilterPasses` over a line's latin1 text, which the block scan already has. Case-insensitive
 * needles are tested with a case-insensitive regular expression, which folds latin1 letters too: it
 * passes every line the byte test passes, and a few more.
 */
function linePasses(): (filter: RawFilter, line: string) => boolean {
  const folded = new Map<string, RegExp>();
  const exact = new Map<string, string>();
  const exactOf = (text: string): string => {
    let latin1 = exact.get(text);
    if (latin1 === undefined) {
      latin1 = latin1Of(text);
      exact.set(text, latin1);
    }
    return latin1;
  };
  const foldedOf = (text: string): RegExp => {
    let re = folded.get(text);
    if (re === undefined) {
      re = new RegExp(escapeRegExp(latin1Of(text)), 'i');
      folded.set(text, re);
    }
    return re;
  };
  const passes = (filter: RawFilter, line: string): boolean =>
    filterHolds(filter, (n) => (n.caseInsensitive ? foldedOf(n.text).test(line) : line.includes(exactOf(n.text))));
  return passes;
}

/**
 * Needles of which a row passing `filter` holds at least one; `undefined` when there is none. For a
 * conjunction one conjunct's cover is enough, so the cheapest is taken: fewer, longer needles.
 */
export function coverOf(
  filter: RawFilter,
  cost: (needle: CoverNeedle) => number = guessedCost,
): CoverNeedle[] | undefined {
  switch (filter.kind) {
    case 'any':
      return undefined;
    case 'needle':
      return [{ text: filter.text, caseInsensitive: filter.caseInsensitive }];
    case 'or': {
      const all: CoverNeedle[] = [];
      for (const part of filter.filters) {
        const cover = coverOf(part, cost);
        if (cover === undefined) return undefined;
        all.push(...cover);
      }
      return all;
    }
    case 'and': {
      let best: CoverNeedle[] | undefined;
      let bestCost = Infinity;
      for (const part of filter.filters) {
        const cover = coverOf(part, cost);
        const total = cover === undefined ? Infinity : cover.reduce((sum, n) => sum + cost(n), 0);
        if (cover !== undefined && total < bestCost) [best, bestCost] = [cover, total];
      }
      return best;
    }
  }
}

// Without a sample, a guess at how often a needle occurs: each byte more makes it rarer.
function guessedCost(n: CoverNeedle): number {
  return 2 ** -Math.min(Buffer.byteLength(n.text), 12);
}

/** The sample a rule's cover is chosen by: the start of the first block a prefilter sees. */
const SAMPLE_CHARS = 64 * 1024;
const MAX_COUNT = 1_000;

/**
 * A rule's cover, chosen by how often each conjunct's needles occur in `sample` (with the length guess
 * as a tie-break): `"Contoso.Web"` is on a third of the rows where `beef` is on a few. Any choice is
 * sound; this one decides speed. Chosen once per query and format and kept (bounded), so a process
 * pays for it once, not per blob.
 */
function calibratedCover(query: string, filter: RawFilter, format: RawFormat, sample: string): CoverNeedle[] {
  const key = `${format}\n${query}`;
  let cover = COVERS.get(key);
  if (cover === undefined) {
    const text = sample.slice(0, SAMPLE_CHARS);
    const counts = new Map<string, number>();
    const cost = (n: CoverNeedle): number => {
      const id = `${n.caseInsensitive ? 'i' : 's'}${n.text}`;
      let count = counts.get(id);
      if (count === undefined) {
        const re = new RegExp(escapeRegExp(latin1Of(n.text)), n.caseInsensitive ? 'gi' : 'g');
        count = 0;
        while (count < MAX_COUNT && re.exec(text) !== null) count++;
        counts.set(id, count);
      }
      return count + guessedCost(n);
    };
    cover = coverOf(filter, cost) ?? [];
    if (COVERS.size >= MAX_MEMO) COVERS.clear();
    COVERS.set(key, cover);
  }
  return cover;
}

const COVERS = new Map<string, CoverNeedle[]>();

function latin1Of(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// Rules are compiled once per catalog load but a prefilter is built per blob; the Kusto parse behind a
// raw filter costs about a millisecond. Bounded: a rule table is far smaller.
const RAW_FILTERS = new Map<string, RawFilter>();
const MAX_MEMO = 5_000;

function memoRawFilter(query: string, format: RawFormat): RawFilter {
  const key = `${format}\n${query}`;
  let filter = RAW_FILTERS.get(key);
  if (filter === undefined) {
    filter = rawFilterOf(query, format);
    if (RAW_FILTERS.size >= MAX_MEMO) RAW_FILTERS.clear();
    RAW_FILTERS.set(key, filter);
  }
  return filter;
}
