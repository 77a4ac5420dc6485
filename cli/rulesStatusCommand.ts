import type { Command } from '@commander-js/extra-typings';

import { type Mute, ruleMuteAt } from '../shared/core/alerts/muting';
import { plural } from '../shared/core/plural';
import { type AlertRule, compileRule, type RuleEntity } from '../shared/core/rules/alertRule';
import {
  episodeText,
  type GroupStatus,
  groupStatusOf,
  muteText,
  throttleText,
  windowText,
} from '../shared/core/status/groupStatus';
import { formatUtc, formatUtcMinute } from '../shared/core/status/utcTime';
import { alertBookStorage, HOST_CONNECTION_HELP, ruleKeysFor } from './alertBookStorage';
import type { CliContext } from './cliContext';
import type { CommandSite } from './commandSite';
import { formatTable } from './textTable';

/** `export-alerts rules status`: each rule's throttle and window, per group, from the alert state. */
export function registerRulesStatus(rules: Command, { ctx, run }: CommandSite): void {
  const status = rules
    .command('status')
    .summary('throttle and window counts per rule and group, now')
    .description(
      'Shows, per rule and GroupBy value, what the alert state holds now: whether the throttle keeps it quiet ' +
        '(until when, and how many matches it held back for the next e-mail) and how many matches count toward ' +
        'the threshold in the last WindowMinutes. MUTE and EPISODE columns appear when a group is muted (the rule, ' +
        'a quiet time or the group: until when, matches held) or has an alert open until its RESOLVED notice. ' +
        'Times are UTC. Reads the rules table and ALERT_STATE_TABLE.',
    )
    .argument('[id]', 'only this rule: its id, or <scope>/<id>')
    .option('--scope <scope>', 'only the rules of this scope')
    .option('--json', 'print a JSON array, one entry per rule and group, times in ISO 8601 UTC')
    .option('--connection <string>', HOST_CONNECTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ export-alerts rules status\n  $ export-alerts rules status checkout-5xx --scope shop-prod\n' +
        "  $ export-alerts rules status --json | jq '.[] | select(.quietUntil != null)'",
    );
  status.action((id, options) => run(status, () => rulesStatus(id, options, ctx)));
}

interface StatusOptions {
  readonly scope?: string;
  readonly json?: true;
  readonly connection?: string;
}

async function rulesStatus(id: string | undefined, values: StatusOptions, ctx: CliContext): Promise<number> {
  const now = ctx.now().getTime();
  const storage = alertBookStorage(values.connection, ctx.env);
  const entities = await storage.rules.list();
  const rules = compiledRules(entities);
  const ruleKeys =
    id === undefined
      ? undefined
      : ruleKeysFor(
          id,
          values.scope,
          entities.filter((e) => values.scope === undefined || e.partitionKey === values.scope),
        );
  const where =
    ruleKeys !== undefined
      ? { kind: 'rules' as const, ruleKeys }
      : values.scope !== undefined
        ? { kind: 'scope' as const, scope: values.scope }
        : { kind: 'all' as const };
  const mutes = new Map<string, Mute>();
  for (const [key, rule] of rules) {
    const mute = rule === 'invalid' ? undefined : ruleMuteAt(rule.notifications, now);
    if (mute !== undefined) mutes.set(key, mute);
  }
  const groups: GroupStatus[] = [];
  for await (const stored of storage.ledger.listStates(where)) {
    groups.push(groupStatusOf(stored, rules.get(stored.ruleKey) ?? 'removed', now, mutes.get(stored.ruleKey)));
  }
  groups.sort((a, b) => compare(a.rule, b.rule) || compare(a.group, b.group));
  const quietRules = chosenRules(entities, ruleKeys, values.scope).filter((key) => !groups.some((g) => g.rule === key));
  for (const problem of storage.ledger.unreadable) ctx.io.err(`skipped: ${problem}`);
  const code = storage.ledger.unreadable.length > 0 ? 1 : 0;

  if (values.json) {
    const json = [
      ...groups.map((g) => statusJson(g, now)),
      ...quietRules.map((rule) => ({
        rule,
        group: null,
        state: 'no state: never matched, or idle past 15 days',
        mute: muteJson(mutes.get(rule)),
      })),
    ];
    ctx.io.out(JSON.stringify(json, null, 2));
    return code;
  }
  // The mute and episode columns only when some row has one: most of the time the table stays as narrow as before.
  const quietMute = (rule: string): string => {
    const mute = mutes.get(rule);
    return mute === undefined ? '-' : muteText({ mute, heldWhileMuted: { rows: 0, weighted: 0 } }, now);
  };
  const showMutes = groups.some((g) => muteText(g, now) !== '-') || quietRules.some((r) => mutes.has(r));
  const showEpisodes = groups.some((g) => g.episode !== undefined);
  const extra = (mute: string, episode: string): string[] => [
    ...(showMutes ? [mute] : []),
    ...(showEpisodes ? [episode] : []),
  ];
  const rows = [
    ...groups.map((g) => [
      g.rule,
      g.group,
      throttleText(g, now),
      windowText(g),
      g.lastFiredAt === undefined ? 'never' : formatUtcMinute(g.lastFiredAt, now),
      ...extra(muteText(g, now), episodeText(g, now)),
    ]),
    ...quietRules.map((rule) => [
      rule,
      '-',
      'no state: never matched, or idle past 15 days',
      '-',
      '-',
      ...extra(quietMute(rule), '-'),
    ]),
  ];
  if (rows.length === 0) {
    ctx.io.out(values.scope === undefined ? 'no rules' : `no rules in scope '${values.scope}'`);
    return code;
  }
  ctx.io.out(`alert state at ${formatUtc(now)}`);
  const header = ['RULE', 'GROUP', 'THROTTLE', 'WINDOW', 'LAST FIRED', ...extra('MUTE', 'EPISODE')];
  for (const line of formatTable(header, rows)) ctx.io.out(line);
  const quiet = groups.filter((g) => g.quietUntil !== undefined).length;
  const ruleCount = new Set([...groups.map((g) => g.rule), ...quietRules]).size;
  const muted = groups.filter((g) => g.mute !== undefined).length;
  const open = groups.filter((g) => g.episode !== undefined).length;
  ctx.io.out(
    `${plural(ruleCount, 'rule')}, ${plural(groups.length, 'group')} with state, ${quiet} quiet under a throttle` +
      (showMutes ? `, ${muted} muted` : '') +
      (showEpisodes ? `, ${plural(open, 'alert')} open until RESOLVED` : ''),
  );
  return code;
}

/** The rules the command is about, by `scope/id`: those named, those of the scope, or all. */
function chosenRules(
  entities: readonly RuleEntity[],
  ruleKeys: readonly string[] | undefined,
  scope?: string,
): string[] {
  const keys = entities.map((e) => `${e.partitionKey}/${e.rowKey}`);
  if (ruleKeys !== undefined) return keys.filter((k) => ruleKeys.includes(k));
  return keys.filter((k) => scope === undefined || k.startsWith(`${scope}/`)).sort(compare);
}

function statusJson(g: GroupStatus, now: number): object {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    rule: g.rule,
    group: g.group,
    quietUntil: iso(g.quietUntil),
    held: { rows: g.held.rows, weighted: g.held.weighted, since: iso(g.held.since) },
    window: g.window === undefined ? null : { minutes: g.window.minutes, weighted: g.window.weighted },
    threshold: g.threshold ?? null,
    lastFiredAt: iso(g.lastFiredAt),
    updatedAt: iso(g.updatedAt),
    ruleProblem: g.ruleProblem ?? null,
    throttle: throttleText(g, now),
    windowText: windowText(g),
    mute: muteJson(g.mute),
    heldWhileMuted: {
      rows: g.heldWhileMuted.rows,
      weighted: g.heldWhileMuted.weighted,
      since: iso(g.heldWhileMuted.since),
    },
    episode:
      g.episode === undefined
        ? null
        : {
            since: iso(g.episode.since),
            lastBreachAt: iso(g.episode.lastBreachAt),
            resolvesAt: iso(g.episode.resolvesAt),
            firings: g.episode.firings,
            rows: g.episode.rows,
            weighted: g.episode.weighted,
          },
  };
}

function muteJson(mute: Mute | undefined): object | null {
  return mute === undefined ? null : { by: mute.by, until: new Date(mute.until).toISOString() };
}

/** Each rule compiled once, by `scope/id`: its policy and its mute both come from it. */
function compiledRules(entities: readonly RuleEntity[]): Map<string, AlertRule | 'invalid'> {
  const rules = new Map<string, AlertRule | 'invalid'>();
  for (const entity of entities) {
    const compiled = compileRule(entity);
    rules.set(`${entity.partitionKey}/${entity.rowKey}`, compiled.ok ? compiled.value : 'invalid');
  }
  return rules;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
