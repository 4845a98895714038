import { describe, expect, it } from 'vitest';
import type { EvaluationResult, StatementRef } from '../../engine/types';
import { displayKey, flowKey, latestStatement, latestStepStatements, panelKey } from './stable-result';

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

describe('display keys', () => {
  it('ignore source ranges but not what is drawn', () => {
    expect(displayKey({ a: 1, range: range(3) })).toBe(displayKey({ a: 1, range: range(9) }));
    expect(displayKey({ context: { 'aws:CurrentTime': ['t1'], x: ['1'] } })).toBe(
      displayKey({ context: { 'aws:CurrentTime': ['t2'], x: ['1'] } }),
    );
    expect(displayKey({ context: { x: ['1'] } })).not.toBe(displayKey({ context: { x: ['2'] } }));
    expect(flowKey(result(3))).toBe(flowKey(result(8)));
    expect(panelKey(result(3))).toBe(panelKey(result(8)));
    expect(flowKey(result(3, 'renamed'))).not.toBe(flowKey(result(3)));
    expect(panelKey(result(3, undefined, 'ImplicitDeny'))).not.toBe(panelKey(result(3)));
    expect(flowKey(null)).toBe('null');
  });
});

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
