import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../engine/types';
import { latestStatement, latestStepStatements } from './stable-result';
import { ref, result } from '../../state/result-fixtures';

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
