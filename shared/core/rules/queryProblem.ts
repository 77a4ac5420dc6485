/** A problem of a query at 0-based offsets, before it is placed by line and column. */
export interface QueryProblem {
  readonly start: number;
  readonly length: number;
  readonly message: string;
  /** The Kusto parser's code (`KS005`) or ours (`RULE_...`). */
  readonly code: string;
  /** `syntax`: the parser could not read the text there; `parser`: its analysis of what it read; `rule`: ours. */
  readonly origin: 'syntax' | 'parser' | 'rule';
  /**
   * The parser misread what follows in its region: a syntax error, or a query that does not start with
   * a table. Later problems of the region are its consequences.
   */
  readonly breaks?: boolean;
  /**
   * A name checked against the query's own schema and not in it: a problem whatever the parser made
   * of the text around it, so kept after a syntax error.
   */
  readonly independent?: boolean;
  /** The parser's problems starting in this span are consequences of this one (`success = false`). */
  readonly covers?: { readonly start: number; readonly length: number };
}

/**
 * One message per real problem. The parser recovers from a syntax error by guessing (a missing `;`, a
 * new statement, skipped tokens), and what it then reports about the rest of the text follows from
 * the guess: `requests | wher name == "x"` also gives "Expected: ;" and an unknown column `name`. So:
 *
 * - a region is the text between two top-level `|` or `;`;
 * - the first breaking problem of a region is kept, and nothing else of that region after it, but
 *   independent ones (a name the schema lacks); a problem ending just before it is its consequence too
 *   (`name` must be bool, in `name contain "x"`), and so is the parser's analysis of the region's text
 *   before it (`and` of bool and string, in `… and name hass "x"`);
 * - after the query's first breaking problem, later regions keep only breaking and independent ones;
 * - one problem per place (start offset): a syntax error before the parser's analysis before ours;
 * - the parser's problems inside a span one of ours `covers` are that problem's.
 *
 * @param separators - 0-based offsets of the query's top-level `|` and `;`, ascending
 */
export function collapseProblems(
  source: string,
  problems: readonly QueryProblem[],
  separators: readonly number[],
): QueryProblem[] {
  const sorted = [...problems].sort((a, b) => a.start - b.start || rank(a) - rank(b) || a.length - b.length);
  const covers = problems.flatMap((p) => (p.covers ? [p.covers] : []));
  const regionOf = (offset: number): number => {
    let region = 0;
    while (region < separators.length && (separators[region] ?? Infinity) < offset) region++;
    return region;
  };
  const firstBreak = new Map<number, number>();
  for (const p of sorted) {
    if (p.breaks && !firstBreak.has(regionOf(p.start))) firstBreak.set(regionOf(p.start), p.start);
  }

  const kept: QueryProblem[] = [];
  const places = new Set<number>();
  let broken = false;
  for (const p of sorted) {
    if (places.has(p.start)) continue;
    if (p.origin !== 'rule' && covers.some((c) => p.start >= c.start && p.start < c.start + c.length)) continue;
    const region = regionOf(p.start);
    const breakAt = firstBreak.get(region);
    if (!p.independent) {
      if (breakAt !== undefined && p.start > breakAt) continue;
      if (breakAt !== undefined && p.origin === 'parser' && !p.breaks) continue;
      if (breakAt !== undefined && p.start < breakAt && /^\s*$/.test(source.slice(p.start + p.length, breakAt)))
        continue;
      if (broken && !p.breaks) continue;
    }
    if (p.breaks) broken = true;
    places.add(p.start);
    kept.push(p);
  }
  return kept;
}

function rank(problem: QueryProblem): number {
  return problem.origin === 'syntax' ? 0 : problem.origin === 'parser' ? 1 : 2;
}
