import { readFile } from 'node:fs/promises';

import type { Command } from '@commander-js/extra-typings';

import { loadConfig } from '../shared/adapters/settings/config';
import { MatchCollector } from '../shared/core/alerts/matchCollector';
import { AlertSimulator, depositTimeOf } from '../shared/core/alerts/simulateAlerts';
import { at } from '../shared/core/defined';
import type { TelemetryRecord } from '../shared/core/export/telemetryRecord';
import { boundedStringify } from '../shared/core/json/boundedStringify';
import { type AlertRule, compileRule, formatRuleProblems } from '../shared/core/rules/alertRule';
import { type BackTestSource, localSources, scopeOfRule, storageSources } from './backTestSources';
import type { CliContext } from './cliContext';
import type { CliIo } from './cliIo';
import { cliRuleStore, cliStorage } from './cliSettings';
import type { CommandSite } from './commandSite';
import { parseSuccessorFormat, parseTelemetryType, parseWorkspaceTable, UsageError } from './localExportFiles';
import { recordJson } from './recordJson';
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
        'Every problem of the file is reported with its line; the valid rules still run (exit 1), each on the ' +
        'blobs and records of its table and scope as the functions would run it, enabled ones only.\n\n' +
        'Rows no rule could match are skipped unread, as the functions skip them (RULES_PREFILTER=off turns ' +
        'that off), so a malformed one among them is not reported; --validate parses and reports every row.',
    )
    .argument('[paths...]', 'export files or folders (or --container)')
    .option('--query <kql>', "a query to test, e.g. 'requests | where toint(resultCode) >= 500'")
    .option('--id <id>', 'a rule of the rules table, by id')
    .option('--scope <scope>', 'with --id: the rule’s scope, when the id exists in several')
    .option('--file <rules.json>', 'a rules file: every enabled rule on its table and scope, counts per rule')
    .option('--type <type>', 'telemetry type of Continuous Export files outside the layout (Requests, ...)')
    .option('--table <table>', 'workspace table of successor-format files outside the layouts (AppRequests, ...)')
    .option('--format <format>', 'diagnosticSettings or dataExport, with --table')
    .option('--json', 'print each matching record as one JSON line and nothing else on stdout')
    .option('--render', 'print the e-mails the rule would send, with its firing, grouping and throttling decisions')
    .option('--validate', 'parse and report every row, skipping none')
    .option('--container <name>', 'read the blobs of this container in storage instead of local paths')
    .option('--prefix <prefix>', 'with --container: only blobs under this prefix')
    .option('--since <age>', 'with --container: only blobs of the last 7d, 12h, ...')
    .option('--connection <string>', 'storage connection string (default: EXPORT_STORAGE, else AzureWebJobsStorage)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  $ export-alerts rules test --query 'requests | where toint(resultCode) >= 500' test/fixtures/export\n" +
        '  $ export-alerts rules test --id checkout-5xx --render test/fixtures/export\n' +
        '  $ export-alerts rules test --file rules.json --container insights-logs-apprequests --since 1d',
    );
  command.action((paths, options) => run(command, () => rulesTestCommand(paths, options, ctx)));
}

export interface RulesTestOptions {
  readonly query?: string;
  readonly id?: string;
  readonly scope?: string;
  readonly file?: string;
  readonly type?: string;
  readonly table?: string;
  readonly format?: string;
  readonly json?: true;
  readonly render?: true;
  readonly validate?: true;
  readonly container?: string;
  readonly prefix?: string;
  readonly since?: string;
  readonly connection?: string;
}

/** One rule of a back-test; `scoped` when it runs only where the functions would run it (a rules file). */
interface BackTest {
  readonly rule: AlertRule;
  readonly name: string;
  readonly scoped: boolean;
  records: number;
  matches: number;
}

/** A rule on one source: which of its records the rule watches. */
interface ActiveTest {
  readonly test: BackTest;
  readonly inScope: (record: TelemetryRecord) => boolean;
}

/** `rules test`: runs a query, a stored rule or a file of rules over export data the way the functions do. */
export async function rulesTestCommand(
  positionals: readonly string[],
  values: RulesTestOptions,
  ctx: CliContext,
): Promise<number> {
  const { io } = ctx;
  if (values.json && values.render) throw new UsageError('--json and --render do not go together');
  if ([values.query, values.id, values.file].filter((v) => v !== undefined).length !== 1) {
    throw new UsageError('rules test needs --query, --id or --file (one of them)');
  }
  if (values.scope !== undefined && values.id === undefined)
    throw new UsageError('--scope goes with --id; a rules file gives each rule its PartitionKey');
  if ((positionals.length === 0) === (values.container === undefined)) {
    throw new UsageError('rules test needs local PATHs or --container (one of them)');
  }
  const fromFile = values.file === undefined ? undefined : await rulesOfFile(values.file, io);
  const rules = fromFile?.rules ?? (await singleRule(values.query, values.id, values.scope, values.connection, ctx));
  if (!rules) return 1;
  if (rules.length === 0) {
    io.err(`${values.file ?? ''}: no valid rule to test`);
    return 1;
  }
  const tests = rules.map((rule): BackTest => ({
    rule,
    name: `${rule.scope}/${rule.id}`,
    scoped: fromFile !== undefined,
    records: 0,
    matches: 0,
  }));
  const running = tests.filter((t) => !t.scoped || t.rule.enabled);

  const type = parseTelemetryType(values.type);
  const table = parseWorkspaceTable(values.table);
  const format = parseSuccessorFormat(values.format);
  const placement = {
    ...(type === undefined ? {} : { type }),
    ...(table === undefined ? {} : { table }),
    ...(format === undefined ? {} : { format }),
  };
  const sources =
    values.container === undefined
      ? await localSources(positionals, placement)
      : await storageSources(values.container, values.prefix, values.since, values.connection);
  const tables = [...new Set(running.map((t) => t.rule.table))];
  const wanted = sources.filter((s) => tables.includes(s.table));
  const say = values.json ? io.err : io.out;
  const totals = { blobs: 0, records: 0, matches: 0, badRows: 0, rowsSeen: 0, rowsParsed: 0 };
  let lastProgress = Date.now();
  const config = loadConfig(ctx.env);
  const simulator = new AlertSimulator(config.mail.from);
  const prefilter = config.rulesPrefilter && values.validate !== true;
  for (const source of wanted) {
    const active = running.flatMap((test): ActiveTest[] => {
      const inScope = test.scoped
        ? scopeOfRule(test.rule, source)
        : test.rule.table === source.table
          ? () => true
          : undefined;
      return inScope === undefined ? [] : [{ test, inScope }];
    });
    const queries = prefilter ? active.map(({ test }) => test.rule.query) : undefined;
    const records = await source.read((p) => io.err(`${source.label}:${p.line}: ${p.reason}`), queries);
    const collector = new MatchCollector(
      active.map(({ test, inScope }) => ({
        ...test.rule,
        matches: (r: TelemetryRecord) => inScope(r) && test.rule.matches(r),
      })),
      depositTimeOf(source.ref),
    );
    const perRule = new Map<BackTest, number>();
    let matches = 0;
    for await (const record of records) {
      let matched = false;
      for (const { test, inScope } of active) {
        if (!inScope(record)) continue;
        test.records++;
        if (!test.rule.matches(record)) continue;
        test.matches++;
        matches++;
        matched = true;
        perRule.set(test, (perRule.get(test) ?? 0) + 1);
        if (values.render) continue;
        if (values.json) io.out(recordJson(fromFile ? { rule: test.name, ...record.columns } : record.columns));
        else
          io.out(
            `${source.label}:${record.line ?? '?'}\t${fromFile ? `${test.name}\t` : ''}${describe(record, test.rule)}`,
          );
      }
      if (matched && values.render) collector.add(record);
    }
    if (values.render) {
      for (const bucket of collector.all()) renderDecision(simulator, bucket, source, io, fromFile !== undefined);
    }
    totals.blobs++;
    totals.records += records.stats.records;
    totals.badRows += records.stats.badRows;
    totals.matches += matches;
    totals.rowsSeen += records.stats.rowsSeen;
    totals.rowsParsed += records.stats.rowsParsed;
    const breakdown =
      fromFile && perRule.size > 0 ? ` (${[...perRule].map(([t, n]) => `${t.name} ${n}`).join(', ')})` : '';
    // With several rules one record can match more than once: a file counts rule matches.
    const of = countedOf(records.stats);
    say(
      fromFile
        ? `${source.label}: ${of}, ${matches} rule matches${breakdown}`
        : `${source.label}: ${matches} matches of ${of}`,
    );
    if (Date.now() - lastProgress > 2000) {
      io.err(`… ${totals.blobs}/${wanted.length} blobs, ${totals.matches} matches so far`);
      lastProgress = Date.now();
    }
  }
  if (fromFile) {
    for (const test of tests) {
      const { rule } = test;
      const counted =
        totals.rowsParsed < totals.rowsSeen
          ? `${test.matches} matches (${test.records} records parsed in its scope)`
          : `${test.matches} matches of ${test.records} records in its scope`;
      say(`rule ${test.name} (${rule.table}): ${rule.enabled ? counted : 'disabled, not run (the functions skip it)'}`);
    }
  }
  const skipped = sources.length - wanted.length;
  say(
    `${totals.blobs} blobs of ${tables.join(', ') || 'no table'}, ${countedOf(totals)}, ${totals.matches} ${fromFile ? 'rule matches' : 'matches'}, ` +
      `${totals.badRows} malformed rows${skipped > 0 ? `, ${skipped} blobs of other tables skipped` : ''}`,
  );
  return fromFile !== undefined && fromFile.problems > 0 ? 1 : 0;
}

/**
 * What a back-test went through: its records, or when the prefilter skipped rows, which were never
 * records, the rows seen and parsed.
 */
function countedOf(s: { readonly rowsSeen: number; readonly rowsParsed: number; readonly records: number }): string {
  return s.rowsParsed < s.rowsSeen
    ? `${s.rowsSeen} rows (${s.rowsParsed} parsed, the others no rule could match; --validate reads every row)`
    : `${s.records} records`;
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
      partitionKey: 'back-test',
      rowKey: 'query',
      Query: query,
      Recipients: 'you@example.com',
    });
    if (compiled.ok) return [compiled.value];
    for (const problem of compiled.error) io.err(`query ${problem.message}`);
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

/** The columns a person checks a match by: its time and the columns the query tested. */
function describe(record: TelemetryRecord, rule: AlertRule): string {
  const parts: string[] = [];
  const timestamp = record.columns['timestamp'];
  if (timestamp instanceof Date) parts.push(timestamp.toISOString());
  for (const column of rule.columnsUsed) {
    if (column === 'timestamp') continue;
    const value = record.columns[column];
    parts.push(
      `${column}=${value === undefined ? '(none)' : typeof value === 'string' ? value : boundedStringify(value, { maxChars: 300 })}`,
    );
  }
  return parts.join('\t');
}

function renderDecision(
  simulator: AlertSimulator,
  bucket: Parameters<AlertSimulator['apply']>[0],
  source: BackTestSource,
  io: CliIo,
  nameRule: boolean,
): void {
  const decision = simulator.apply(bucket, { ref: source.ref, etag: 'back-test' });
  io.out(
    `== ${source.label}${nameRule ? ` ${decision.rule}` : ''} [${decision.group}]: ${decision.decision}: ${decision.reason}`,
  );
  if (!decision.email) return;
  io.out(`To: ${decision.email.to.join(', ')}`);
  io.out(`Subject: ${decision.email.subject}`);
  io.out('');
  io.out(decision.email.text);
}
