/**
 * The `iam-only` node (§3, BP): IAM-only actions (CreateKey, ListKeys, ListAliases, GenerateRandom…) are decided
 * by IAM policies alone, with Resource "*"; no key policy and no grant takes part. The IAM half of an alias
 * operation (AL) is decided the same way, on the alias ARN.
 */
import type { EvaluationResult, StepId } from '../types';
import { parameter, type DerivedContext } from '../context';
import type { KmsOperation } from '../kms-actions';
import { denyOutcome, explicitDeny } from './explicit-deny';
import { guardrailOutcome, guardrails } from './guardrails';
import { collectLayers, iamVerdict, limitStep, type IamVerdict } from './key-policy-and-iam';
import { markRole, refs, statementRequest, type Layers } from './layers';
import { finishParts } from './result';
import {
  allowPart,
  contextFor,
  implicitDenyPart,
  SKIPPED,
  step,
  StepTable,
  type PartBase,
  type PartOutcome,
  type Run,
} from './run';

/** A request for an IAM-only action: no key, no cross-account check, IAM policies on "*". */
export function evaluateIamOnlyRequest(run: Run, operation: KmsOperation, action: string): EvaluationResult {
  const context = contextFor(run, operation, undefined);
  step(run.steps, 'resolve-key', 'skip', SKIPPED['resolve-key']);
  step(run.steps, 'cross-account', 'skip', 'No key, so no cross-account check');
  // §3, BP: these permissions exist only in IAM policies, with Resource "*".
  step(
    run.steps,
    'iam-only',
    'pass',
    `${operation.name} is an IAM-only action: key policies do not take part, and the resource is "*"`,
  );
  if (run.request.keyId) run.note(`${operation.name} uses no key, so the request's keyId is ignored.`);
  const part = authorizeIamOnly(run, action, '*', context, `${operation.name}`);
  return finishParts(run, [part], [], operation, context);
}

/**
 * An action of another AWS service, as the KMS simulator's service integrations ask before they call KMS for the
 * caller (`secretsmanager:GetSecretValue`, `s3:GetObject`), on the resource ARN in `parameters.resource`. It is
 * decided like an IAM-only action: identity policies, boundary, session policy, SCPs and the VPC endpoint policy.
 * [lab choice] That service's own resource policies (secret policies, bucket policies) are not modelled, so only a
 * caller of the resource's account can be allowed.
 */
export function evaluateServiceRequest(run: Run, action: string): EvaluationResult {
  const resource = parameter(run.request, 'resource');
  const operation: KmsOperation = {
    name: action,
    action,
    actionLower: action.toLowerCase(),
    kind: 'iam-only',
    crossAccount: false,
    grantable: false,
    mutatesKey: false,
    usesEncryptionContext: false,
  };
  const context = contextFor(run, operation, undefined);
  step(run.steps, 'resolve-key', 'skip', SKIPPED['resolve-key']);
  step(run.steps, 'cross-account', 'skip', 'Not a KMS action: no cross-account check');
  step(
    run.steps,
    'iam-only',
    'pass',
    `${action} is an action of another AWS service: IAM policies decide it, and its resource policies are not modelled`,
  );
  const part = authorizeIamOnly(
    run,
    action,
    typeof resource === 'string' && resource !== '' ? resource : '*',
    context,
    action,
  );
  return finishParts(run, [part], [], operation, context);
}

/** `what` names what is decided by IAM alone, e.g. "CreateKey" or "permission on the alias alias/app". */
export function authorizeIamOnly(
  run: Run,
  action: string,
  resource: string,
  context: DerivedContext,
  what: string,
): PartOutcome {
  const steps = new StepTable(run.trace);
  const sreq = statementRequest(run, action, resource, context);
  const layers = collectLayers(run, sreq);
  const base: PartBase = { steps, resource, action };
  const denies = explicitDeny(steps, [], layers);
  if (denies.length > 0) return denyOutcome(run, base, denies);
  const failure = guardrails(steps, layers, 'No key resource: RCPs do not take part');
  if (failure) return guardrailOutcome(run, base, failure);
  const iam = iamVerdict(run, layers);
  recordIamOnlySteps(run, steps, layers, iam, action, resource, what);
  if (iam.allowed) {
    markRole(iam.identityAllows, 'iam-allow');
    return allowPart(
      base,
      'iam-only',
      refs(iam.identityAllows),
      'identity-policy',
      run.caller.info.kind === 'root'
        ? `The root user of ${run.caller.account} is allowed ${action}: it needs no IAM policy in its own account, and ${what} is decided by IAM policies only.`
        : `${run.name} is allowed: ${iam.identityAllows[0].ref.label} allows ${action}, and ${what} is decided by IAM policies only (no key policy takes part).`,
    );
  }
  return iamOnlyDenial(run, base, iam, what);
}

function recordIamOnlySteps(
  run: Run,
  steps: StepTable,
  layers: Layers,
  iam: IamVerdict,
  action: string,
  resource: string,
  what: string,
): void {
  step(steps, 'key-policy', 'skip', `Key policies do not take part in ${what}`);
  if (run.caller.info.kind === 'root')
    step(steps, 'identity-policy', 'pass', 'The root user needs no IAM policy in its own account');
  else if (iam.identityOk)
    step(
      steps,
      'identity-policy',
      'pass',
      `${iam.identityAllows[0].ref.label} allows ${action}`,
      refs(iam.identityAllows),
    );
  else
    step(
      steps,
      'identity-policy',
      'fail',
      `No identity policy allows ${action}${resource === '*' ? ' on "*"' : ` on ${resource}`}`,
    );
  // The IAM policy path is the only path here, so the limits always matter (§1.3).
  limitStep(
    steps,
    'boundary',
    layers.hasBoundary,
    iam.boundaryOk,
    iam.boundaryAllows,
    'permissions boundary',
    action,
    true,
    false,
  );
  limitStep(
    steps,
    'session-policy',
    layers.hasSession,
    iam.sessionOk,
    iam.sessionAllows,
    'session policy',
    action,
    true,
    false,
  );
  step(steps, 'grant', 'skip', `Grants do not take part in ${what}`);
}

/** The first IAM layer that did not allow, in words. */
function iamOnlyDenial(run: Run, base: PartBase, iam: IamVerdict, what: string): PartOutcome {
  const { action, resource } = base;
  const blocker: StepId = !iam.identityOk
    ? 'identity-policy'
    : !iam.boundaryOk
      ? 'boundary'
      : 'session-policy';
  const words =
    blocker === 'identity-policy'
      ? 'no identity policy'
      : blocker === 'boundary'
        ? 'its permissions boundary does not'
        : 'its session policy does not';
  return implicitDenyPart(
    base,
    blocker,
    `${run.name} is denied: ${what} is decided by IAM policies only, and ${words} allow${blocker === 'identity-policy' ? 's' : ''} ${action}${resource === '*' ? '' : ` on ${resource}`}.`,
    `because no ${blocker === 'identity-policy' ? 'identity-based policy' : blocker === 'boundary' ? 'permissions boundary' : 'session policy'} allows the ${action} action`,
  );
}
