/**
 * Test data shared by the lab's unit tests: a small evaluation result whose one statement sits at a given
 * line, so tests can tell "same picture, moved text" from "different picture". Imported by tests only.
 */
import type { EvaluationResult, StatementRef } from '../engine/types';

export const range = (line: number) => ({
  start: { line, column: 1, offset: line * 10 },
  end: { line: line + 3, column: 2, offset: line * 10 + 40 },
});
export const ref = (index: number, line: number, label = `key policy #${index + 1}`): StatementRef => ({
  policyId: 'key:k',
  layer: 'key',
  index,
  effect: 'Allow',
  label,
  range: range(line),
});

export function result(
  line: number,
  label?: string,
  decision: EvaluationResult['decision'] = 'Allow',
): EvaluationResult {
  return {
    id: 'r',
    decision,
    outcome: decision === 'Allow' ? 'Success' : 'AccessDeniedException',
    allowedBy: null,
    deniedBy: null,
    steps: [
      { id: 'key-policy', result: 'pass', summary: 'ok', statements: [ref(1, line, label)], decisive: true },
    ],
    statements: [],
    deciding: [ref(1, line, label)],
    context: {},
    explanation: 'x',
    notes: [],
  };
}
