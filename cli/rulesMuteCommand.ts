import type { Command } from '@commander-js/extra-typings';

import { tableClientFrom } from '../shared/adapters/storage/clients';
import { TableAlertBook } from '../shared/adapters/storage/tableAlertBook';
import { EMPTY_STATE } from '../shared/core/alerts/alertState';
import { groupKeyOf, OVERFLOW_GROUP } from '../shared/core/alerts/matchCollector';
import { MAX_GROUP_MUTE_DAYS } from '../shared/core/alerts/muting';
import { type AlertRule, compileRule, type RuleEntity } from '../shared/core/rules/alertRule';
import { groupLabel } from '../shared/core/status/alertLine';
import { formatUtc } from '../shared/core/status/utcTime';
import { alertBookStorage, HOST_CONNECTION_HELP } from './alertBookStorage';
import type { CliContext } from './cliContext';
import type { CommandSite } from './commandSite';
import { parseMinutes } from './durationOption';
import { EXIT } from './exitCodes';
import { UsageError } from './localExportFiles';
import { findRule } from './rulesCommand';

const GROUP_HELP =
  "only this GroupBy value, as 'rules status' shows it: the value (one GroupBy column) or col=value, col2=value2";

/**
 * `export-alerts rules mute ID --for 2h [--group VALUE]` and `rules unmute ID [--group VALUE]`. A rule's
 * mute is its MuteUntil, written through the rules table on the ETag read; a group's lives in that
 * group's alert state, written in the state's own conditional transaction (issue 15 §3).
 */
export function registerRulesMute(rules: Command, { ctx, run }: CommandSite): void {
  const mute = rules
    .command('mute')
    .summary("hold a rule's e-mails (or one group's) for a while: matches are counted, not sent")
    .description(
      'While muted, matches are counted and not e-mailed; the next e-mail says how many were held. Without ' +
        '--group it sets the rule’s MuteUntil (the functions see it within RULES_CACHE_SECONDS), written only if ' +
        'nobody changed the rule since it was read. With --group it mutes that GroupBy value alone (at most ' +
        `${MAX_GROUP_MUTE_DAYS} days), in the group's alert state in AzureWebJobsStorage. A RESOLVED notice due ` +
        'while muted waits for the mute to end.',
    )
    .argument('<id>', 'rule id')
    .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
    .requiredOption('--for <duration>', 'how long, from now: 30m, 2h, 1d')
    .option('--group <value>', GROUP_HELP)
    .option('--connection <string>', HOST_CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts rules mute checkout-5xx --scope shop-prod --for 2h\n' +
        '  $ export-alerts rules mute checkout-5xx --for 30m --group Contoso.Api',
    );
  mute.action((id, options) => run(mute, () => muteRule(id, options, ctx)));

  const unmute = rules
    .command('unmute')
    .summary('end a mute set with rules mute (the rule’s MuteUntil, or one group’s)')
    .description(
      'Removes the rule’s MuteUntil (written only if nobody changed the rule since it was read), or with ' +
        '--group that group’s own mute. Quiet times of MuteSchedule keep applying: remove them with ' +
        "'rules update ID --unset MuteSchedule --unset MuteMinutes'.",
    )
    .argument('<id>', 'rule id')
    .option('--scope <scope>', 'the rule’s scope, when the id exists in several')
    .option('--group <value>', GROUP_HELP)
    .option('--connection <string>', HOST_CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts rules unmute checkout-5xx --scope shop-prod\n' +
        '  $ export-alerts rules unmute checkout-5xx --group Contoso.Api',
    );
  unmute.action((id, options) => run(unmute, () => unmuteRule(id, options, ctx)));
}

interface MuteOptions {
  readonly scope?: string;
  readonly for: string;
  readonly group?: string;
  readonly connection?: string;
}

interface UnmuteOptions {
  readonly scope?: string;
  readonly group?: string;
  readonly connection?: string;
}

async function muteRule(id: string, values: MuteOptions, ctx: CliContext): Promise<number> {
  const minutes = parseMinutes('--for', values.for);
  if (minutes <= 0)
    throw new UsageError(`--for takes a duration above zero, such as 30m, 2h or 1d, found '${values.for}'`);
  if (values.group !== undefined && minutes > MAX_GROUP_MUTE_DAYS * 1440) {
    throw new UsageError(
      `--for with --group takes at most ${MAX_GROUP_MUTE_DAYS}d (a group idle for 15 days loses its state, mute and all); mute the whole rule for longer`,
    );
  }
  const now = ctx.now().getTime();
  const until = now + minutes * 60_000;
  const { store, entity } = await findRule(id, values, ctx);
  const name = `${entity.partitionKey}/${entity.rowKey}`;
  if (values.group === undefined) {
    const { etag, ...stored } = entity;
    if (!(await store.putIfUnchanged({ ...stored, MuteUntil: new Date(until).toISOString() }, etag)))
      return changedMeanwhile(name, ctx);
    ctx.io.out(
      `muted rule ${name} until ${formatUtc(until)} (${values.for}): matches are counted, not sent; the next e-mail says how many were held`,
    );
    return EXIT.ok;
  }
  const { book, groupKey } = groupOf(entity, values, ctx);
  await book.changeState(name, groupKey, (state) => ({ state: { ...(state ?? EMPTY_STATE), muteUntil: until } }), now);
  ctx.io.out(
    `muted group ${groupLabel(groupKey)} of rule ${name} until ${formatUtc(until)} (${values.for}): its matches are counted, not sent; the next e-mail says how many were held`,
  );
  return EXIT.ok;
}

async function unmuteRule(id: string, values: UnmuteOptions, ctx: CliContext): Promise<number> {
  const now = ctx.now().getTime();
  const { store, entity } = await findRule(id, values, ctx);
  const name = `${entity.partitionKey}/${entity.rowKey}`;
  if (values.group === undefined) {
    const { etag, MuteUntil: muteUntil, ...stored } = entity;
    const schedule =
      typeof entity.MuteSchedule === 'string' && entity.MuteSchedule.trim() !== ''
        ? `; its MuteSchedule quiet times still apply ('rules update ${entity.rowKey} --unset MuteSchedule --unset MuteMinutes' ends them)`
        : '';
    if (muteUntil === undefined || muteUntil === '') {
      ctx.io.out(`rule ${name} has no MuteUntil: nothing was written${schedule}`);
      return EXIT.ok;
    }
    if (!(await store.putIfUnchanged(stored, etag))) return changedMeanwhile(name, ctx);
    ctx.io.out(`unmuted rule ${name} (MuteUntil removed)${schedule}`);
    return EXIT.ok;
  }
  const { book, groupKey } = groupOf(entity, values, ctx);
  const written = await book.changeState(
    name,
    groupKey,
    (state) => {
      if (state?.muteUntil === undefined) return undefined;
      const { muteUntil: _muteUntil, ...rest } = state;
      return { state: rest };
    },
    now,
  );
  ctx.io.out(
    written === undefined
      ? `group ${groupLabel(groupKey)} of rule ${name} has no mute of its own: nothing was written`
      : `unmuted group ${groupLabel(groupKey)} of rule ${name}`,
  );
  return EXIT.ok;
}

function changedMeanwhile(name: string, ctx: CliContext): number {
  ctx.io.err(`rule ${name} was changed or removed in the table after it was read: nothing was written; run it again`);
  return EXIT.findings;
}

/** The alert book and the key of the group `--group` names, for a rule that groups. */
function groupOf(
  entity: RuleEntity,
  values: { readonly group?: string; readonly connection?: string },
  ctx: CliContext,
): { book: TableAlertBook; groupKey: string } {
  const name = `${entity.partitionKey}/${entity.rowKey}`;
  const compiled = compileRule(entity);
  if (!compiled.ok)
    throw new UsageError(`rule ${name} is invalid, so its groups are unknown: fix it first (rules validate)`);
  const groupKey = groupKeyFor(compiled.value, values.group ?? '');
  const storage = alertBookStorage(values.connection, ctx.env);
  return { book: new TableAlertBook(tableClientFrom(storage.connection, storage.config.stateTable)), groupKey };
}

/**
 * The stored key of the group `--group` names: the value alone for a rule with one GroupBy column
 * (`col=value` too), else every column as `rules status` shows it, `col=value, col2=value2`.
 * @throws UsageError for a rule without GroupBy, or text that names its columns otherwise
 */
export function groupKeyFor(rule: Pick<AlertRule, 'scope' | 'id' | 'groupBy'>, text: string): string {
  const columns = rule.groupBy.map((path) => path.text);
  if (columns.length === 0)
    throw new UsageError(`rule ${rule.scope}/${rule.id} has no GroupBy: mute the whole rule, without --group`);
  if (text === OVERFLOW_GROUP) return OVERFLOW_GROUP;
  const [only] = columns;
  if (columns.length === 1 && only !== undefined)
    return groupKeyOf({ [only]: text.startsWith(`${only}=`) ? text.slice(only.length + 1) : text });
  const values: Record<string, string> = {};
  let rest = text;
  for (const [i, column] of columns.entries()) {
    const next = columns[i + 1];
    const cut = next === undefined ? rest.length : rest.indexOf(`, ${next}=`);
    if (!rest.startsWith(`${column}=`) || cut < 0) {
      throw new UsageError(
        `--group takes every GroupBy column of rule ${rule.scope}/${rule.id}, as 'rules status' shows the group: ${columns.map((c) => `${c}=VALUE`).join(', ')}`,
      );
    }
    values[column] = rest.slice(column.length + 1, cut);
    rest = rest.slice(cut + 2);
  }
  return groupKeyOf(values);
}
