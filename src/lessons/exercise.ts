/**
 * Predict-the-decision and fix-the-policy questions, run on the real engine: the same code the Lab uses decides
 * what the right answer is, grades the learner's policy and gives the trace a failing case shows.
 */
import { prepareScenario, type EvaluationResult, type Scenario, type Decision } from '../engine/index';
import { policyPaths, type LocatedError } from '../scenario/load';
import type { FixCase, FixQuestion, PredictQuestion } from './types';

/** How the lesson names a statement: its Sid, or the engine's label when it has none. */
export function statementName(ref: { sid?: string; label: string }): string {
  return ref.sid ?? ref.label;
}

export type PredictRun = { ok: true; result: EvaluationResult; decidedBy: string[] } | { ok: false; message: string };

/** Evaluates the question's request in its scenario. */
export function runPredict(scenario: Scenario, question: PredictQuestion): PredictRun {
  const request = (scenario.requests ?? []).find((candidate) => candidate.id === question.requestId);
  if (!request) return { ok: false, message: `scenario "${question.scenario}" has no request "${question.requestId}"` };
  const result = prepareScenario(scenario).evaluate(request);
  return { ok: true, result, decidedBy: decidingStatements(result) };
}

/** The statements that decided: the Deny, or the Allow statements of the path used; none for an implicit deny. */
export function decidingStatements(result: EvaluationResult): string[] {
  return result.decision === 'ImplicitDeny' ? [] : [...new Set(result.deciding.map(statementName))];
}

/**
 * `key` names the scenario's only key policy; any other value is an engine PolicyId (`key:<arn>`,
 * `identity:<principal arn>#0`, …) that must exist in the scenario.
 */
export function resolvePolicyId(scenario: Scenario, spec: string): { ok: true; policyId: string; path: (string | number)[] } | { ok: false; message: string } {
  const paths = policyPaths(scenario);
  const found =
    spec === 'key' ? paths.filter(([id]) => id.startsWith('key:')) : paths.filter(([id]) => id === spec);
  if (found.length !== 1)
    return {
      ok: false,
      message:
        spec === 'key'
          ? `policy=key needs a scenario with exactly one key policy (it has ${found.length})`
          : `the scenario has no policy "${spec}" (it has ${paths.map(([id]) => id).join(', ') || 'none'})`,
    };
  return { ok: true, policyId: found[0]![0], path: found[0]![1] };
}

/** The text the learner's editor starts with. */
export function starterText(scenario: Scenario, question: FixQuestion): string {
  if (question.starter !== undefined) return question.starter;
  const resolved = resolvePolicyId(scenario, question.policyId);
  return resolved.ok ? JSON.stringify(valueAt(scenario, resolved.path), null, 2) : '';
}

export interface FixCaseResult extends FixCase {
  actual: Decision;
  pass: boolean;
  result: EvaluationResult;
}

export type FixGrade =
  | { ok: true; passed: boolean; cases: FixCaseResult[]; policyId: string }
  | { ok: false; message: string; error?: Pick<LocatedError, 'line' | 'column'> };

/** Puts the learner's policy text in the scenario and runs every case of the matrix. */
export function gradeFix(scenario: Scenario, question: FixQuestion, policyText: string): FixGrade {
  const resolved = resolvePolicyId(scenario, question.policyId);
  if (!resolved.ok) return resolved;
  let document: unknown;
  try {
    document = JSON.parse(policyText);
  } catch (error) {
    return { ok: false, message: `the policy is not JSON yet: ${(error as Error).message}` };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return { ok: false, message: 'a policy is a JSON object with a "Statement"' };
  const edited = withValueAt(scenario, resolved.path, document);
  const prepared = prepareScenario(edited, { sources: { [resolved.policyId]: policyText } });
  const cases: FixCaseResult[] = [];
  for (const fixCase of question.cases) {
    const request = (edited.requests ?? []).find((candidate) => candidate.id === fixCase.requestId);
    if (!request) return { ok: false, message: `scenario "${question.scenario}" has no request "${fixCase.requestId}"` };
    const result = prepared.evaluate(request);
    cases.push({ ...fixCase, actual: result.decision, pass: result.decision === fixCase.expected, result });
  }
  return { ok: true, passed: cases.every((c) => c.pass), cases, policyId: resolved.policyId };
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
}

/** A copy of the scenario with the value at `path` replaced (the rest is shared, never mutated). */
function withValueAt(scenario: Scenario, path: (string | number)[], value: unknown): Scenario {
  const put = (node: unknown, depth: number): unknown => {
    if (depth === path.length) return value;
    const key = path[depth]!;
    const copy = (Array.isArray(node) ? [...node] : { ...(node as object) }) as Record<string | number, unknown>;
    copy[key] = put((node as Record<string | number, unknown>)[key], depth + 1);
    return copy;
  };
  return put(scenario, 0) as Scenario;
}
