import { eventColumns } from '../shared/core/mail/eventColumns';
import { compileRule, RULE_DEFAULTS, type RuleEntity, type RuleProblem } from '../shared/core/rules/alertRule';
import { caretLines, type QueryPlace } from '../shared/core/rules/formatRuleProblem';
import { formatRuleDiagnostic } from '../shared/core/rules/ruleDiagnostic';

/** One setting of a rule as the functions apply it. */
export interface RuleSetting {
  readonly name: string;
  readonly value: string | number | boolean;
  /** The rule does not set it: the value is the default. */
  readonly isDefault: boolean;
}

/** A rule as `rules show` and `rules list --json` print it: effective values, defaults marked. */
export interface RuleView {
  readonly scope: string;
  readonly id: string;
  readonly valid: boolean;
  readonly enabled: boolean;
  /** The table the query reads, when it compiled. */
  readonly table?: string;
  readonly query: string;
  readonly settings: readonly RuleSetting[];
  readonly problems: readonly RuleViewProblem[];
}

/** A problem as `rules list` prints it (`text`, one line), and for one in the query, where it is. */
export interface RuleViewProblem extends Partial<QueryPlace> {
  readonly property: string;
  readonly text: string;
}

/** How the default subject reads (alertSubject.ts builds it). */
export const DEFAULT_SUBJECT_TEXT = '[Sev<severity>] <rule>: <count> <table> in <app> [<group>] (<from>–<to> UTC)';

export function effectiveRule(entity: RuleEntity): RuleView {
  const compiled = compileRule(entity);
  const query = typeof entity.Query === 'string' ? entity.Query : JSON.stringify(entity.Query ?? '');
  const set = (name: keyof RuleEntity): boolean => entity[name] !== undefined && entity[name] !== '';
  if (!compiled.ok) {
    return {
      scope: entity.partitionKey,
      id: entity.rowKey,
      valid: false,
      enabled: entity.Enabled !== false && entity.Enabled !== 'false',
      query,
      settings: storedSettings(entity),
      problems: compiled.error.map(viewProblem),
    };
  }
  const rule = compiled.value;
  const n = rule.notifications;
  const setting = (name: keyof RuleEntity, value: string | number | boolean): RuleSetting => ({
    name,
    value,
    isDefault: !set(name),
  });
  return {
    scope: rule.scope,
    id: rule.id,
    valid: true,
    enabled: rule.enabled,
    table: rule.table,
    query: rule.query,
    settings: [
      setting('Recipients', rule.recipients.join('; ')),
      setting('Enabled', rule.enabled),
      setting('Severity', rule.severity),
      setting('Threshold', rule.threshold),
      setting('WindowMinutes', rule.windowMinutes),
      setting('GroupBy', rule.groupBy.map((p) => p.text).join(', ')),
      setting('ThrottleMinutes', rule.throttleMinutes),
      setting('MaxEvents', rule.maxEvents),
      setting(
        'Columns',
        eventColumns(rule)
          .columns.map((c) => c.heading)
          .join(', '),
      ),
      setting('Subject', rule.subject ?? DEFAULT_SUBJECT_TEXT),
      setting('Notify', n.notify.map((c) => `${c.kind}:${c.name}`).join(', ')),
      setting('NotifyResolved', n.notifyResolved),
      setting('MuteUntil', n.muteUntil === undefined ? '' : new Date(n.muteUntil).toISOString()),
      setting('MuteSchedule', n.muteWindow?.schedule ?? ''),
      setting('MuteMinutes', n.muteWindow?.minutes ?? ''),
      setting('TimeZone', n.timeZone),
      setting('ResourceId', n.resourceId ?? ''),
    ],
    problems: [],
  };
}

/** `Query line 1, col 38: unknown column …` or `Threshold must be …`. */
export function problemText(problem: RuleProblem): string {
  return problem.diagnostic ? `Query ${formatRuleDiagnostic(problem.diagnostic)}` : problem.message;
}

function viewProblem(problem: RuleProblem): RuleViewProblem {
  const text = problemText(problem);
  const d = problem.diagnostic;
  return d
    ? { property: problem.property, text, line: d.line, column: d.column, length: d.length }
    : { property: problem.property, text };
}

/**
 * An invalid rule's problems the way a compiler prints them (`rules validate`): one headline each,
 * `rule shop/checkout-5xx: Query line 1, col 18: …`, and under a query problem its line with carets.
 */
export function formatRuleViewProblems(view: RuleView): string[] {
  return view.problems.flatMap((problem) => [
    `rule ${view.scope}/${view.id}: ${problem.text}`,
    ...caretsUnder(view.query, problem, '  '),
  ]);
}

function caretsUnder(query: string, problem: RuleViewProblem, indent: string): string[] {
  const { line, column, length } = problem;
  return line === undefined || column === undefined || length === undefined
    ? []
    : caretLines(query, { line, column, length }, { indent });
}

/** An invalid rule's settings as stored, with the defaults of those it leaves out. */
function storedSettings(entity: RuleEntity): RuleSetting[] {
  const defaults: Record<string, string | number | boolean> = {
    Recipients: '',
    Enabled: RULE_DEFAULTS.enabled,
    Severity: RULE_DEFAULTS.severity,
    Threshold: RULE_DEFAULTS.threshold,
    WindowMinutes: RULE_DEFAULTS.windowMinutes,
    GroupBy: '',
    ThrottleMinutes: RULE_DEFAULTS.throttleMinutes,
    MaxEvents: RULE_DEFAULTS.maxEvents,
    Columns: '',
    Subject: DEFAULT_SUBJECT_TEXT,
    Notify: '',
    NotifyResolved: '',
    MuteUntil: '',
    MuteSchedule: '',
    MuteMinutes: '',
    TimeZone: 'UTC',
    ResourceId: '',
  };
  return Object.entries(defaults).map(([name, fallback]) => {
    const stored: unknown = entity[name as keyof RuleEntity];
    if (stored === undefined || stored === '') return { name, value: fallback, isDefault: true };
    const value =
      typeof stored === 'string' || typeof stored === 'number' || typeof stored === 'boolean'
        ? stored
        : JSON.stringify(stored);
    return { name, value, isDefault: false };
  });
}

/** `rules show`: the rule, then one aligned line per setting, `(default)` where the rule sets none. */
export function formatEffectiveRule(view: RuleView): string[] {
  const status = view.valid ? `valid (${view.table ?? '?'})` : 'INVALID';
  const lines = [`rule ${view.scope}/${view.id}: ${status}`, `  ${'Query'.padEnd(17)}${view.query}`];
  for (const s of view.settings) {
    const shown = s.value === '' ? '-' : String(s.value);
    lines.push(`  ${s.name.padEnd(17)}${shown}${s.isDefault ? '  (default)' : ''}`);
  }
  for (const problem of view.problems)
    lines.push(`  problem: ${problem.text}`, ...caretsUnder(view.query, problem, '    '));
  return lines;
}
