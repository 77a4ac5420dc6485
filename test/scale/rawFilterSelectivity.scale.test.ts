import { benchRuleQueries } from '../../bench/rulesVariants';
import { generateBlobText } from '../../scripts/exportGenerator';
import { toRecords } from '../../shared/core/export/toRecords';
import { compileQuery } from '../../shared/core/rules/compileQuery';
import { rawFilterOf, rawFilterPasses } from '../../shared/core/rules/prefilter/rawFilter';
import { NOW } from '../unit/rules/ruleHelpers';

// Issue 12 §1, figures: the share of a generated Requests blob's rows that each bench rule's raw filter
// passes, against the share the rule keeps; and, on this real-looking data, no false negative.
test("share of rows passing each bench rule's raw filter", () => {
  const rows = generateBlobText('Requests', Number(process.env.PREFILTER_ROWS ?? 20_000), 'prefilter-selectivity')
    .split('\n')
    .filter((l) => l !== '');
  const bytes = rows.map((row) => Buffer.from(row));
  const records = rows.map((row) => {
    const result = toRecords(JSON.parse(row) as Record<string, unknown>, {
      appName: 'bench',
      instrumentationKey: '0f3c8a1e5b7d4c2a9e612d4b8f0a7c33',
      telemetryType: 'Requests',
    });
    if (!result.ok) throw new Error(result.error);
    return result.value;
  });
  const lines: string[] = ['| # | rule | passes | matches |', '|---|---|---|---|'];
  let passedTotal = 0;
  let selective = 0;
  let selectivePassed = 0;
  const queries = benchRuleQueries(100);
  queries.forEach((query, i) => {
    const compiled = compileQuery(query);
    if (!compiled.ok) throw new Error(query);
    const filter = rawFilterOf(query, 'continuousExport');
    let passed = 0;
    let matched = 0;
    rows.forEach((_, r) => {
      const raw = rawFilterPasses(filter, bytes[r] as Buffer);
      const exact = (records[r] ?? []).some((record) => compiled.value.predicate(record, NOW));
      if (raw) passed++;
      if (exact) matched++;
      if (exact && !raw) throw new Error(`false negative: ${query} on row ${r + 1}`);
    });
    passedTotal += passed;
    if (matched / rows.length < 0.01) {
      selective++;
      selectivePassed += passed;
    }
    const pct = (n: number): string => `${((100 * n) / rows.length).toFixed(2)}%`;
    lines.push(
      `| ${i + 1} | \`${query.replace('requests | where ', '').replace(/\|/g, '\\|')}\` | ${filter.kind === 'any' ? 'any' : pct(passed)} | ${pct(matched)} |`,
    );
  });
  lines.push(
    '',
    `rows: ${rows.length}; mean share passing over the 100 rules: ${((100 * passedTotal) / (rows.length * queries.length)).toFixed(1)}%;`,
  );
  lines.push(
    `rules matching < 1%: ${selective}, their mean share passing: ${selective === 0 ? '-' : ((100 * selectivePassed) / (rows.length * selective)).toFixed(2)}%`,
  );
  console.log(lines.join('\n'));
});
