import { performance } from 'node:perf_hooks';

import { isTelemetryType } from '../shared/core/export/telemetryTypes';
import { compileBenchRules, isRulesVariant, RULES_VARIANTS, type RulesPass } from './rulesVariants';
import { forkJsonProbe, runAsProbe } from './runProbe';

/**
 * Child-process entry for the rules benchmark: compiles the first `ruleCount` bench rules, runs one
 * variant over one file in a fresh process and prints one JSON line (`RulesProbeReport`) to stdout.
 * The reader's rssProbe takes no rules, hence this sibling.
 *
 *   node dist/bench/rulesProbe.js <variant> <file> <TelemetryType> <ruleCount> [warmups=0] [runs=1]
 */
export interface RulesProbeReport {
  readonly variant: string;
  readonly ruleCount: number;
  /** Measured passes (warm-ups excluded); compiling the rules is not timed. */
  readonly runs: readonly (RulesPass & { readonly ms: number })[];
  /** Set when the variant threw or the process died. */
  readonly error?: string;
}

export interface RulesProbeRequest {
  readonly variant: string;
  readonly file: string;
  readonly type: string;
  readonly ruleCount: number;
  readonly warmups: number;
  readonly runs: number;
}

async function probe(argv: readonly string[]): Promise<RulesProbeReport> {
  const [variant = '', file = '', type = '', ruleCountText = '1', warmupsText = '0', runsText = '1'] = argv;
  if (!isRulesVariant(variant))
    throw new Error(`unknown variant '${variant}' (one of ${Object.keys(RULES_VARIANTS).join(', ')})`);
  if (!isTelemetryType(type)) throw new Error(`unknown telemetry type '${type}'`);
  const ruleCount = Number(ruleCountText);
  const rules = compileBenchRules(ruleCount);
  const runs: (RulesPass & { ms: number })[] = [];
  try {
    const warmups = Number(warmupsText);
    const total = warmups + Number(runsText);
    for (let i = 0; i < total; i++) {
      const started = performance.now();
      const result = await RULES_VARIANTS[variant](file, type, rules);
      const ms = performance.now() - started;
      if (i >= warmups) runs.push({ ...result, ms });
    }
  } catch (thrown) {
    return { variant, ruleCount, runs, error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
  return { variant, ruleCount, runs };
}

/**
 * Runs this file in a fresh Node process and returns its report; a probe that dies comes back as a
 * report with `error`, never as a rejection.
 */
export function runRulesProbe(request: RulesProbeRequest): Promise<RulesProbeReport> {
  const args = [
    request.variant,
    request.file,
    request.type,
    String(request.ruleCount),
    String(request.warmups),
    String(request.runs),
  ];
  return forkJsonProbe<RulesProbeReport>(__filename, args, (error) => ({
    variant: request.variant,
    ruleCount: request.ruleCount,
    runs: [],
    error,
  }));
}

if (require.main === module) runAsProbe(probe);
