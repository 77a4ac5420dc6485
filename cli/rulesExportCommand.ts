import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { type Command, Option } from '@commander-js/extra-typings';

import { plural } from '../shared/core/plural';
import { compileRule, formatRuleProblems } from '../shared/core/rules/alertRule';
import type { CliContext } from './cliContext';
import { cliRuleStore, cliStorage } from './cliSettings';
import type { CommandSite } from './commandSite';
import { EXIT } from './exitCodes';
import { UsageError } from './localExportFiles';
import { RULE_FILE_FORMATS, type RuleFileFormat } from './ruleFileSyntax';
import { ruleFileText } from './ruleFileText';
import { CONNECTION_HELP } from './rulesCommand';

/** `export-alerts rules export`: the rules table as a file `rules apply` reads back. */
export function registerRulesExport(rules: Command, { ctx, run }: CommandSite): void {
  const command = rules
    .command('export')
    .summary('write the rules table as a YAML or JSON file that rules apply reads back')
    .description(
      'Writes the rules of the table as a rules file, the format `rules apply -f` and `rules test --file` ' +
        'read: by scope and id, each rule with PartitionKey, RowKey and only the properties it sets, numbers ' +
        'and flags as such whatever type stored them, without what the table keeps for itself (LastError, ' +
        'Timestamp, the etag). Applying the file to the same table changes nothing. An invalid rule is ' +
        'exported too, as near as the file can say what is stored, and reported; the exit code is then 1.',
    )
    .option('-o, --output <file>', 'write the file there (default: standard output)')
    .option('--scope <scope>', 'only the rules of this scope (PartitionKey) (default: every scope)')
    .addOption(
      new Option(
        '--format <format>',
        'yaml or json (default: by the --output extension, .json → json, else yaml)',
      ).choices(RULE_FILE_FORMATS),
    )
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ export-alerts rules export -o rules.yaml\n' +
        '  $ export-alerts rules export --scope shop-prod --format json > shop-prod.json',
    );
  command.action((options) => run(command, () => exportRules(options, ctx)));
}

interface ExportOptions {
  readonly output?: string;
  readonly scope?: string;
  readonly format?: RuleFileFormat;
  readonly connection?: string;
}

async function exportRules(values: ExportOptions, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const format =
    values.format ?? (values.output !== undefined && /^\.json$/i.test(extname(values.output)) ? 'json' : 'yaml');
  const all = await cliRuleStore(cliStorage(values.connection, ctx.env)).list();
  const rules = all.filter((rule) => values.scope === undefined || rule.partitionKey === values.scope);
  const text = ruleFileText(rules, format);
  if (values.output === undefined) io.out(text.replace(/\n$/, ''));
  else {
    try {
      await writeFile(values.output, text, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--output ${values.output}: cannot write it (${(error as { code?: string }).code ?? String(error)})`,
      );
    }
    io.out(`wrote ${plural(rules.length, 'rule')} to ${values.output}`);
  }
  let invalid = 0;
  for (const rule of rules) {
    const compiled = compileRule(rule);
    if (compiled.ok) continue;
    invalid++;
    io.err(
      `${formatRuleProblems(rule.partitionKey, rule.rowKey, compiled.error)} (exported as stored; fix it before applying the file)`,
    );
  }
  return invalid > 0 ? EXIT.findings : EXIT.ok;
}
