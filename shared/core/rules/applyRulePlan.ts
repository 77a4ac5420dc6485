import { PLAN_ACTIONS, type RulePlan, type RulePlanStep } from './rulePlan';
import type { RuleStore } from './ruleStore';

/** What became of one step of a plan. */
export const STEP_OUTCOMES = {
  /** Written as planned. */
  applied: 'applied',
  /**
   * Not written: the rule was added, changed or removed by someone else after the plan read it, and
   * writing would have undone that edit unseen. Planning again shows the table as it is now.
   */
  conflict: 'conflict',
} as const;

export type StepOutcome = (typeof STEP_OUTCOMES)[keyof typeof STEP_OUTCOMES];

export interface AppliedStep {
  readonly step: RulePlanStep;
  readonly outcome: StepOutcome;
}

/**
 * Writes a plan's steps one by one, in its order, each conditional on the version the plan read. A
 * step that meets a newer version is reported, not forced, and the others still go ahead: each was
 * planned on its own rule, and none depends on another.
 */
export async function applyRulePlan(plan: RulePlan, store: RuleStore): Promise<AppliedStep[]> {
  const applied: AppliedStep[] = [];
  for (const step of plan.steps) {
    const written = await writeStep(step, store);
    applied.push({ step, outcome: written ? STEP_OUTCOMES.applied : STEP_OUTCOMES.conflict });
  }
  return applied;
}

async function writeStep(step: RulePlanStep, store: RuleStore): Promise<boolean> {
  if (step.action !== PLAN_ACTIONS.remove) return store.putIfUnchanged(step.entity, step.etag);
  // A rule read without a version cannot be removed safely; no store this app uses reads one so.
  return step.etag !== undefined && store.removeIfUnchanged(step.scope, step.id, step.etag);
}
