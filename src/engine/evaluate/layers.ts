/**
 * The statements of one policy layer evaluated for one request, and the small list helpers every layer module
 * shares. The layers themselves (which policies apply to the caller) are gathered by `collectLayers` in
 * `key-policy-and-iam.ts`, with the guardrails' choice of policies from `guardrails.ts`.
 */
import type { StatementMatch, StatementRef } from '../types';
import {
  evaluateStatement,
  type CompiledPolicy,
  type StatementEvaluation,
  type StatementRequest,
} from '../compile';
import type { DerivedContext } from '../context';
import { noteRejected, rejectionsOfPolicy } from './rejected-policies';
import type { Run } from './run';

export interface LayerResult {
  policy: CompiledPolicy;
  evaluations: StatementEvaluation[];
}

/** Shared by every layer with no policy; never mutated. */
const NO_LAYER_RESULTS: LayerResult[] = [];

/** Shared by every layer without policies; never mutated. */
export const NO_POLICIES: CompiledPolicy[] = [];

/** Shared by every empty list of evaluations; never mutated (lists are only filled where they are made). */
export const NO_EVALUATIONS: StatementEvaluation[] = [];

/** The layers every request goes through besides the key policy. */
export interface Layers {
  identity: LayerResult[];
  boundary: LayerResult[];
  session: LayerResult[];
  scp: LayerResult[];
  rcp: LayerResult[];
  endpoint: LayerResult[];
  /** Whether each guardrail applies at all (the lists above are then non-empty or the default). */
  scpApplies: boolean;
  rcpApplies: boolean;
  endpointUsed: boolean;
  hasBoundary: boolean;
  hasSession: boolean;
}

/** Evaluates every statement of the policies, recording their matches and notes in the run. */
export function evaluateLayer(
  run: Run,
  policies: CompiledPolicy[],
  request: StatementRequest,
): LayerResult[] {
  let results = NO_LAYER_RESULTS;
  for (const policy of policies) {
    // A policy AWS would refuse to store is never in effect: it is not evaluated, the result reports it.
    const rejected = rejectionsOfPolicy(policy);
    if (rejected.length > 0) {
      noteRejected(run, policy, rejected);
      continue;
    }
    const evaluations = policy.statements.map((statement) => evaluateStatement(statement, request));
    for (const evaluation of evaluations) {
      if (evaluation.match) run.statements.push(evaluation.match);
      if (evaluation.multiValuedWithoutSetOperator) {
        run.note(
          'A condition tests a key with several values without ForAllValues/ForAnyValue; AWS does not document the result, and the lab treats it as no match.',
        );
      }
    }
    results = append(results, { policy, evaluations }, NO_LAYER_RESULTS);
  }
  return results;
}

/** Lower-cased actions by action: the same few actions are matched again and again. */
const lowerCaseActions = new Map<string, string>();

/** What the statements of one part are compared with: the action on one resource, by the run's caller. */
export function statementRequest(
  run: Run,
  action: string,
  resource: string,
  context: DerivedContext,
): StatementRequest {
  let actionLower = lowerCaseActions.get(action);
  if (actionLower === undefined) {
    if (lowerCaseActions.size >= 512) lowerCaseActions.clear();
    actionLower = action.toLowerCase();
    lowerCaseActions.set(action, actionLower);
  }
  return { action, actionLower, resource, caller: run.caller, context: context.lookup, trace: run.trace };
}

/**
 * `list` with `item` added, where `list` may be the shared empty list `empty`: the first item makes a list of one.
 * (A first push on `[]` reserves 17 slots; a decision makes many short lists, and their slack was a good part of
 * what it allocated.)
 */
export function append<T>(list: T[], item: T, empty: readonly T[]): T[] {
  if (list === empty) return [item];
  list.push(item);
  return list;
}

/** a then b, in one new array unless one is empty (then the other is returned as is; callers never mutate them). */
export function joined<T>(a: T[], b: T[]): T[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = a.slice();
  for (let i = 0; i < b.length; i++) out.push(b[i]);
  return out;
}

/** The statements of the layer that apply to the request with this effect. */
export function applying(layers: LayerResult[], effect: 'Allow' | 'Deny'): StatementEvaluation[] {
  let out = NO_EVALUATIONS;
  for (const layer of layers)
    for (const e of layer.evaluations)
      if (e.applies && e.ref.effect === effect) out = append(out, e, NO_EVALUATIONS);
  return out;
}

export function refs(evaluations: StatementEvaluation[]): StatementRef[] {
  return evaluations.map((e) => e.ref);
}

export function markRole(evaluations: StatementEvaluation[], role: StatementMatch['role']): void {
  for (const e of evaluations) if (e.match) e.match.role = role;
}
