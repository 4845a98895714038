/**
 * The flowchart's words for nodes the engine never evaluated (issue 8, wording): after an early decision the
 * engine says "Not reached" (or, for a refused policy, "Not evaluated"), and the flowchart must not call such
 * a node "not applicable".
 */
import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../engine';
import { allow, deny, identity, policy, request, role, world } from '../../engine/fixtures/world';
import { resultWords, saysNotEvaluated, skippedRunWords } from './flow-model';

const APP = role('App');

describe('resultWords', () => {
  it('says not reached for a node after an explicit Deny, and not applicable for one that did not apply', () => {
    const scenario = world({
      keyPolicy: policy(allow({ AWS: APP }, 'kms:*'), deny('*', 'kms:Decrypt')),
      principals: { [APP]: identity() },
    });
    const [result] = evaluateScenario({ ...scenario, requests: [{ id: 'r', ...request(APP) }] });
    const byId = Object.fromEntries(result.steps.map((s) => [s.id, s]));
    expect(resultWords(byId.scp.result, byId.scp.summary)).toBe('not reached');
    expect(saysNotEvaluated(byId.scp.result, byId.scp.summary)).toBe(true);
    expect(resultWords(byId['cross-account'].result, byId['cross-account'].summary)).toBe('not applicable');
    expect(skippedRunWords([byId.scp.summary, byId.rcp.summary])).toBe('not reached');
    expect(skippedRunWords([byId['cross-account'].summary, byId.scp.summary])).toBe(
      'not applicable or not reached',
    );
  });

  it('says not evaluated for the nodes of a request that met a refused policy', () => {
    const scenario = world({
      keyPolicy: policy(allow({ AWS: APP }, 'kms:*', { Condtion: {} })),
      principals: { [APP]: identity() },
    });
    const [result] = evaluateScenario({ ...scenario, requests: [{ id: 'r', ...request(APP) }] });
    const scp = result.steps.find((s) => s.id === 'scp')!;
    expect(resultWords(scp.result, scp.summary)).toBe('not evaluated');
    expect(resultWords('pass', 'Not reached')).toBe('pass');
  });
});
