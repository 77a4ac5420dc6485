import fc from 'fast-check';

import type { TelemetryRecord } from '../../../../shared/core/export/telemetryRecord';
import { compileQuery } from '../../../../shared/core/rules/compileQuery';
import {
  type RawFilter,
  rawFilterOf,
  rawFilterPasses,
  type RawFormat,
} from '../../../../shared/core/rules/prefilter/rawFilter';
import { NOW } from '../ruleHelpers';
import { literalsOf, queryArb, rowArb } from './prefilterArbitraries';

interface Rule {
  readonly predicate: ((record: TelemetryRecord, now: number) => boolean) | undefined;
  readonly filters: Partial<Record<RawFormat, RawFilter>>;
}

// fast-check shrinks by re-running similar queries; each compile costs milliseconds.
const rules = new Map<string, Rule>();

function ruleOf(query: string): Rule {
  let rule = rules.get(query);
  if (rule === undefined) {
    const compiled = compileQuery(query);
    rule = { predicate: compiled.ok ? compiled.value.predicate : undefined, filters: {} };
    if (rules.size > 2_000) rules.clear();
    rules.set(query, rule);
  }
  return rule;
}

function filterOf(rule: Rule, query: string, format: RawFormat): RawFilter {
  const filters = rule.filters as Record<RawFormat, RawFilter | undefined>;
  return (filters[format] ??= rawFilterOf(query, format));
}

export interface SoundnessTally {
  rules: number;
  compiled: number;
  matches: number;
  withNeedles: number;
  /** Kept rows that a filter with needles had to pass on their bytes alone (no backslash). */
  tested: number;
  /** Matches of rules calling ago() or now(), evaluated at NOW. */
  clockMatches: number;
}

/**
 * The contract of issue 12 §1: for every generated rule and row of either format, a record the rule's
 * compiled predicate keeps has a row whose bytes pass the rule's raw filter for that format.
 */
export function checkSoundness(numRuns: number, seed?: number): SoundnessTally {
  const tally: SoundnessTally = { rules: 0, compiled: 0, matches: 0, withNeedles: 0, tested: 0, clockMatches: 0 };
  const format = fc.constantFrom<RawFormat>('continuousExport', 'workspace');
  const property = fc.property(
    queryArb.chain((query) =>
      fc.tuple(
        fc.constant(query),
        format.chain((f) => fc.array(rowArb(f, literalsOf(query)), { minLength: 4, maxLength: 10 })),
      ),
    ),
    ([query, rows]) => {
      const rule = ruleOf(query);
      const { predicate } = rule;
      tally.rules++;
      if (predicate === undefined) return;
      tally.compiled++;
      for (const row of rows) {
        const filter = filterOf(rule, query, row.format);
        if (filter.kind !== 'any') tally.withNeedles++;
        const kept = row.records.some((r) => predicate(r, NOW));
        if (!kept) continue;
        tally.matches++;
        if (/\b(ago|now)\(/.test(query)) tally.clockMatches++;
        if (filter.kind !== 'any' && !row.bytes.includes(0x5c)) tally.tested++;
        if (!rawFilterPasses(filter, row.bytes)) {
          throw new Error(
            `false negative: ${query}\nfilter ${JSON.stringify(filter)}\nrow ${row.bytes.toString('utf8')}`,
          );
        }
      }
    },
  );
  fc.assert(property, { numRuns, ...(seed === undefined ? {} : { seed }) });
  return tally;
}
