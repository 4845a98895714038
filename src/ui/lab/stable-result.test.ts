import { describe, expect, it } from 'vitest';
import type { EvaluationResult, StatementRef } from '../../engine/types';
import { latestStatement, latestStepStatements } from './stable-result';

const range = (line: number) => ({
  start: { line, column: 1, offset: line * 10 },
  end: { line: line + 3, column: 2, offset: line * 10 + 40 },
});
const ref = (index: number, line: number, label = `key policy #${index}`): StatementRef => ({
  policyId: 'key:k',
  layer: 'key',
  index,
  effect: 'Allow',
  label,
  range: range(line),
});

function result(
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

describe('latest lookups', () => {
  it('find the statements of a step and a statement with their current ranges', () => {
    const latest = result(12);
    expect(latestStepStatements(latest, 'key-policy')[0].range?.start.line).toBe(12);
    expect(latestStepStatements(latest, 'grant')).toEqual([]);
    const withStatements = {
      ...latest,
      statements: [{ ref: ref(1, 20) } as EvaluationResult['statements'][number]],
    };
    expect(latestStatement(withStatements, ref(1, 3)).range?.start.line).toBe(20);
    expect(latestStatement(null, ref(2, 3)).index).toBe(2);
  });
});
