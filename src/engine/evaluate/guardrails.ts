/**
 * The guardrail nodes `scp`, `rcp` and `vpc-endpoint` (§1.2 step 3): which of those policies apply to the
 * request, and the rule that every level of each must contain an Allow that applies (IAM-EVAL, RCPK, VPCE).
 * A guardrail grants nothing; it caps what the other policies grant.
 */
import type { PolicyLayer, StepId } from '../types';
import type { CompiledPolicy, StatementEvaluation } from '../compile';
import { LAYER_WORDS } from './explanation';
import { markRole, NO_POLICIES, refs, type LayerResult, type Layers } from './layers';
import { SKIPPED, step, type PartBase, type PartOutcome, type Run, type StepTable } from './run';

/** §9: the SCPs on the caller's account path; not for service principals, nor service-linked roles [secondary sources]. */
export function scpPoliciesFor(run: Run): CompiledPolicy[] {
  const caller = run.caller;
  let scpPolicies = run.world.scps.get(caller.account) ?? NO_POLICIES;
  if (scpPolicies.length > 0 && caller.info.kind === 'service') scpPolicies = NO_POLICIES;
  if (scpPolicies.length > 0 && caller.roleArn?.includes(':role/aws-service-role/')) {
    run.note(
      'SCPs do not apply to service-linked roles (reported by secondary sources; verify on the Organizations pages).',
    );
    scpPolicies = NO_POLICIES;
  }
  return scpPolicies;
}

/** RCPK: the RCPs on the key's account path (`account` undefined: no RCP applies, e.g. an AWS managed key). */
export function rcpPoliciesFor(run: Run, account: string | undefined): CompiledPolicy[] {
  return account !== undefined ? (run.world.rcps.get(account) ?? NO_POLICIES) : NO_POLICIES;
}

/** VPCE: the policy of the endpoint the call came through; with none in the scenario, the default allows everything. */
export function endpointPoliciesFor(run: Run): CompiledPolicy[] {
  const request = run.request;
  if (request.vpcEndpoint === undefined || request.vpcEndpoint === '') return NO_POLICIES;
  const endpoint = run.world.endpoints.get(request.vpcEndpoint);
  if (endpoint?.policy) return [endpoint.policy];
  run.note(
    `VPC endpoint ${request.vpcEndpoint} has no policy in the scenario, so it has the default policy, which allows everything (VPCE).`,
  );
  return NO_POLICIES;
}

export type GuardrailFailure = { layer: PolicyLayer; policy: CompiledPolicy };

/** One guardrail layer: every level (policy) must contain an Allow that applies (IAM-EVAL, RCPK, VPCE). */
function checkGuardrail(
  steps: StepTable,
  id: StepId,
  layer: PolicyLayer,
  results: LayerResult[],
  applies: boolean,
  skipSummary: string,
  words: string,
  earlier: GuardrailFailure | undefined,
): GuardrailFailure | undefined {
  if (!applies) {
    step(steps, id, 'skip', skipSummary);
    return earlier;
  }
  if (earlier) {
    step(steps, id, 'skip', 'Not reached');
    return earlier;
  }
  const allows: StatementEvaluation[] = [];
  for (const result of results) {
    let found = false;
    for (const e of result.evaluations) {
      if (e.applies && e.ref.effect === 'Allow') {
        allows.push(e);
        found = true;
      }
    }
    if (!found) {
      if (steps.recording)
        step(
          steps,
          id,
          'deny',
          `${result.policy.label} has no Allow for this request, so ${words} denies it`,
        );
      return { layer, policy: result.policy };
    }
  }
  if (!steps.recording) return undefined;
  markRole(allows, 'guardrail-allow');
  step(
    steps,
    id,
    'pass',
    results.length > 1
      ? `Every level of ${words} allows the request`
      : `${results[0]?.policy.label ?? words} allows the request`,
    refs(allows),
  );
  return undefined;
}

/** §1.2 step 3: the guardrails that must each contain a matching Allow. Returns the failing layer, if any. */
export function guardrails(
  steps: StepTable,
  layers: Layers,
  rcpSkipReason: string | undefined,
): GuardrailFailure | undefined {
  let failure = checkGuardrail(
    steps,
    'scp',
    'scp',
    layers.scp,
    layers.scpApplies,
    'No SCP applies to the caller',
    'the SCPs',
    undefined,
  );
  failure = checkGuardrail(
    steps,
    'rcp',
    'rcp',
    layers.rcp,
    layers.rcpApplies,
    rcpSkipReason ?? 'No RCP applies to the key',
    'the RCPs',
    failure,
  );
  // VPCE: with no endpoint policy in the scenario the default (allow everything) applies.
  return checkGuardrail(
    steps,
    'vpc-endpoint',
    'endpoint',
    layers.endpoint,
    layers.endpointUsed && layers.endpoint.length > 0,
    layers.endpointUsed ? 'The endpoint has the default policy (allows everything)' : SKIPPED['vpc-endpoint'],
    'the VPC endpoint policy',
    failure,
  );
}

/** The part's outcome when a guardrail had no Allow: that layer denied it. */
export function guardrailOutcome(run: Run, part: PartBase, failure: GuardrailFailure): PartOutcome {
  const stepId: StepId = failure.layer === 'scp' ? 'scp' : failure.layer === 'rcp' ? 'rcp' : 'vpc-endpoint';
  return {
    steps: part.steps,
    resource: part.resource,
    action: part.action,
    decision: 'ImplicitDeny',
    allowedBy: null,
    deniedBy: { layer: failure.layer },
    deciding: [],
    decisiveStep: stepId,
    explanation: !run.trace
      ? ''
      : `${run.name} is denied: ${failure.policy.label} does not allow ${part.action}, and every ${failure.layer === 'endpoint' ? 'endpoint policy' : 'level of ' + failure.layer.toUpperCase() + 's'} must allow a request (a guardrail grants nothing, but it caps what other policies grant).`,
    denyReason: run.trace
      ? `because no ${LAYER_WORDS[failure.layer]} allows the ${part.action} action`
      : undefined,
  };
}
