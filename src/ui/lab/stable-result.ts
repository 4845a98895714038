/**
 * Keeps the flowchart and the decision panel from redrawing (and the path animation from restarting) on every
 * keystroke when what they show did not change. Typing moves the source ranges of later statements, so every
 * evaluation returns a new result object; compared without ranges, most are the same picture.
 */
import { useMemo, useState } from 'react';
import type { EvaluationResult, StatementRef, Step, StepId } from '../../engine/types';

/**
 * Fields left out of the comparison: source ranges (they move while typing, nothing draws them) and the
 * clock keys of the derived context (they change on every evaluation; a condition that compares them still
 * shows the new value, since its comparison's values are part of the key).
 */
const IGNORED_FIELDS = new Set(['range', 'aws:CurrentTime', 'aws:EpochTime']);

/** JSON of a value without the ignored fields: what the panels draw, not where statements sit in the text. */
export function displayKey(value: unknown): string {
  return JSON.stringify(value ?? null, (key, v: unknown) => (IGNORED_FIELDS.has(key) ? undefined : v));
}

/** What the flowchart draws: the steps (ids, results, summaries, decisive mark, statements named). */
export const flowKey = (result: EvaluationResult | null): string => displayKey(result?.steps);

/** Everything the decision panel draws. */
export const panelKey = (result: EvaluationResult | null): string => displayKey(result);

/**
 * Returns the previous value while `keyOf` says the new one looks the same, so memoized children skip work.
 * (Derived state updated during render, as React recommends, rather than a ref written while rendering.)
 */
export function useStableBy<T>(value: T, keyOf: (value: T) => string): T {
  // Keyed by identity: the extra render that follows setStable must not serialize the value again.
  const key = useMemo(() => keyOf(value), [value, keyOf]);
  const [stable, setStable] = useState({ key, value });
  if (stable.key !== key) {
    setStable({ key, value });
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
