/**
 * TEMPORARY stand-in for the engine's evaluation API (src/engine/index.ts, being written by another helper):
 * a crude evaluator with the agreed signatures so the lab UI can be built meanwhile. Replaced by a re-export
 * of the real engine as soon as it lands. Not used for any rule the learner sees as fact.
 */
import { lintPolicy } from '../engine/lint/index';
import type { AccessMatrix, EvaluationResult, ScenarioDiff, Step } from '../engine/types';
import type { RequestSpec, Scenario } from '../scenario/types';

export { lintPolicy };

export interface PreparedScenario {
  scenario: Scenario;
  evaluate(request: RequestSpec): EvaluationResult;
  evaluateAll(): EvaluationResult[];
}

function evaluate(scenario: Scenario, request: RequestSpec): EvaluationResult {
  const steps: Step[] = [
    { id: 'request', result: 'pass', summary: 'Request', statements: [] },
    { id: 'resolve-key', result: 'pass', summary: 'Key found', statements: [] },
    { id: 'explicit-deny', result: 'pass', summary: 'No Deny', statements: [] },
    { id: 'key-policy', result: 'pass', summary: 'Stand-in', statements: [] },
    { id: 'allow', result: 'pass', summary: 'Allowed (stand-in)', statements: [], decisive: true },
  ];
  const allow = JSON.stringify(scenario).includes(request.action);
  return {
    id: request.id,
    decision: allow ? 'Allow' : 'ImplicitDeny',
    outcome: allow ? 'Success' : 'AccessDeniedException',
    allowedBy: allow ? 'key-policy' : null,
    deniedBy: null,
    steps,
    statements: [],
    deciding: [],
    context: { 'aws:PrincipalArn': [request.principal] },
    explanation: 'Stand-in engine.',
    notes: [],
    ...(request.expect ? { expect: request.expect, pass: request.expect === (allow ? 'Allow' : 'ImplicitDeny') } : {}),
  };
}

export function prepareScenario(scenario: Scenario, _options: { sources?: Record<string, string> } = {}): PreparedScenario {
  return {
    scenario,
    evaluate: (request) => evaluate(scenario, request),
    evaluateAll: () => (scenario.requests ?? []).map((r) => evaluate(scenario, r)),
  };
}

export function accessMatrix(
  prepared: PreparedScenario,
  keyArn: string,
  options: { principals?: string[]; actions?: string[]; base?: Partial<RequestSpec> } = {},
): AccessMatrix {
  const principals = options.principals ?? Object.keys(prepared.scenario.principals ?? {});
  const actions = options.actions ?? ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'];
  return {
    keyArn,
    principals,
    actions,
    cells: principals.map((principal) =>
      actions.map((action) => {
        const r = prepared.evaluate({ ...options.base, id: 'm', principal, action, keyId: keyArn });
        return { principal, action, decision: r.decision, outcome: r.outcome, allowedBy: r.allowedBy };
      }),
    ),
  };
}

export function diffScenarios(_before: Scenario, _after: Scenario): ScenarioDiff {
  return { compared: 0, changes: [] };
}
