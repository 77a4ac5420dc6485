import type { Command, CommandUnknownOpts } from '@commander-js/extra-typings';

import type { RuleStore } from '../shared/adapters/storage/tableRuleStore';
import { plural } from '../shared/core/plural';
import { compileRule, type RuleEntity } from '../shared/core/rules/alertRule';
import { formatRuleProblem } from '../shared/core/rules/formatRuleProblem';
import type { CliContext } from './cliContext';
import { cliRuleStore, cliStorage } from './cliSettings';
import type { CommandSite } from './commandSite';
import { parseMinutes } from './durationOption';
import { UsageError } from './localExportFiles';
import { ruleMuteLines } from './ruleMuteView';
import { effectiveRule, formatEffectiveRule, formatRuleViewProblems } from './ruleView';
import { formatTable } from './textTable';

export const CONNECTION_HELP = 'storage connection string (default: ALERT_RULES_STORAGE, else AzureWebJobsStorage)';

/** `rules add`, `list`, `validate`, `show`, `remove`, `enable`, `disable`. */
export function registerRuleCommands(rules: Command, { ctx, run }: CommandSite): void {
  const add = rules
    .command('add')
    .summary('validate a rule and write it to the rules table')
    .description(
      'Validates the rule and writes it to the rules table; writes nothing when it is invalid, and refuses ' +
        'an id that exists in the scope unless --replace (which replaces the whole rule: properties not ' +
        'given fall back to their defaults).',
    )
    .requiredOption('--scope <scope>', "where the rule applies: the export folder '<app>_<ikey>', the app name, or '*'")
    .requiredOption('--id <id>', 'rule id, unique in its scope')
    .requiredOption('--query <kql>', 'KQL: <table> | where <predicate> (classic or workspace schema)')
    .requiredOption('--to <addresses>', "e-mail recipients, separated by ',' or ';'")
    .option('--severity <n>', '0 critical … 4 verbose (default 2)')
    .option('--threshold <n>', 'matches needed to fire, weighed by itemCount (default 1)')
    .option('--window <duration>', 'window of event time for the threshold: 10m, 2h, 1d (default 0: per blob)')
    .option('--group-by <columns>', 'columns to count, fire and throttle by, e.g. cloud_RoleName (default: none)')
    .option('--throttle <duration>', 'after firing, stay quiet this long per group (default 15m)')
    .option('--max-events <n>', 'matching events listed in one e-mail (default 20, at most 500)')
    .option('--columns <columns>', "columns shown per event (default: the table's)")
    .option(
      '--subject <template>',
      'subject template: {rule} {scope} {severity} {count} {table} {app} {from} {to} {group}',
    )
    .option('--disabled', 'write the rule disabled')
    .option('--replace', 'replace a rule with the same scope and id')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  $ export-alerts rules add --scope shopfront-prod --id checkout-5xx \\\n' +
        '      --query \'requests | where toint(resultCode) >= 500 and name has "checkout"\' \\\n' +
        '      --to ops@example.com --severity 1 --threshold 5 --window 10m',
    );
  withNotificationFlags(add, (fallback) => `(default: ${fallback})`);
  add.action((options) => run(add, () => addRule(options, ctx)));

  const list = rules
    .command('list')
    .summary('list every rule with its validity')
    .description('Lists every rule of the rules table: scope, id, enabled, valid or its problems, table and query.')
    .option('--scope <scope>', 'only the rules of this scope')
    .option('--json', 'print a JSON array of the rules, with their effective values and problems')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText(
      'after',
      "\nExamples:\n  $ export-alerts rules list\n  $ export-alerts rules list --json | jq '.[] | select(.valid | not)'",
    );
  list.action((options) => run(list, () => listRules(options, ctx)));

  const validate = rules
    .command('validate')
    .summary('check every rule; exit 1 when any is invalid')
    .description(
      'Compiles every rule of the rules table and prints each problem with its position; exit 1 when any is invalid.',
    )
    .option('--scope <scope>', 'only the rules of this scope')
    .option('--json', 'print a JSON array of the invalid rules and their problems')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText('after', '\nExample:\n  $ export-alerts rules validate || echo "fix the rules above"');
  validate.action((options) => run(validate, () => validateRules(options, ctx)));

  const show = rules
    .command('show')
    .summary("print a rule's effective settings, defaults marked")
    .description("Prints one rule: every setting as the functions apply it, with '(default)' where the rule sets none.")
    .argument('<id>', 'rule id')
    .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
    .option('--json', 'print the rule as JSON')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText('after', '\nExample:\n  $ export-alerts rules show checkout-5xx --scope shopfront-prod');
  show.action((id, options) => run(show, () => showRule(id, options, ctx)));

  const remove = rules
    .command('remove')
    .summary('delete a rule')
    .argument('<id>', 'rule id')
    .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText('after', '\nExample:\n  $ export-alerts rules remove checkout-5xx --scope shopfront-prod');
  remove.action((id, options) => run(remove, () => removeRule(id, options, ctx)));

  for (const enabled of [true, false]) {
    const name = enabled ? 'enable' : 'disable';
    const toggle = rules
      .command(name)
      .summary(enabled ? 'turn a rule on' : 'turn a rule off (it stays in the table)')
      .argument('<id>', 'rule id')
      .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
      .option('--connection <string>', CONNECTION_HELP)
      .addHelpText('after', `\nExample:\n  $ export-alerts rules ${name} checkout-5xx`);
    toggle.action((id, options) => run(toggle, () => setEnabled(id, options, enabled, ctx)));
  }
}

/** Table Storage forbids these in PartitionKey and RowKey. */
const KEY_CHARACTERS = /^[^/\\#?\u0000-\u001f\u007f-\u009f]{1,512}$/;

/** The flags `rules add` and `rules update` share, each standing for one rule property. */
export interface RuleSettingFlags {
  readonly query?: string;
  readonly to?: string;
  readonly severity?: string;
  readonly threshold?: string;
  readonly window?: string;
  readonly groupBy?: string;
  readonly throttle?: string;
  readonly maxEvents?: string;
  readonly columns?: string;
  readonly subject?: string;
  readonly notify?: string;
  readonly notifyResolved?: string;
  readonly muteUntil?: string;
  readonly muteSchedule?: string;
  readonly muteMinutes?: string;
  readonly timeZone?: string;
  readonly resourceId?: string;
  readonly connection?: string;
}

/** The notification flags of `rules add` and `rules update`, with `what` appended to each meaning. */
export function withNotificationFlags(command: CommandUnknownOpts, what: (fallback: string) => string): void {
  command
    .option(
      '--notify <channels>',
      `channels besides e-mail: teams:NAME, slack:NAME, webhook:NAME, comma-separated (URL from the setting TEAMS_WEBHOOK_NAME, …) ${what('none')}`,
    )
    .option(
      '--notify-resolved <bool>',
      `true or false: a RESOLVED notice when a windowed alert is over ${what('true with --window')}`,
    )
    .option(
      '--mute-until <time>',
      `muted until this UTC time (2024-03-05T18:00): matches counted, not sent ${what('not muted')}`,
    )
    .option(
      '--mute-schedule <ncrontab>',
      `recurring quiet time: when each starts, six NCRONTAB fields ('0 0 22 * * Fri') ${what('none')}`,
    )
    .option('--mute-minutes <n>', `how long each quiet time of --mute-schedule lasts ${what('none')}`)
    .option('--time-zone <zone>', `IANA zone --mute-schedule is read in (Europe/Berlin) ${what('UTC')}`)
    .option(
      '--resource-id <id>',
      `the Application Insights resource id, for links in the e-mail ${what('from the telemetry or settings')}`,
    );
}

export interface AddOptions extends RuleSettingFlags {
  readonly scope: string;
  readonly id: string;
  readonly query: string;
  readonly to: string;
  readonly disabled?: true;
  readonly replace?: true;
}

async function addRule(values: AddOptions, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  for (const key of ['scope', 'id'] as const) {
    if (!KEY_CHARACTERS.test(values[key])) {
      throw new UsageError(`--${key} may not contain / \\ # ? or control characters (Table Storage keys)`);
    }
  }
  const entity: RuleEntity = withoutUndefined({
    partitionKey: values.scope,
    rowKey: values.id,
    Query: values.query,
    Recipients: values.to,
    Enabled: !values.disabled,
    Severity: numberOption(values.severity),
    Threshold: numberOption(values.threshold),
    WindowMinutes: values.window === undefined ? undefined : parseMinutes('--window', values.window),
    GroupBy: values.groupBy,
    ThrottleMinutes: values.throttle === undefined ? undefined : parseMinutes('--throttle', values.throttle),
    MaxEvents: numberOption(values.maxEvents),
    Columns: values.columns,
    Subject: values.subject,
    Notify: values.notify,
    NotifyResolved: values.notifyResolved,
    MuteUntil: values.muteUntil,
    MuteSchedule: values.muteSchedule,
    MuteMinutes: numberOption(values.muteMinutes),
    TimeZone: values.timeZone,
    ResourceId: values.resourceId,
  });
  const compiled = compileRule(entity);
  if (!compiled.ok) {
    for (const problem of compiled.error) {
      for (const line of formatRuleProblem(problem, values.query, { scope: entity.partitionKey, id: entity.rowKey }))
        io.err(line);
    }
    io.err('nothing was written');
    return 1;
  }
  const store = cliRuleStore(cliStorage(values.connection, ctx.env));
  const existing = await store.get(entity.partitionKey, entity.rowKey);
  if (existing !== undefined && !values.replace) {
    io.err(
      `rule ${entity.partitionKey}/${entity.rowKey} exists: pass --replace to replace it whole, or use 'rules update' to change some properties; nothing was written`,
    );
    return 1;
  }
  await store.put({ ...entity, LastError: '' });
  io.out(
    `${existing === undefined ? 'added' : 'replaced'} rule ${entity.partitionKey}/${entity.rowKey} (${compiled.value.table}, ${plural(compiled.value.recipients.length, 'recipient')})`,
  );
  return 0;
}

interface ListOptions {
  readonly scope?: string;
  readonly json?: true;
  readonly connection?: string;
}

async function listRules(values: ListOptions, ctx: CliContext): Promise<number> {
  const rules = await rulesOf(values, ctx);
  const views = rules.map((entity) => effectiveRule(entity));
  if (values.json) {
    ctx.io.out(JSON.stringify(views, null, 2));
    return 0;
  }
  if (rules.length === 0) {
    ctx.io.out(values.scope === undefined ? 'no rules' : `no rules in scope '${values.scope}'`);
    return 0;
  }
  const rows = views.map((view) => [
    `${view.scope}/${view.id}`,
    view.enabled ? 'enabled' : 'disabled',
    view.valid ? 'valid' : 'INVALID',
    view.table ?? '-',
    view.valid ? oneLine(view.query) : view.problems.map((p) => p.text).join('; '),
  ]);
  for (const line of formatTable(['RULE', 'STATE', 'STATUS', 'TABLE', 'QUERY / PROBLEMS'], rows)) ctx.io.out(line);
  const invalid = views.filter((v) => !v.valid).length;
  ctx.io.out(`${plural(rules.length, 'rule')}, ${invalid} invalid`);
  return 0;
}

async function validateRules(values: ListOptions, ctx: CliContext): Promise<number> {
  const rules = await rulesOf(values, ctx);
  const views = rules.map((entity) => effectiveRule(entity));
  const invalid = views.filter((view) => !view.valid);
  if (values.json) ctx.io.out(JSON.stringify(invalid, null, 2));
  else {
    for (const view of invalid) {
      for (const line of formatRuleViewProblems(view)) ctx.io.out(line);
    }
    ctx.io.out(`${plural(rules.length, 'rule')}, ${rules.length - invalid.length} valid, ${invalid.length} invalid`);
  }
  return invalid.length > 0 ? 1 : 0;
}

interface FindOptions {
  readonly scope?: string;
  readonly connection?: string;
}

async function showRule(id: string, values: FindOptions & { readonly json?: true }, ctx: CliContext): Promise<number> {
  const { entity } = await findRule(id, values, ctx);
  const view = effectiveRule(entity);
  const mute = await ruleMuteLines(entity, values.connection, ctx);
  if (values.json) ctx.io.out(JSON.stringify({ ...view, mute: mute.json }, null, 2));
  else for (const line of [...formatEffectiveRule(view), ...mute.lines]) ctx.io.out(line);
  return view.valid ? 0 : 1;
}

async function removeRule(id: string, values: FindOptions, ctx: CliContext): Promise<number> {
  const { store, entity } = await findRule(id, values, ctx);
  await store.remove(entity.partitionKey, entity.rowKey);
  ctx.io.out(`removed rule ${entity.partitionKey}/${entity.rowKey}`);
  return 0;
}

async function setEnabled(id: string, values: FindOptions, enabled: boolean, ctx: CliContext): Promise<number> {
  const { store, entity } = await findRule(id, values, ctx);
  await store.put({ ...entity, Enabled: enabled });
  ctx.io.out(`${enabled ? 'enabled' : 'disabled'} rule ${entity.partitionKey}/${entity.rowKey}`);
  return 0;
}

async function rulesOf(values: ListOptions, ctx: CliContext): Promise<RuleEntity[]> {
  const rules = await cliRuleStore(cliStorage(values.connection, ctx.env)).list();
  return sortRules(rules.filter((r) => values.scope === undefined || r.partitionKey === values.scope));
}

/** A rule by id; ids are unique within a scope only, so an id used in several scopes needs --scope. */
export async function findRule(
  id: string,
  values: FindOptions,
  ctx: CliContext,
): Promise<{ store: RuleStore; entity: RuleEntity }> {
  const store = cliRuleStore(cliStorage(values.connection, ctx.env));
  const candidates = (await store.list()).filter(
    (r) => r.rowKey === id && (values.scope === undefined || r.partitionKey === values.scope),
  );
  const [entity] = candidates;
  if (entity === undefined)
    throw new UsageError(`no rule '${id}'${values.scope === undefined ? '' : ` in scope '${values.scope}'`}`);
  if (candidates.length > 1) {
    throw new UsageError(
      `rule id '${id}' exists in scopes ${candidates.map((c) => `'${c.partitionKey}'`).join(', ')}: pass --scope`,
    );
  }
  return { store, entity };
}

export function sortRules(rules: readonly RuleEntity[]): RuleEntity[] {
  return [...rules].sort((a, b) => a.partitionKey.localeCompare(b.partitionKey) || a.rowKey.localeCompare(b.rowKey));
}

/** A number option as the table would store it; what it must be is the rule's validation to say. */
export function numberOption(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
