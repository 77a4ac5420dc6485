import type { Command } from '@commander-js/extra-typings';

import { plural } from '../shared/core/plural';
import type { RuleEntity } from '../shared/core/rules/alertRule';
import { type GroupStatus, groupStatusOf, throttleText, windowText } from '../shared/core/status/groupStatus';
import { formatUtc, formatUtcMinute } from '../shared/core/status/utcTime';
import { alertBookStorage, HOST_CONNECTION_HELP, policiesOf, ruleKeysFor } from './alertBookStorage';
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
        'the threshold in the last WindowMinutes. Times are UTC. Reads the rules table and ALERT_STATE_TABLE.',
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
  const policies = policiesOf(entities);
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
  const groups: GroupStatus[] = [];
  for await (const stored of storage.ledger.listStates(where)) {
    groups.push(groupStatusOf(stored, policies.get(stored.ruleKey) ?? 'removed', now));
  }
  groups.sort((a, b) => compare(a.rule, b.rule) || compare(a.group, b.group));
  const quietRules = chosenRules(entities, ruleKeys, values.scope).filter((key) => !groups.some((g) => g.rule === key));
  for (const problem of storage.ledger.unreadable) ctx.io.err(`skipped: ${problem}`);
  const code = storage.ledger.unreadable.length > 0 ? 1 : 0;

  if (values.json) {
    const json = [
      ...groups.map((g) => statusJson(g, now)),
      ...quietRules.map((rule) => ({ rule, group: null, state: 'no state: never matched, or idle past 15 days' })),
    ];
    ctx.io.out(JSON.stringify(json, null, 2));
    return code;
  }
  const rows = [
    ...groups.map((g) => [
      g.rule,
      g.group,
      throttleText(g, now),
      windowText(g),
      g.lastFiredAt === undefined ? 'never' : formatUtcMinute(g.lastFiredAt, now),
    ]),
    ...quietRules.map((rule) => [rule, '-', 'no state: never matched, or idle past 15 days', '-', '-']),
  ];
  if (rows.length === 0) {
    ctx.io.out(values.scope === undefined ? 'no rules' : `no rules in scope '${values.scope}'`);
    return code;
  }
  ctx.io.out(`alert state at ${formatUtc(now)}`);
  for (const line of formatTable(['RULE', 'GROUP', 'THROTTLE', 'WINDOW', 'LAST FIRED'], rows)) ctx.io.out(line);
  const quiet = groups.filter((g) => g.quietUntil !== undefined).length;
  const ruleCount = new Set([...groups.map((g) => g.rule), ...quietRules]).size;
  ctx.io.out(
    `${plural(ruleCount, 'rule')}, ${plural(groups.length, 'group')} with state, ${quiet} quiet under a throttle`,
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
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
