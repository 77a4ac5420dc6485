import { plural } from '../shared/core/plural';
import { type AppliedStep, STEP_OUTCOMES, type StepOutcome } from '../shared/core/rules/applyRulePlan';
import {
  isUnreadable,
  PLAN_ACTIONS,
  type PlanValue,
  type PropertyChange,
  type RulePlan,
  type RulePlanStep,
} from '../shared/core/rules/rulePlan';

const SIGN = { add: '+', change: '~', remove: '-' } as const;

/** `5`, `true`, `"requests | where …"` (text quoted, so blanks and line breaks show), `(unset)`. */
export function formatPlanValue(value: PlanValue | undefined): string {
  if (value === undefined) return '(unset)';
  if (isUnreadable(value)) return value.unreadable;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * `~ change shop/checkout-5xx` and a line per property: `    Threshold: 1 → 5`; an added rule lists
 * what it sets, a removed one nothing.
 */
export function formatPlanStep(step: Pick<RulePlanStep, 'action' | 'scope' | 'id' | 'changes'>): string[] {
  const lines = [`${SIGN[step.action]} ${step.action} ${step.scope}/${step.id}`];
  for (const change of step.changes) {
    const to = formatPlanValue(change.to);
    lines.push(
      step.action === PLAN_ACTIONS.add
        ? `    ${change.property}: ${to}`
        : `    ${change.property}: ${formatPlanValue(change.from)} → ${to}`,
    );
  }
  return lines;
}

/** The plan's lines: each step, then a count, then the rules prune would have removed. */
export function formatPlan(plan: RulePlan): string[] {
  const lines = plan.steps.flatMap(formatPlanStep);
  const count = (action: RulePlanStep['action']) => plan.steps.filter((s) => s.action === action).length;
  lines.push(
    plan.steps.length === 0
      ? plan.unchanged === 0
        ? 'no changes: the file lists no rules'
        : `no changes: ${plural(plan.unchanged, 'rule')} of the file already in the table as written`
      : `plan: ${count('add')} to add, ${count('change')} to change, ${count('remove')} to remove; ${plural(plan.unchanged, 'rule')} unchanged`,
  );
  if (plan.kept.length > 0) {
    lines.push(`kept, not in the file (--prune removes such rules): ${plan.kept.join(', ')}`);
  }
  return lines;
}

/** What the writes did: `applied: 1 added, 2 changed, 0 removed`, and each rule not written, on the error stream. */
export function formatOutcome(applied: readonly AppliedStep[]): { out: string[]; err: string[] } {
  const done = (action: RulePlanStep['action']) =>
    applied.filter((a) => a.outcome === STEP_OUTCOMES.applied && a.step.action === action).length;
  const conflicts = applied.filter((a) => a.outcome === STEP_OUTCOMES.conflict);
  const out = [`applied: ${done('add')} added, ${done('change')} changed, ${done('remove')} removed`];
  const err = conflicts.map(
    ({ step }) =>
      `! ${step.scope}/${step.id}: not ${step.action === PLAN_ACTIONS.remove ? 'removed' : 'written'}: ` +
      `it was ${step.action === PLAN_ACTIONS.add ? 'added' : 'changed or removed'} in the table after the plan read it`,
  );
  if (conflicts.length > 0)
    err.push(`${plural(conflicts.length, 'rule')} not written, changed meanwhile: run apply again to see the new plan`);
  return { out, err };
}

/** A step for `--json`: the rule, each change with its old and new value, and, once written, the outcome. */
export interface PlanStepJson {
  readonly action: RulePlanStep['action'];
  readonly rule: string;
  readonly scope: string;
  readonly id: string;
  readonly changes: readonly PropertyChange[];
  readonly outcome?: StepOutcome;
}

export function planStepJson(step: RulePlanStep, outcome?: StepOutcome): PlanStepJson {
  return {
    action: step.action,
    rule: `${step.scope}/${step.id}`,
    scope: step.scope,
    id: step.id,
    changes: step.changes,
    ...(outcome === undefined ? {} : { outcome }),
  };
}
