import { readFile } from 'node:fs/promises';

import type { Command } from '@commander-js/extra-typings';

import { loadConfig } from '../shared/adapters/settings/config';
import { at } from '../shared/core/defined';
import { plural } from '../shared/core/plural';
import { type AlertRule, compileRule, formatRuleProblems } from '../shared/core/rules/alertRule';
import { formatRuleProblem } from '../shared/core/rules/formatRuleProblem';
import { type BackTest, type BackTestTotals, countedOf, planBackTest, runBackTest } from './backTestRun';
import { localSources, storageSources } from './backTestSources';
import type { CliContext } from './cliContext';
import type { CliIo } from './cliIo';
import { cliRuleStore, cliStorage } from './cliSettings';
import type { CommandSite } from './commandSite';
import { EXIT } from './exitCodes';
import {
  parseSuccessorFormat,
  parseTelemetryType,
  parseWorkspaceTable,
  type Placement,
  UsageError,
} from './localExportFiles';
import { formatRuleFileProblem, readRuleFile } from './ruleFile';

/** `export-alerts rules test` */
export function registerRulesTest(rules: Command, { ctx, run }: CommandSite): void {
  const command = rules
    .command('test')
    .summary('back-test a query, a stored rule or a rules file on export data')
    .description(
      'Back-tests a query (classic or workspace schema), a stored rule or a file of rules against local ' +
        'export files or folders, or against the blobs of a container in storage (EXPORT_STORAGE, else ' +
        'AzureWebJobsStorage, or --connection): the Continuous Export container, or a successor one ' +
        '(insights-logs-apprequests, am-apprequests). Prints the matching records, a count per blob and a ' +
        'summary. Local successor files are placed by their path below a folder named like the container, ' +
        'else by --table (and --format).\n\n' +
        "A rules file (--file) is a JSON array of rule entities with the rules table's property names (Query, " +
        'Recipients, Severity, Threshold, WindowMinutes, GroupBy, ThrottleMinutes, MaxEvents, Columns, Subject, ' +
        'Enabled; PartitionKey, the scope, defaults to *; RowKey, the id, to the position, 1 for the first). ' +
        'Every problem of the file is reported with its line; the valid rules still run (exit 1), enabled ones only.\n\n' +
        'A stored rule (--id) and the rules of a file run where the functions would run them: on the blobs ' +
        'and records of their table and scope (PartitionKey): a Continuous Export blob by its folder ' +
        '<app>_<ikey> or app name, a diagnostic-settings or data-export record by its own resource. The ' +
        'summary says how many blobs (or records) of other scopes were skipped; --any-scope runs the rules on ' +
        'them too. A --query has no scope: it runs on every app, unless --scope gives it one.\n\n' +
        'Files that are not export files are skipped with one line each. The first 20 malformed rows are ' +
        'printed, the others counted; any malformed row makes the exit code 1. Rows no rule could match are ' +
        'skipped unread, as the functions skip them (RULES_PREFILTER=off turns that off), so a malformed one ' +
        'among them is not reported; --validate parses and reports every row. Progress goes to stderr: a bar ' +
        'on a terminal, else a line every few seconds.',
    )
    .argument('[paths...]', 'export files or folders (or --container)')
    .option(
      '--query <kql>',
      "a query to test, e.g. 'requests | where toint(resultCode) >= 500'; on every app's data unless --scope is given",
    )
    .option('--id <id>', 'a rule of the rules table, by id, run on its scope as deployed')
    .option(
      '--scope <scope>',
      'with --id: the rule’s scope, when the id exists in several; with --query: run it as a rule of this scope ' +
        '(<app>_<ikey>, an app name, or a resource id) would run',
    )
    .option(
      '--any-scope',
      'with --id or --file: run the rules on the blobs and records of every scope, not only theirs',
    )
    .option('--file <rules.json>', 'a rules file: every enabled rule on its table and scope, counts per rule')
    .option('--type <type>', 'telemetry type of Continuous Export files outside the layout (Requests, ...)')
    .option('--table <table>', 'workspace table of successor-format files outside the layouts (AppRequests, ...)')
    .option('--format <format>', 'diagnosticSettings or dataExport, with --table')
    .option('--json', 'print each matching record as one JSON line and nothing else on stdout')
    .option('--render', 'print the e-mails the rule would send, with its firing, grouping and throttling decisions')
    .option(
      '--html <dir>',
      'also write each e-mail the rule would send as an HTML file in DIR, to open in a browser (implies --render)',
    )
    .option('--validate', 'parse and report every row, skipping none')
    .option('--container <name>', 'read the blobs of this container in storage instead of local paths')
    .option('--prefix <prefix>', 'with --container: only blobs under this prefix')
    .option('--since <age>', 'with --container: only blobs of the last 7d, 12h, ...')
    .option('--connection <string>', 'storage connection string (default: EXPORT_STORAGE, else AzureWebJobsStorage)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  $ export-alerts rules test --query 'requests | where toint(resultCode) >= 500' test/fixtures/export\n" +
        '  $ export-alerts rules test --id checkout-5xx --render /tmp/export\n' +
        '  $ export-alerts rules test --id checkout-5xx --render --html /tmp/alert-emails /tmp/export\n' +
        '  $ export-alerts rules test --id checkout-5xx --any-scope test/fixtures/export\n' +
        "  $ export-alerts rules test --query 'requests | where success == false' --scope shop-prod export/\n" +
        '  $ export-alerts rules test --file rules.json --container insights-logs-apprequests --since 1d',
    );
  command.action((paths, options) => run(command, () => rulesTestCommand(paths, options, ctx)));
}

export interface RulesTestOptions {
  readonly query?: string;
  readonly id?: string;
  readonly scope?: string;
  readonly anyScope?: true;
  readonly file?: string;
  readonly type?: string;
  readonly table?: string;
  readonly format?: string;
  readonly json?: true;
  readonly render?: true;
  readonly html?: string;
  readonly validate?: true;
  readonly container?: string;
  readonly prefix?: string;
  readonly since?: string;
  readonly connection?: string;
}

/** `rules test`: runs a query, a stored rule or a file of rules over export data the way the functions do. */
export async function rulesTestCommand(
  positionals: readonly string[],
  values: RulesTestOptions,
  ctx: CliContext,
): Promise<number> {
  if (values.json && (values.render || values.html !== undefined))
    throw new UsageError(`--json and ${values.render ? '--render' : '--html'} do not go together`);
  if ([values.query, values.id, values.file].filter((v) => v !== undefined).length !== 1) {
    throw new UsageError('rules test needs --query, --id or --file (one of them)');
  }
  if (values.scope !== undefined && values.file !== undefined)
    throw new UsageError('--scope goes with --id or --query; a rules file gives each rule its PartitionKey');
  if (values.anyScope && values.query !== undefined)
    throw new UsageError('--any-scope goes with --id or --file; a --query runs on every scope unless --scope is given');
  if ((positionals.length === 0) === (values.container === undefined)) {
    throw new UsageError('rules test needs local PATHs or --container (one of them)');
  }
  const placement = placementOf(values);
  const fromFile = values.file === undefined ? undefined : await rulesOfFile(values.file, ctx.io);
  const rules = fromFile?.rules ?? (await singleRule(values.query, values.id, values.scope, values.connection, ctx));
  if (!rules) return EXIT.findings;
  if (rules.length === 0) {
    ctx.io.err(`${values.file ?? ''}: no valid rule to test`);
    return EXIT.findings;
  }
  const tests = rules.map((rule): BackTest => ({ rule, name: `${rule.scope}/${rule.id}`, records: 0, matches: 0 }));
  // The functions skip a disabled rule; a single one is tested all the same, before it is enabled.
  const running = fromFile ? tests.filter((t) => t.rule.enabled) : tests;
  const scoped = values.anyScope !== true && (values.query === undefined || values.scope !== undefined);

  const { sources, skipped: files } =
    values.container === undefined
      ? await localSources(positionals, placement)
      : {
          sources: await storageSources(values.container, values.prefix, values.since, values.connection, ctx),
          skipped: [],
        };
  for (const { file, reason } of files) ctx.io.err(`${file}: skipped: ${reason ?? 'not an export file'}`);
  const plan = planBackTest(running, sources, scoped);
  const config = loadConfig(ctx.env);
  const totals = await runBackTest(
    plan.planned,
    {
      json: values.json === true,
      render: values.render === true || values.html !== undefined,
      fromFile: fromFile !== undefined,
      prefilter: config.rulesPrefilter && values.validate !== true,
      mailFrom: config.mail.from,
      notice: config.notice,
      ...(values.html === undefined ? {} : { htmlDir: values.html }),
    },
    ctx,
  );

  const say = values.json ? ctx.io.err : ctx.io.out;
  if (fromFile) {
    const where = scoped ? 'in its scope' : 'of any scope';
    for (const { rule, name, matches, records } of tests) {
      const counted =
        totals.rowsParsed < totals.rowsSeen
          ? `${plural(matches, 'match', 'matches')} (${plural(records, 'record')} parsed ${where})`
          : `${plural(matches, 'match', 'matches')} of ${plural(records, 'record')} ${where}`;
      say(`rule ${name} (${rule.table}): ${rule.enabled ? counted : 'disabled, not run (the functions skip it)'}`);
    }
  }
  const tables = [...new Set(running.map((t) => t.rule.table))];
  const skipped = { ...plan, files: files.length };
  say(summaryOf(totals, tables, skipped, fromFile !== undefined, values.query !== undefined));
  return (fromFile !== undefined && fromFile.problems > 0) || totals.badRows > 0 ? EXIT.findings : EXIT.ok;
}

function placementOf(values: RulesTestOptions): Placement {
  const type = parseTelemetryType(values.type);
  const table = parseWorkspaceTable(values.table);
  const format = parseSuccessorFormat(values.format);
  return {
    ...(type === undefined ? {} : { type }),
    ...(table === undefined ? {} : { table }),
    ...(format === undefined ? {} : { format }),
  };
}

/**
 * `1 blob of requests, 3 records, 2 matches, 0 malformed rows, 9 blobs of other tables skipped, 1 blob
 * of other scopes skipped (--any-scope tests them too), 2 files skipped`.
 */
function summaryOf(
  totals: BackTestTotals,
  tables: readonly string[],
  skipped: { readonly otherTables: number; readonly otherScopes: number; readonly files: number },
  fromFile: boolean,
  query: boolean,
): string {
  const parts = [
    `${plural(totals.blobs, 'blob')} of ${tables.join(', ') || 'no table'}`,
    countedOf(totals),
    fromFile ? plural(totals.matches, 'rule match', 'rule matches') : plural(totals.matches, 'match', 'matches'),
    plural(totals.badRows, 'malformed row'),
  ];
  if (skipped.otherTables > 0) parts.push(`${plural(skipped.otherTables, 'blob')} of other tables skipped`);
  const scopes: string[] = [];
  if (skipped.otherScopes > 0) scopes.push(`${plural(skipped.otherScopes, 'blob')} of other scopes skipped`);
  if (totals.otherScopeRecords > 0)
    scopes.push(`${plural(totals.otherScopeRecords, 'record')} of other scopes skipped`);
  if (scopes.length > 0) {
    const hint = query ? 'without --scope the query reads them too' : '--any-scope tests them too';
    parts.push(`${scopes.join(', ')} (${hint})`);
  }
  if (skipped.files > 0) parts.push(`${plural(skipped.files, 'file')} skipped`);
  return parts.join(', ');
}

/** The valid rules of a rules file, after printing each problem of it. */
async function rulesOfFile(path: string, io: CliIo): Promise<{ rules: AlertRule[]; problems: number }> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--file ${path}: cannot read it (${(error as { code?: string }).code ?? String(error)})`);
  }
  const reading = readRuleFile(content);
  for (const problem of reading.problems) io.err(formatRuleFileProblem(path, problem));
  return { rules: reading.rules.map((r) => r.rule), problems: reading.problems.length };
}

async function singleRule(
  query: string | undefined,
  id: string | undefined,
  scope: string | undefined,
  connection: string | undefined,
  { io, env }: CliContext,
): Promise<AlertRule[] | undefined> {
  if (query !== undefined) {
    const compiled = compileRule({
      partitionKey: scope ?? 'back-test',
      rowKey: 'query',
      Query: query,
      Recipients: 'you@example.com',
    });
    if (compiled.ok) return [compiled.value];
    for (const line of compiled.error.flatMap((problem) => formatRuleProblem(problem, query))) io.err(line);
    return undefined;
  }
  const rules = (await cliRuleStore(cliStorage(connection, env)).list()).filter(
    (r) => r.rowKey === id && (scope === undefined || r.partitionKey === scope),
  );
  if (rules.length !== 1) {
    throw new UsageError(
      rules.length === 0 ? `no rule '${id}'` : `rule id '${id}' exists in several scopes: pass --scope`,
    );
  }
  const entity = at(rules, 0, 'matching rules');
  const compiled = compileRule(entity);
  if (!compiled.ok) {
    io.err(formatRuleProblems(entity.partitionKey, entity.rowKey, compiled.error));
    return undefined;
  }
  return [compiled.value];
}
