/**
 * The flowchart and the decision panel keep an older result on screen while a newer one looks the same
 * (EvaluateView subscribes to the display versions, state/lab-display.ts), so its source ranges may be out of
 * date: a click looks up the same step or statement in the latest result.
 */
import type { EvaluationResult, StatementRef, Step, StepId } from '../../engine/types';

/** The statements of `stepId` in the latest result (with current ranges), for a click on a stable picture. */
export function latestStepStatements(result: EvaluationResult | null, stepId: StepId): StatementRef[] {
  return result?.steps.find((step: Step) => step.id === stepId)?.statements ?? [];
}

/** The same statement in the latest result (with its current range). */
export function latestStatement(result: EvaluationResult | null, ref: StatementRef): StatementRef {
  return (
    result?.statements.find((s) => s.ref.policyId === ref.policyId && s.ref.index === ref.index)?.ref ?? ref
  );
}
