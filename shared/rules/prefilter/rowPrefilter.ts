import { type RawFilter, type RawFormat, rawFilterOf, rawFilterPasses } from './rawFilter';

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
  /** Offset of the first cover match in `text` at or after `from`, or -1. */
  nextHit(text: string, from: number): number;
  /**
   * Whether a rule's raw filter passes the line `[start, end)` of `bytes`, whose latin1 view is `text`;
   * `hit` is a cover match inside the line (from `nextHit`).
   */
  keeps(bytes: Buffer, text: string, start: number, end: number, hit: number): boolean;
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
export function rowPrefilterOf(queries: readonly string[], format: RawFormat): RowPrefilter | undefined {
  const filters: RawFilter[] = [];
  const needles = new Map<string, CoverNeedle>();
  // Lower-cased latin1 needle text → the rules whose cover holds it.
  const rulesOf = new Map<string, number[]>();
  for (const query of queries) {
    const filter = memoRawFilter(query, format);
    const cover = coverOf(filter);
    if (cover === undefined) return undefined;
    const rule = filters.push(filter) - 1;
    for (const n of cover) {
      const latin1 = latin1Of(n.text);
      needles.set(`${n.caseInsensitive ? 'i' : 's'}${latin1}`, n);
      const key = latin1.toLowerCase();
      const list = rulesOf.get(key) ?? [];
      if (list.at(-1) !== rule) list.push(rule);
      rulesOf.set(key, list);
    }
  }
  // Longest first: where needles overlap at one offset, the match is then the longest of them, and the
  // others there are its prefixes (touchedBy).
  const alternatives = [...needles.values()].map((n) => latin1Of(n.text)).sort((a, b) => b.length - a.length).map(escapeRegExp);
  // Matching every needle without regard to case admits more lines, never fewer.
  const caseInsensitive = [...needles.values()].some((n) => n.caseInsensitive);
  const cover = new RegExp(alternatives.length === 0 ? '(?!)' : alternatives.join('|'), caseInsensitive ? 'gi' : 'g');
  const all = filters.map((_, i) => i);
  const touches = new Map<string, readonly number[]>();
  const touchedBy = (match: string): readonly number[] => {
    const key = match.toLowerCase();
    let rules = touches.get(key);
    if (rules === undefined) {
      const found = new Set<number>();
      for (let length = 1; length <= key.length; length++) for (const rule of rulesOf.get(key.slice(0, length)) ?? []) found.add(rule);
      // A match the map does not know (a case folding not foreseen) touches every rule: still sound.
      rules = rulesOf.has(key) ? [...found] : all;
      if (touches.size < 10_000) touches.set(key, rules);
    }
    return rules;
  };
  return {
    needles: needles.size,
    nextHit(text, from) {
      cover.lastIndex = from;
      return cover.exec(text)?.index ?? -1;
    },
    keeps(bytes, text, start, end, hit) {
      const touched = new Set<number>();
      cover.lastIndex = hit;
      for (let m = cover.exec(text); m !== null && m.index < end; m = cover.exec(text)) {
        for (const rule of touchedBy(m[0])) touched.add(rule);
        // Overlapping needles: look again one byte on, not past the match.
        cover.lastIndex = m.index + 1;
      }
      const line = bytes.subarray(start, end);
      for (const rule of touched) if (rawFilterPasses(filters[rule] as RawFilter, line)) return true;
      return false;
    },
  };
}

/**
 * Needles of which a row passing `filter` holds at least one; `undefined` when there is none. For a
 * conjunction one conjunct's cover is enough, so the cheapest is taken: fewer, longer needles.
 */
export function coverOf(filter: RawFilter): CoverNeedle[] | undefined {
  switch (filter.kind) {
    case 'any':
      return undefined;
    case 'needle':
      return [{ text: filter.text, caseInsensitive: filter.caseInsensitive }];
    case 'or': {
      const all: CoverNeedle[] = [];
      for (const part of filter.filters) {
        const cover = coverOf(part);
        if (cover === undefined) return undefined;
        all.push(...cover);
      }
      return all;
    }
    case 'and': {
      let best: CoverNeedle[] | undefined;
      for (const part of filter.filters) {
        const cover = coverOf(part);
        if (cover !== undefined && (best === undefined || coverCost(cover) < coverCost(best))) best = cover;
      }
      return best;
    }
  }
}

// A guess at how often a needle occurs: each byte more makes it rarer.
function coverCost(cover: readonly CoverNeedle[]): number {
  return cover.reduce((sum, n) => sum + 2 ** -Math.min(Buffer.byteLength(n.text), 12), 0);
}

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
