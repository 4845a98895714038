import { describe, expect, it } from 'vitest';
import { prepareScenario } from './index';
import { STEP_IDS, type EvaluationResult } from './types';
import type { EngineCase } from './fixtures/world';
import { CONDITION_CASES, DENY_CONDITION_CASES } from './fixtures/conditions';
import { ELEMENT_CASES } from './fixtures/elements';
import { PATH_CASES } from './fixtures/paths';
import { KEY_CASES } from './fixtures/keys';
import { GRANT_CASES } from './fixtures/grants';
import { NEAR_MISS_CASES } from './fixtures/near-misses';
import { REJECTED_CASES } from './fixtures/rejected';
import { ORGANIZATION_CASES } from './fixtures/organizations';

const SUITES: Record<string, EngineCase[]> = {
  conditions: [...CONDITION_CASES, ...DENY_CONDITION_CASES],
  elements: ELEMENT_CASES,
  paths: PATH_CASES,
  keys: KEY_CASES,
  grants: GRANT_CASES,
  'near-misses': NEAR_MISS_CASES,
  'rejected policies': REJECTED_CASES,
  organizations: ORGANIZATION_CASES,
};

const TERMINALS = new Set(['allow', 'implicit-deny', 'explicit-deny-result', 'error']);

/** Shape rules every result must follow (types.ts, lab-design §3). */
function checkShape(result: EvaluationResult): void {
  const ids = result.steps.map((s) => s.id);
  expect(ids.every((id) => (STEP_IDS as readonly string[]).includes(id))).toBe(true);
  expect(ids).toEqual([...ids].sort((a, b) => STEP_IDS.indexOf(a) - STEP_IDS.indexOf(b)));
  expect(new Set(ids).size).toBe(ids.length);
  expect(result.steps.filter((s) => s.decisive)).toHaveLength(1);
  expect(result.steps.filter((s) => TERMINALS.has(s.id))).toHaveLength(1);
  expect(TERMINALS.has(ids[ids.length - 1])).toBe(true);
  expect(result.explanation.length).toBeGreaterThan(10);
  if (result.outcome !== 'Success') expect(result.errorMessage).toBeTruthy();
  if (result.decision === 'Allow' && result.outcome === 'Success') expect(result.allowedBy).not.toBeNull();
  if (result.decision === 'ExplicitDeny') expect(result.deniedBy?.statement).toBeTruthy();
}

let total = 0;
for (const [suite, cases] of Object.entries(SUITES)) {
  describe(`engine fixtures: ${suite}`, () => {
    for (const c of cases) {
      total++;
      it(`${c.name} [${c.source}]`, () => {
        expect(c.source.trim().length).toBeGreaterThan(3);
        const result = prepareScenario(c.scenario, { now: new Date('2025-01-01T00:00:00Z') }).evaluate({
          id: c.name,
          ...c.request,
        });
        checkShape(result);
        const e = c.expect;
        const summary = `${result.decision}/${result.outcome} via ${result.allowedBy}: ${result.explanation} | notes: ${result.notes.join(' / ')}`;
        if (e.decision) expect(result.decision, summary).toBe(e.decision);
        if (e.outcome) expect(result.outcome, summary).toBe(e.outcome);
        else if (e.decision === 'Allow') expect(result.outcome, summary).toBe('Success');
        if (e.allowedBy !== undefined) expect(result.allowedBy, summary).toBe(e.allowedBy);
        if (e.decisive) expect(result.steps.find((s) => s.decisive)?.id, summary).toBe(e.decisive);
        if (e.deniedByLayer) expect(result.deniedBy?.layer, summary).toBe(e.deniedByLayer);
        if (e.note)
          expect(
            result.notes.some((n) => n.includes(e.note!)),
            summary,
          ).toBe(true);
        if (e.explanation) expect(result.explanation, summary).toMatch(e.explanation);
        if (e.errorMessage) expect(result.errorMessage ?? '', summary).toMatch(e.errorMessage);
      });
    }
  });
}

describe('fixture count', () => {
  it('has at least 150 cases, each citing a source', () => {
    expect(total).toBeGreaterThanOrEqual(150);
  });
});
