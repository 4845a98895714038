/**
 * Keeps the flowchart and the decision panel from redrawing (and the path animation from restarting) on every
 * keystroke when what they show did not change. Typing moves the source ranges of later statements, so every
 * evaluation returns a new result object; the evaluation's display versions (state/lab-display.ts) say whether
 * it is the same picture.
 */
import { useState } from 'react';
import type { EvaluationResult, StatementRef, Step, StepId } from '../../engine/types';

/**
 * Returns the previous value while `version` stays the same (the new value looks the same), so memoized
 * children skip work. (Derived state updated during render, as React recommends, rather than a ref written
 * while rendering.)
 */
export function useStableBy<T>(value: T, version: number): T {
  const [stable, setStable] = useState({ key: version, value });
  if (stable.key !== version) {
    setStable({ key: version, value });
    return value;
  }
  return stable.value;
}

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
