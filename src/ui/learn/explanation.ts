/**
 * When a question's explanation shows. Most questions explain themselves once answered, right or wrong (the
 * learner has committed to an answer). A "fix the policy" explanation gives the fix away while the learner can
 * still edit and re-run the checks, so it waits for a passing policy or for the learner to ask for it.
 */
import type { Question } from '../../lessons/index';

export function explanationShown(
  type: Question['type'],
  answered: { correct: boolean } | undefined,
  revealed: boolean,
): boolean {
  if (type !== 'fix') return answered !== undefined;
  return revealed || answered?.correct === true;
}

/** Whether the learner may ask for the explanation now (a wrong "fix the policy" attempt). */
export function explanationRevealable(
  type: Question['type'],
  answered: { correct: boolean } | undefined,
  revealed: boolean,
): boolean {
  return type === 'fix' && answered !== undefined && !explanationShown(type, answered, revealed);
}
