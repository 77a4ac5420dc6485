import { readFile } from 'node:fs/promises';

import { type Command, Option } from '@commander-js/extra-typings';

import { plural } from '../shared/core/plural';
import { applyRulePlan, STEP_OUTCOMES } from '../shared/core/rules/applyRulePlan';
import { planRules, type RulePlan } from '../shared/core/rules/rulePlan';
import type { CliContext } from './cliContext';
import { cliRuleStore, cliStorage } from './cliSettings';
import type { CommandSite } from './commandSite';
import { EXIT } from './exitCodes';
import { UsageError } from './localExportFiles';
import { formatRuleFileProblem, readRuleFile } from './ruleFile';
import { RULE_FILE_FORMATS, type RuleFileFormat, ruleFileFormatOf } from './ruleFileSyntax';
import { formatOutcome, formatPlan, planStepJson } from './rulePlanView';
import { CONNECTION_HELP } from './rulesCommand';

/** `export-alerts rules apply -f FILE`: the rules table made to hold a file's rules. */
export function registerRulesApply(rules: Command, { ctx, run }: CommandSite): void {
  const apply = rules
    .command('apply')
    .summary('make the rules table hold the rules of a YAML or JSON file')
    .description(
      'Makes the rules table hold the rules of a file: a YAML or JSON list of rules with the table’s ' +
        'property names (PartitionKey, RowKey, Query, Recipients, Severity, Threshold, WindowMinutes, ' +
        'GroupBy, ThrottleMinutes, MaxEvents, Columns, Subject, Enabled), as `rules export` writes it. ' +
        'Prints the plan (+ add, ~ change with each property’s old → new value, - remove), then writes ' +
        'it. Every rule is validated first: when the file or any rule is invalid, every problem is ' +
        'printed with its line and nothing is written. A rule in the file replaces the stored one whole ' +
        '(a property it leaves out is removed). Each write is conditional on the version the plan read, ' +
        'so a rule someone edits meanwhile is reported and left as they wrote it.',
    )
    .requiredOption('-f, --file <file>', 'the rules file (.yaml, .yml or .json)')
    .addOption(
      new Option(
        '--format <format>',
        'how the file is written (default: by its extension, else by its content)',
      ).choices(RULE_FILE_FORMATS),
    )
    .option(
      '--prune',
      'also remove the rules of the file’s scopes (PartitionKeys) that the file does not list; other scopes ' +
        'are never touched (default: keep them)',
    )
    .option('--dry-run', 'print the plan and write nothing')
    .option('--json', 'print the plan, and what became of each step, as JSON')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ export-alerts rules apply -f rules.yaml --dry-run    # review the plan\n' +
        '  $ export-alerts rules apply -f rules.yaml --prune      # and remove what the file dropped\n' +
        '  $ export-alerts rules export -o rules.yaml && export-alerts rules apply -f rules.yaml   # no changes\n' +
        '\nExit codes: 0 applied, or nothing to do; 1 the file or a rule is invalid (nothing written), or a rule\n' +
        'changed meanwhile (left as it is); 2 usage, or the file cannot be read; 3 storage unreachable.',
    );
  apply.action((options) => run(apply, () => applyRules(options, ctx)));
}

interface ApplyOptions {
  readonly file: string;
  readonly format?: RuleFileFormat;
  readonly prune?: true;
  readonly dryRun?: true;
  readonly json?: true;
  readonly connection?: string;
}

async function applyRules(values: ApplyOptions, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const content = await readRulesFile(values.file);
  const format = values.format ?? ruleFileFormatOf(values.file, content);
  const reading = readRuleFile(content, { format, requireKeys: true });
  if (reading.problems.length > 0) {
    if (values.json) io.out(JSON.stringify({ file: values.file, problems: reading.problems, written: false }, null, 2));
    else {
      for (const problem of reading.problems) io.err(formatRuleFileProblem(values.file, problem));
      io.err(`${plural(reading.problems.length, 'problem')} in ${values.file}: nothing was written`);
    }
    return EXIT.findings;
  }
  const store = cliRuleStore(cliStorage(values.connection, ctx.env));
  const plan = planRules(
    reading.rules.map((r) => r.entity),
    await store.list(),
    { prune: values.prune === true },
  );
  if (values.dryRun || plan.steps.length === 0) {
    if (values.json) io.out(JSON.stringify(planJson(values, plan), null, 2));
    else for (const line of formatPlan(plan)) io.out(line);
    if (values.dryRun && !values.json && plan.steps.length > 0) io.out('dry run: nothing was written');
    return EXIT.ok;
  }
  // The plan goes out before the first write, so whatever happens next, the reader knows what was meant.
  if (!values.json) for (const line of formatPlan(plan)) io.out(line);
  const applied = await applyRulePlan(plan, store);
  const conflicts = applied.filter((a) => a.outcome === STEP_OUTCOMES.conflict).length;
  if (values.json) {
    const steps = applied.map((a) => planStepJson(a.step, a.outcome));
    io.out(JSON.stringify({ ...planJson(values, plan), steps, conflicts }, null, 2));
  } else {
    const outcome = formatOutcome(applied);
    for (const line of outcome.out) io.out(line);
    for (const line of outcome.err) io.err(line);
  }
  return conflicts > 0 ? EXIT.findings : EXIT.ok;
}

function planJson(values: ApplyOptions, plan: RulePlan) {
  return {
    file: values.file,
    dryRun: values.dryRun === true,
    steps: plan.steps.map((step) => planStepJson(step)),
    unchanged: plan.unchanged,
    kept: plan.kept,
  };
}

async function readRulesFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--file ${path}: cannot read it (${(error as { code?: string }).code ?? String(error)})`);
  }
}
