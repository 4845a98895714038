import { describe, expect, it } from 'vitest';
import type { Finding } from '../../engine/types';
import { groupProblems, problemSummary } from './problems';

function finding(type: Finding['type'], offset: number, code = 'X'): Finding {
  const at = { line: 1, column: offset + 1, offset };
  return { type, code, message: code, learnMoreLink: '', path: [], range: { start: at, end: at } };
}

describe('groupProblems', () => {
  it('groups by policy in first-appearance order and sorts each group by severity', () => {
    const groups = groupProblems([
      { policyId: 'key:k1', policyLabel: 'Key policy', finding: finding('WARNING', 5, 'W') },
      { policyId: 'identity:alice#0', policyLabel: 'alice #0', finding: finding('ERROR', 1, 'E1') },
      { policyId: 'key:k1', policyLabel: 'Key policy', finding: finding('ERROR', 9, 'E2') },
    ]);
    expect(groups.map((g) => g.policyId)).toEqual(['key:k1', 'identity:alice#0']);
    expect(groups[0].findings.map((f) => f.code)).toEqual(['E2', 'W']);
  });

  it('returns no group for no items', () => {
    expect(groupProblems([])).toEqual([]);
  });
});

describe('problemSummary', () => {
  it('counts by severity with singular and plural words', () => {
    const item = (type: Finding['type']) => ({ policyId: 'p', policyLabel: 'p', finding: finding(type, 0) });
    expect(
      problemSummary([item('ERROR'), item('SECURITY_WARNING'), item('WARNING'), item('SUGGESTION')]),
    ).toBe('1 error, 2 warnings, 1 suggestion');
    expect(problemSummary([])).toBe('');
  });
});
