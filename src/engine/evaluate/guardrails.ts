/**
 * The guardrail nodes `scp`, `rcp` and `vpc-endpoint` (§1.2 step 3): which of those policies apply to the
 * request, and the rule that every level of each must contain an Allow that applies (IAM-EVAL, RCPK, VPCE).
 * A guardrail grants nothing; it caps what the other policies grant.
 */
import type { PolicyLayer, StepId } from '../types';
import type { CompiledPolicy } from '../compile';
import { isOrgMember } from '../../scenario/organization';
import { guardrailPolicies } from '../world';
import { LAYER_WORDS, upperFirst } from './explanation';
import { append, markRole, NO_EVALUATIONS, NO_POLICIES, refs, type LayerResult, type Layers } from './layers';
import { NOT_REACHED, SKIPPED, step, type PartBase, type PartOutcome, type Run, type StepTable } from './run';

/**
 * §9: the SCPs of every level from the root down to the caller's account (IAM-EVAL). Organizations SCP page:
 * not for principals of the management account, nor service-linked roles; service principals have no account.
 */
export function scpPoliciesFor(run: Run): CompiledPolicy[] {
  const { world, caller } = run;
  if (caller.info.kind === 'service') return NO_POLICIES;
  const policies = guardrailPolicies(world, 'scp', caller.account);
  if (policies.length === 0) return NO_POLICIES;
  if (world.scenario.organization?.managementAccount === caller.account) {
    run.note(
      `SCPs do not apply to principals of the management account (${caller.account}) (Organizations SCP page).`,
    );
    return NO_POLICIES;
  }
  if (caller.roleArn?.includes(':role/aws-service-role/')) {
    run.note('SCPs do not apply to service-linked roles (Organizations SCP page).');
    return NO_POLICIES;
  }
  return policies;
}

/**
 * RCPK: whether RCPs apply to a key in this account (`account` undefined: no RCP applies, e.g. an AWS managed
 * key), and the ones written down to it besides RCPFullAWSAccess. Organizations RCP page: RCPs apply to member
 * accounts, not to keys of the management account.
 */
export function rcpPoliciesFor(
  run: Run,
  account: string | undefined,
): { applies: boolean; policies: CompiledPolicy[] } {
  const organization = run.world.scenario.organization;
  if (account === undefined || !isOrgMember(organization, account))
    return { applies: false, policies: NO_POLICIES };
  if (organization?.managementAccount === account) {
    if (guardrailPolicies(run.world, 'rcp', account).length > 0)
      run.note(
        `RCPs do not apply to resources in the management account (${account}) (Organizations RCP page).`,
      );
    return { applies: false, policies: NO_POLICIES };
  }
  return { applies: true, policies: guardrailPolicies(run.world, 'rcp', account) };
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

/** `gap(what)`: `SCP "OnlyS3" on OU Workloads does not allow <what>`, or `none of the 2 SCPs on … allows <what>`. */
export type GuardrailFailure = { layer: PolicyLayer; policy: CompiledPolicy; gap: (what: string) => string };

function guardrailGap(results: LayerResult[], start: number, end: number): (what: string) => string {
  const policy = results[start].policy;
  if (end - start === 1 || !policy.orgLevel) return (what) => `${policy.label} does not allow ${what}`;
  const several = `none of the ${end - start} ${policy.layer.toUpperCase()}s on ${policy.orgLevel.label}`;
  return (what) => `${several} allows ${what}`;
}

/** The subject of a guardrail's sentences, with its verbs agreeing in number ("the SCPs deny", "the policy denies"). */
interface GuardrailWords {
  subject: string;
  deny: 'deny' | 'denies';
  allow: 'allow' | 'allows';
}
const SCP_WORDS: GuardrailWords = { subject: 'the SCPs', deny: 'deny', allow: 'allow' };
const ENDPOINT_WORDS: GuardrailWords = {
  subject: 'the VPC endpoint policy',
  deny: 'denies',
  allow: 'allows',
};

/**
 * One guardrail layer: every level must contain an Allow that applies (IAM-EVAL, RCPK, VPCE). The policies
 * attached to one level of the organization (same `orgLevel`) share it: one Allow among them is enough.
 * A policy without a level (the endpoint policy) is a level of its own.
 */
function checkGuardrail(
  steps: StepTable,
  id: StepId,
  layer: PolicyLayer,
  results: LayerResult[],
  applies: boolean,
  skipSummary: string,
  words: GuardrailWords,
  earlier: GuardrailFailure | undefined,
): GuardrailFailure | undefined {
  // After an earlier guardrail denied, this one is not reached, whether or not it would apply.
  if (earlier) {
    step(steps, id, 'skip', NOT_REACHED);
    return earlier;
  }
  if (!applies) {
    step(steps, id, 'skip', skipSummary);
    return undefined;
  }
  let allows = NO_EVALUATIONS;
  for (let start = 0; start < results.length;) {
    const level = results[start].policy.orgLevel;
    let end = start + 1;
    while (end < results.length && level && results[end].policy.orgLevel?.depth === level.depth) end++;
    let found = false;
    for (let i = start; i < end; i++) {
      for (const e of results[i].evaluations) {
        if (e.applies && e.ref.effect === 'Allow') {
          allows = append(allows, e, NO_EVALUATIONS);
          found = true;
        }
      }
    }
    if (!found) {
      const gap = guardrailGap(results, start, end);
      if (steps.recording)
        step(steps, id, 'deny', `${upperFirst(gap('this request'))}, so ${words.subject} ${words.deny} it`);
      return { layer, policy: results[start].policy, gap };
    }
    start = end;
  }
  if (!steps.recording) return undefined;
  markRole(allows, 'guardrail-allow');
  step(
    steps,
    id,
    'pass',
    results.length > 1
      ? `Every level of ${words.subject} allows the request`
      : results[0]
        ? `${upperFirst(results[0].policy.label)} allows the request`
        : `${upperFirst(words.subject)} ${words.allow} the request`,
    refs(allows),
  );
  return undefined;
}

/**
 * The `rcp` node. RCPFullAWSAccess allows everything at every level (RCPK), so RCPs never deny by omission:
 * a Deny among them has already decided at `explicit-deny`, and reaching this node means they allow.
 */
function rcpCheck(
  steps: StepTable,
  layers: Layers,
  skipReason: string | undefined,
  earlier: GuardrailFailure | undefined,
): GuardrailFailure | undefined {
  if (earlier) step(steps, 'rcp', 'skip', NOT_REACHED);
  else if (!layers.rcpApplies) step(steps, 'rcp', 'skip', skipReason ?? 'No RCP applies to the key');
  else
    step(
      steps,
      'rcp',
      'pass',
      layers.rcp.length > 0
        ? 'RCPFullAWSAccess is attached at every level and no RCP denies the request'
        : 'Only RCPFullAWSAccess applies (attached at every level): the RCPs allow the request',
    );
  return earlier;
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
    SCP_WORDS,
    undefined,
  );
  failure = rcpCheck(steps, layers, rcpSkipReason, failure);
  // VPCE: with no endpoint policy in the scenario the default (allow everything) applies.
  return checkGuardrail(
    steps,
    'vpc-endpoint',
    'endpoint',
    layers.endpoint,
    layers.endpointUsed && layers.endpoint.length > 0,
    layers.endpointUsed ? 'The endpoint has the default policy (allows everything)' : SKIPPED['vpc-endpoint'],
    ENDPOINT_WORDS,
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
      : `${run.name} is denied: ${failure.gap(part.action)}, and every ${failure.layer === 'endpoint' ? 'endpoint policy' : 'level of ' + failure.layer.toUpperCase() + 's'} must allow a request (a guardrail grants nothing, but it caps what other policies grant).`,
    denyReason: run.trace
      ? `because no ${LAYER_WORDS[failure.layer]} allows the ${part.action} action`
      : undefined,
  };
}
