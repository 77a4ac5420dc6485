import { type Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';

import { plural } from '../shared/core/plural';
import { compileRule, formatRuleProblems, type RuleEntity } from '../shared/core/rules/alertRule';
import { diffRule, normalizeRule, RULE_PROPERTIES, type RuleProperty } from '../shared/core/rules/rulePlan';
import type { CliContext } from './cliContext';
import type { CommandSite } from './commandSite';
import { parseMinutes } from './durationOption';
import { EXIT } from './exitCodes';
import { UsageError } from './localExportFiles';
import { formatPlanStep } from './rulePlanView';
import { CONNECTION_HELP, findRule, numberOption, type RuleSettingFlags, withNotificationFlags } from './rulesCommand';

/** What `--unset` takes: the properties a rule may leave out. Query and Recipients are required. */
const OPTIONAL_PROPERTIES = RULE_PROPERTIES.filter((p) => p !== 'Query' && p !== 'Recipients');

/** `export-alerts rules update ID --threshold 5 …`: some properties of a rule changed, the others kept. */
export function registerRulesUpdate(rules: Command, { ctx, run }: CommandSite): void {
  const update = rules
    .command('update')
    .summary('change some properties of a rule, keeping the others')
    .description(
      "Changes the properties named and keeps every other one as stored. An empty value (--group-by '') " +
        'or --unset removes an optional property, so its default applies. The result is validated, and ' +
        'written only when valid and only if nobody changed the rule since it was read; the changes are ' +
        'printed as old → new.',
    )
    .argument('<id>', 'rule id')
    .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
    .option('--query <kql>', 'KQL: <table> | where <predicate> (default: unchanged)')
    .option('--to <addresses>', "e-mail recipients, separated by ',' or ';' (default: unchanged)")
    .option('--severity <n>', "0 critical … 4 verbose; '' for the default, 2 (default: unchanged)")
    .option('--threshold <n>', "matches needed to fire; '' for the default, 1 (default: unchanged)")
    .option(
      '--window <duration>',
      "window of event time: 10m, 2h, 1d; '' for the default, 0: per blob (default: unchanged)",
    )
    .option('--group-by <columns>', "columns to count, fire and throttle by; '' for none (default: unchanged)")
    .option('--throttle <duration>', "quiet time after firing, per group; '' for the default, 15m (default: unchanged)")
    .option('--max-events <n>', "matching events listed in one e-mail; '' for the default, 20 (default: unchanged)")
    .option('--columns <columns>', "columns shown per event; '' for the table's (default: unchanged)")
    .option(
      '--subject <template>',
      "subject template ({rule} {count} {group} …); '' for the default (default: unchanged)",
    )
    .option('--enable', 'turn the rule on (default: unchanged)')
    .addOption(new Option('--disable', 'turn the rule off (default: unchanged)').conflicts('enable'))
    .option(
      '--unset <property>',
      `remove a property so its default applies; repeatable: ${OPTIONAL_PROPERTIES.join(', ')}`,
      collectProperty,
    )
    .option('--connection <string>', CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ export-alerts rules update checkout-5xx --scope shop-prod --threshold 5 --window 10m\n' +
        "  $ export-alerts rules update checkout-5xx --group-by '' --disable\n" +
        '  $ export-alerts rules update checkout-5xx --unset Subject --unset MaxEvents',
    );
  withNotificationFlags(update, (fallback) => `; '' for the default, ${fallback} (default: unchanged)`);
  update.action((id, options) => run(update, () => updateRule(id, options, ctx)));
}

function collectProperty(value: string, previous: RuleProperty[] = []): RuleProperty[] {
  const property = OPTIONAL_PROPERTIES.find((p) => p.toLowerCase() === value.trim().toLowerCase());
  if (property === undefined) throw new InvalidArgumentError(`expected one of ${OPTIONAL_PROPERTIES.join(', ')}.`);
  return [...previous, property];
}

interface UpdateOptions extends RuleSettingFlags {
  readonly scope?: string;
  readonly enable?: true;
  readonly disable?: true;
  readonly unset?: RuleProperty[];
}

async function updateRule(id: string, values: UpdateOptions, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const settings = settingsOf(values);
  const { store, entity } = await findRule(id, values, ctx);
  const { etag, ...stored } = entity;
  const properties: Record<string, unknown> = { ...stored };
  for (const [property, value] of settings) {
    if (value === undefined) delete properties[property];
    else properties[property] = value;
  }
  const updated = properties as unknown as RuleEntity;
  const name = `${entity.partitionKey}/${entity.rowKey}`;
  const compiled = compileRule(updated);
  if (!compiled.ok) {
    io.err(formatRuleProblems(entity.partitionKey, entity.rowKey, compiled.error));
    io.err('nothing was written');
    return EXIT.findings;
  }
  const changes = diffRule(normalizeRule(entity), normalizeRule(updated));
  if (changes.length === 0) {
    io.out(`rule ${name} already has these values: nothing was written`);
    return EXIT.ok;
  }
  if (!(await store.putIfUnchanged({ ...updated, LastError: '' }, etag))) {
    io.err(
      `rule ${name} was changed or removed in the table after it was read: nothing was written; run the update again`,
    );
    return EXIT.findings;
  }
  for (const line of formatPlanStep({ action: 'change', scope: entity.partitionKey, id: entity.rowKey, changes }))
    io.out(line);
  io.out(`updated rule ${name} (${plural(changes.length, 'property', 'properties')} changed)`);
  return EXIT.ok;
}

/** The properties the options name, each with its new value; undefined removes it. */
function settingsOf(values: UpdateOptions): Map<RuleProperty, unknown> {
  const settings = new Map<RuleProperty, unknown>();
  const set = (property: RuleProperty, value: string | undefined, convert: (value: string) => unknown): void => {
    if (value !== undefined) settings.set(property, value.trim() === '' ? undefined : convert(value));
  };
  const text = (value: string): string => value;
  set('Query', values.query, text);
  set('Recipients', values.to, text);
  set('Severity', values.severity, numberOption);
  set('Threshold', values.threshold, numberOption);
  set('WindowMinutes', values.window, (v) => parseMinutes('--window', v));
  set('GroupBy', values.groupBy, text);
  set('ThrottleMinutes', values.throttle, (v) => parseMinutes('--throttle', v));
  set('MaxEvents', values.maxEvents, numberOption);
  set('Columns', values.columns, text);
  set('Subject', values.subject, text);
  set('Notify', values.notify, text);
  set('NotifyResolved', values.notifyResolved, text);
  set('MuteUntil', values.muteUntil, text);
  set('MuteSchedule', values.muteSchedule, text);
  set('MuteMinutes', values.muteMinutes, numberOption);
  set('TimeZone', values.timeZone, text);
  set('ResourceId', values.resourceId, text);
  if (values.enable) settings.set('Enabled', true);
  if (values.disable) settings.set('Enabled', false);
  for (const property of values.unset ?? []) {
    if (settings.get(property) !== undefined)
      throw new UsageError(`--unset ${property} and a new value for it: give one or the other`);
    settings.set(property, undefined);
  }
  if (settings.size === 0) {
    throw new UsageError(
      'nothing to update: name a property to change, e.g. --threshold 5, --disable or --unset GroupBy',
    );
  }
  return settings;
}
