import type { AlertState } from '../shared/core/alerts/alertState';
import { describeRuleMute } from '../shared/core/alerts/muting';
import { compileRule, type RuleEntity } from '../shared/core/rules/alertRule';
import { groupLabel } from '../shared/core/status/alertLine';
import { formatUtc } from '../shared/core/status/utcTime';
import { alertBookStorage } from './alertBookStorage';
import type { CliContext } from './cliContext';
import { UsageError } from './localExportFiles';

/** What `rules show` adds about mutes: the rule's own now, and each group muted on its own. */
export async function ruleMuteLines(
  entity: RuleEntity,
  connection: string | undefined,
  ctx: CliContext,
): Promise<{ readonly lines: string[]; readonly json: object }> {
  const compiled = compileRule(entity);
  if (!compiled.ok) return { lines: [], json: { rule: null, groups: [] } };
  const now = ctx.now().getTime();
  const rule = describeRuleMute(compiled.value.notifications, now);
  const name = `${entity.partitionKey}/${entity.rowKey}`;
  const groups: { group: string; until: number }[] = [];
  const storage = compiled.value.groupBy.length > 0 ? stateStorage(connection, ctx) : undefined;
  if (storage !== undefined) {
    for await (const stored of storage.ledger.listStates({ kind: 'rules', ruleKeys: [name] }))
      if (isMuted(stored.state, now))
        groups.push({ group: groupLabel(stored.groupKey), until: stored.state.muteUntil ?? 0 });
    for (const problem of storage.ledger.unreadable) ctx.io.err(`skipped: ${problem}`);
  }
  const lines = [
    ...(rule === undefined ? [] : [`  ${'Muted'.padEnd(17)}${rule}`]),
    ...groups.map((g, i) => `  ${(i === 0 ? 'Muted groups' : '').padEnd(17)}${g.group} until ${formatUtc(g.until)}`),
  ];
  return {
    lines,
    json: {
      rule: rule ?? null,
      groups: groups.map((g) => ({ group: g.group, until: new Date(g.until).toISOString() })),
    },
  };
}

/** The alert book's storage, when the settings name one: `rules show` reads group mutes only then. */
function stateStorage(
  connection: string | undefined,
  ctx: CliContext,
): ReturnType<typeof alertBookStorage> | undefined {
  try {
    return alertBookStorage(connection, ctx.env);
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

function isMuted(state: AlertState, now: number): boolean {
  return state.muteUntil !== undefined && now < state.muteUntil;
}
