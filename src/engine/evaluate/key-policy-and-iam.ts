/**
 * The policy nodes `key-policy`, `identity-policy`, `boundary` and `session-policy` (§1.2 step 4, §1.3): the
 * key policy alone (path A), the key policy delegating to the account plus IAM (path B), cross-account use
 * (XA), and the limits a boundary and a session policy put on them. `authorizeOnKey` runs every layer for one
 * key: explicit deny, guardrails, these policy paths, then grants.
 */
import type { AllowPath, StepId } from '../types';
import {
  namesEveryone,
  type CompiledPolicy,
  type StatementEvaluation,
  type StatementRequest,
} from '../compile';
import type { DerivedContext } from '../context';
import type { KmsOperation } from '../kms-actions';
import { sessionPolicyFor, type PreparedKey } from '../world';
import { isSession } from './caller';
import { denyOutcome, explicitDeny } from './explicit-deny';
import { everyoneWords, keyDenial, labelOf } from './explanation';
import { grantDenialOf, grantPathAllow, NO_GRANT_SEARCH, recordGrantStep, searchGrants } from './grants';
import {
  endpointPoliciesFor,
  guardrailOutcome,
  guardrails,
  rcpPoliciesFor,
  scpPoliciesFor,
} from './guardrails';
import {
  append,
  applying,
  evaluateLayer,
  joined,
  markRole,
  NO_EVALUATIONS,
  NO_POLICIES,
  refs,
  statementRequest,
  type LayerResult,
  type Layers,
} from './layers';
import { allowPart, NO_STATEMENTS, step, StepTable, type PartBase, type PartOutcome, type Run } from './run';

// ---------------------------------------------------------------- the layers of a part

/** IAM-EVAL: the session policy passed when the role was assumed; it applies to sessions only. */
function sessionPoliciesFor(run: Run): CompiledPolicy[] {
  const { world, request } = run;
  if (!request.sessionPolicy) return NO_POLICIES;
  if (isSession(run.caller)) return [sessionPolicyFor(world, request.id, request.sessionPolicy)];
  run.note('The request has a session policy, but the caller is not a session, so it is ignored (IAM-EVAL).');
  return NO_POLICIES;
}

/**
 * Every layer besides the key policy, evaluated for the part: the caller's IAM policies and the guardrails.
 * `rcpAccount`: check the RCPs of this account (undefined: no RCP applies).
 */
export function collectLayers(run: Run, sreq: StatementRequest, rcpAccount?: string): Layers {
  const principal = run.identity.principal;
  const identityPolicies = principal?.identityPolicies ?? NO_POLICIES;
  const boundary = principal?.boundary ? [principal.boundary] : NO_POLICIES;
  const session = sessionPoliciesFor(run);
  const scpPolicies = scpPoliciesFor(run);
  const rcp = rcpPoliciesFor(run, rcpAccount);
  const endpointPolicies = endpointPoliciesFor(run);
  return {
    identity: evaluateLayer(run, identityPolicies, sreq),
    boundary: evaluateLayer(run, boundary, sreq),
    session: evaluateLayer(run, session, sreq),
    scp: evaluateLayer(run, scpPolicies, sreq),
    rcp: evaluateLayer(run, rcp.policies, sreq),
    endpoint: evaluateLayer(run, endpointPolicies, sreq),
    scpApplies: scpPolicies.length > 0,
    rcpApplies: rcp.applies,
    endpointUsed: run.request.vpcEndpoint !== undefined && run.request.vpcEndpoint !== '',
    hasBoundary: boundary.length > 0,
    hasSession: session.length > 0,
  };
}

// ---------------------------------------------------------------- the IAM policy path (§1.3)

export interface IamVerdict {
  identityAllows: StatementEvaluation[];
  identityOk: boolean;
  boundaryOk: boolean;
  sessionOk: boolean;
  /** The boundary and session policy allow (or the caller has none): they limit paths (B), (C) and role-ARN (A). */
  limitsOk: boolean;
  /** Identity, boundary and session policy all allow: the IAM policy path allows. */
  allowed: boolean;
  boundaryAllows: StatementEvaluation[];
  sessionAllows: StatementEvaluation[];
}

/** Identity ∩ boundary ∩ session (§1.3: the IAM policy path). Root needs no identity policy. */
export function iamVerdict(run: Run, layers: Layers): IamVerdict {
  const identityAllows = applying(layers.identity, 'Allow');
  const boundaryAllows = applying(layers.boundary, 'Allow');
  const sessionAllows = applying(layers.session, 'Allow');
  const root = run.caller.info.kind === 'root';
  // IAM-EVAL: GetFederationToken without a session policy leaves the federated user no IAM permissions.
  const federatedWithoutPolicy = run.caller.info.kind === 'federated-user' && !layers.hasSession;
  const identityOk = root || (identityAllows.length > 0 && !federatedWithoutPolicy);
  const boundaryOk = !layers.hasBoundary || boundaryAllows.length > 0;
  const sessionOk = !layers.hasSession || sessionAllows.length > 0;
  return {
    identityAllows,
    identityOk,
    boundaryOk,
    sessionOk,
    limitsOk: boundaryOk && sessionOk,
    allowed: identityOk && boundaryOk && sessionOk,
    boundaryAllows,
    sessionAllows,
  };
}

// ---------------------------------------------------------------- authorization on one key (§1.2 steps 2–4)

export interface KeyPartInput {
  operation: KmsOperation;
  action: string;
  key: PreparedKey;
  context: DerivedContext;
  /** Extra words for multi-resource operations, e.g. "on the destination key". */
  label?: string;
}

/** What the policy paths of one key part are decided from, once the explicit deny and the guardrails let it on. */
export interface KeyPart {
  input: KeyPartInput;
  sreq: StatementRequest;
  keyLayer: LayerResult[];
  layers: Layers;
  /** Caller and key in one account; a service principal acts for AWS, not from another account. */
  sameAccount: boolean;
  root: boolean;
  /** The key-policy Allows that apply, by whom they name: the caller itself or "*" (or, for root, its account)… */
  direct: StatementEvaluation[];
  /** …the caller's role… */
  byRole: StatementEvaluation[];
  /** …or the caller's account, which lets IAM policies grant access (DEF). */
  byAccount: StatementEvaluation[];
  iam: IamVerdict;
  /** The part's label for explanations (" on the destination key"), or ''. */
  on: string;
}

/** How a path allowed a key part. */
export interface PathAllow {
  allowedBy: AllowPath;
  deciding: StatementEvaluation[];
  decisiveStep: StepId;
  explanation: string;
}

export function authorizeOnKey(run: Run, input: KeyPartInput): PartOutcome {
  const { key, action, operation } = input;
  const steps = new StepTable(run.trace);
  const sreq = statementRequest(run, action, key.arn, input.context);
  const base: PartBase = { steps, resource: key.arn, action };

  // RCPK: RCPs cap the key's account, but not AWS managed keys and not RetireGrant.
  const aws = key.entry.manager === 'AWS';
  const keyLayer = keyPolicyLayer(run, key, sreq);
  const layers = collectLayers(run, sreq, aws ? undefined : key.account);

  const denies = explicitDeny(steps, keyLayer, layers);
  if (denies.length > 0) return denyOutcome(run, base, denies);
  const failure = guardrails(steps, layers, aws ? 'RCPs do not apply to AWS managed keys (RCPK)' : undefined);
  if (failure) return guardrailOutcome(run, base, failure);

  const part = keyPart(run, input, sreq, keyLayer, layers);
  let allow = policyPathAllow(run, part);
  // (C) grants, when no policy path allowed.
  const grants =
    allow || !operation.grantable
      ? NO_GRANT_SEARCH
      : searchGrants(run, key, operation.name, input.context.ec, run.request.grantTokens ?? []);
  allow ??= grantPathAllow(run, part, grants);
  const allowedBy = allow?.allowedBy ?? null;

  // No trace (the access matrix): the decision and the allow path are all that is read.
  if (!run.trace) return untracedPart(base, allow);

  const kpMatched = joined(joined(part.direct, part.byRole), part.byAccount);
  recordKeyPolicyStep(run, steps, part);
  recordIdentityStep(steps, part, kpMatched.length > 0);
  recordLimitSteps(run, steps, part, allowedBy);
  // Why the grant path failed, when a grant names the caller (lab-design §3: a grant-only denial names the grant).
  const grantDenial = allow ? undefined : grantDenialOf(run, grants, operation.name, action, part.iam);
  recordGrantStep(steps, operation, key, allowedBy, grants, grantDenial);

  if (allow)
    return allowPart(base, allow.allowedBy, refs(allow.deciding), allow.decisiveStep, allow.explanation);
  // Implicit deny: find where the most promising path stopped, and say it in words.
  return keyDenial(run, base, part, kpMatched, grantDenial);
}

function untracedPart(base: PartBase, allow: PathAllow | undefined): PartOutcome {
  return {
    steps: base.steps,
    resource: base.resource,
    action: base.action,
    decision: allow ? 'Allow' : 'ImplicitDeny',
    allowedBy: allow?.allowedBy ?? null,
    deniedBy: null,
    deciding: NO_STATEMENTS,
    decisiveStep: allow?.decisiveStep ?? 'key-policy',
    explanation: '',
  };
}

/** The key policy's statements evaluated for the part (none when the scenario gives the key no policy). */
function keyPolicyLayer(run: Run, key: PreparedKey, sreq: StatementRequest): LayerResult[] {
  const keyLayer = key.policy ? evaluateLayer(run, [key.policy], sreq) : [];
  if (!key.policy)
    run.note(
      `The key ${key.arn} has no policy in the scenario, so no principal can use it except through grants.`,
    );
  return keyLayer;
}

function keyPart(
  run: Run,
  input: KeyPartInput,
  sreq: StatementRequest,
  keyLayer: LayerResult[],
  layers: Layers,
): KeyPart {
  const caller = run.caller;
  const root = caller.info.kind === 'root';
  // DEF: the account principal "represents the account and its administrators, including the account root user".
  let direct = NO_EVALUATIONS;
  let byRole = NO_EVALUATIONS;
  let byAccount = NO_EVALUATIONS;
  for (const e of applying(keyLayer, 'Allow')) {
    const kind = e.principalKind;
    if (kind === 'principal' || namesEveryone(kind) || (root && kind === 'account'))
      direct = append(direct, e, NO_EVALUATIONS);
    else if (kind === 'role') byRole = append(byRole, e, NO_EVALUATIONS);
    else if (kind === 'account') byAccount = append(byAccount, e, NO_EVALUATIONS);
  }
  return {
    input,
    sreq,
    keyLayer,
    layers,
    // A service principal acts for AWS, not from another account.
    sameAccount: caller.account === input.key.account || caller.info.kind === 'service',
    root,
    direct,
    byRole,
    byAccount,
    iam: iamVerdict(run, layers),
    on: input.label ? ` ${input.label}` : '',
  };
}

/** Paths (A) and (B): the key policy names the caller, its role or its account (with IAM), in its account or across. */
function policyPathAllow(run: Run, part: KeyPart): PathAllow | undefined {
  const { direct, byRole, byAccount, iam } = part;
  if (!part.sameAccount) {
    if ((direct.length > 0 || byRole.length > 0 || byAccount.length > 0) && iam.allowed)
      return crossAccountAllow(run, part);
    return undefined;
  }
  if (direct.length > 0) return directAllow(run, part);
  if (byRole.length > 0 && iam.limitsOk) {
    // (A) with a role ARN: §1.3 an implicit deny in the boundary or session policy still limits it.
    markRole(byRole, 'allow');
    return {
      allowedBy: 'key-policy',
      deciding: byRole,
      decisiveStep: 'key-policy',
      explanation: run.trace
        ? `${run.name} is allowed${part.on}: ${labelOf(byRole)} names its role, and in the key's own account the key policy alone is enough (CTL)${part.layers.hasBoundary || part.layers.hasSession ? '; its permissions boundary and session policy allow it too, as they must when a key policy names a role (IAM-EVAL)' : ''}.`
        : '',
    };
  }
  if (byAccount.length > 0 && iam.allowed) {
    // (B) the key policy delegates to the account, and IAM allows (DEF).
    markRole(byAccount, 'delegation');
    markRole(iam.identityAllows, 'iam-allow');
    return {
      allowedBy: 'key-policy+iam',
      deciding: joined(byAccount, iam.identityAllows),
      decisiveStep: 'identity-policy',
      explanation: run.trace
        ? `${run.name} is allowed${part.on}: ${labelOf(byAccount)} lets IAM policies grant access to the key, and ${iam.identityAllows[0]?.ref.label ?? 'its IAM permissions'} allows ${part.input.action} on it.`
        : '',
    };
  }
  return undefined;
}

/** (A) same account: the key policy alone is enough (CTL). §1.3: naming a user, a session or "*" is not limited by ID/PB/SP. */
function directAllow(run: Run, part: KeyPart): PathAllow {
  const { direct, layers, root } = part;
  const caller = run.caller;
  markRole(direct, 'allow');
  const wildcard = direct.every((e) => namesEveryone(e.principalKind));
  if (wildcard && isSession(caller) && (layers.hasBoundary || layers.hasSession) && !part.iam.limitsOk) {
    run.note(
      '[inferred] A key-policy statement with Principal "*" is treated like one naming the session itself, so the permissions boundary and session policy do not limit it (IAM-EVAL states this only for user and session ARNs).',
    );
  }
  return {
    allowedBy: 'key-policy',
    deciding: direct,
    decisiveStep: 'key-policy',
    explanation: run.trace
      ? `${run.name} is allowed${part.on}: ${labelOf(direct)} ${wildcard ? everyoneWords(direct) : root ? "names the caller's account, which includes its root user" : 'names it directly'}, and in the key's own account the key policy alone is enough (CTL).`
      : '',
  };
}

/** Cross-account (A) or (B): XA "Neither the key policy nor the IAM policy alone is sufficient". */
function crossAccountAllow(run: Run, part: KeyPart): PathAllow {
  const { direct, byRole, byAccount, iam } = part;
  const caller = run.caller;
  const kp = direct.length > 0 ? direct : byRole.length > 0 ? byRole : byAccount;
  markRole(kp, kp === byAccount ? 'delegation' : 'allow');
  markRole(iam.identityAllows, 'iam-allow');
  return {
    allowedBy: 'key-policy+iam',
    deciding: joined(kp, iam.identityAllows),
    decisiveStep: 'identity-policy',
    explanation: `${run.name} is allowed${part.on}: the key is in account ${part.input.key.account} and the caller in ${caller.account}; ${labelOf(kp)} ${kp === byAccount ? `names account ${caller.account}` : 'names the caller'}, and ${iam.identityAllows[0]?.ref.label ?? 'its IAM permissions'} in ${caller.account} allows ${part.input.action} on the key. Cross-account use needs both (XA).`,
  };
}

// ---------------------------------------------------------------- the policy steps of a key part

function recordKeyPolicyStep(run: Run, steps: StepTable, part: KeyPart): void {
  const { direct, byRole, byAccount } = part;
  if (!part.input.key.policy) step(steps, 'key-policy', 'fail', 'The key has no key policy');
  else if (direct.length > 0)
    step(
      steps,
      'key-policy',
      'pass',
      `${labelOf(direct)} ${part.root ? "names the caller's account (its root user)" : 'names the caller'}`,
      refs(direct),
    );
  else if (byRole.length > 0)
    step(steps, 'key-policy', 'pass', `${labelOf(byRole)} names the caller's role`, refs(byRole));
  else if (byAccount.length > 0)
    step(
      steps,
      'key-policy',
      'pass',
      `${labelOf(byAccount)} names account ${run.caller.account}, enabling IAM policies`,
      refs(byAccount),
    );
  else step(steps, 'key-policy', 'fail', 'No key-policy statement allows this caller and action');
}

/** `kpMatched`: some key-policy Allow names the caller, its role or its account, so an IAM allow can take effect. */
function recordIdentityStep(steps: StepTable, part: KeyPart, kpMatched: boolean): void {
  const { action, key } = part.input;
  const identityAllows = part.iam.identityAllows;
  const iamNeeded = !part.sameAccount || (part.direct.length === 0 && part.byRole.length === 0);
  if (part.root)
    step(steps, 'identity-policy', 'pass', 'The root user needs no IAM policy in its own account');
  else if (identityAllows.length > 0) {
    step(
      steps,
      'identity-policy',
      iamNeeded ? (kpMatched ? 'pass' : 'fail') : 'skip',
      !iamNeeded
        ? 'Not needed: the key policy names the caller'
        : kpMatched
          ? `${identityAllows[0].ref.label} allows ${action} on the key`
          : `${identityAllows[0].ref.label} allows ${action}, but it has no effect: the key policy does not let IAM policies grant access`,
      refs(identityAllows),
    );
  } else {
    step(
      steps,
      'identity-policy',
      iamNeeded ? 'fail' : 'skip',
      iamNeeded
        ? `No identity policy allows ${action} on ${key.arn}`
        : 'Not needed: the key policy names the caller',
    );
  }
}

/** The boundary and session-policy steps of a key part: they limit paths (B), (C) and role-ARN (A) (§1.3). */
function recordLimitSteps(run: Run, steps: StepTable, part: KeyPart, allowedBy: AllowPath | null): void {
  const { iam, layers } = part;
  const action = part.input.action;
  const limitsMatter = allowedBy !== 'key-policy' || (part.byRole.length > 0 && part.direct.length === 0);
  const allowed = allowedBy !== null;
  limitStep(
    steps,
    'boundary',
    layers.hasBoundary,
    iam.boundaryOk,
    iam.boundaryAllows,
    'permissions boundary',
    action,
    limitsMatter,
    allowed,
  );
  limitStep(
    steps,
    'session-policy',
    layers.hasSession,
    iam.sessionOk,
    iam.sessionAllows,
    'session policy',
    action,
    limitsMatter,
    allowed,
  );
  if (run.caller.info.kind === 'federated-user' && !layers.hasSession) {
    step(steps, 'session-policy', 'fail', 'A federated user without a session policy has no IAM permissions');
  }
}

/** One limit's step: `matters` when the path used (or wanted) is one the limit caps; `allowed` when the part was. */
export function limitStep(
  steps: StepTable,
  id: 'boundary' | 'session-policy',
  has: boolean,
  ok: boolean,
  allows: StatementEvaluation[],
  what: string,
  action: string,
  matters: boolean,
  allowed: boolean,
): void {
  if (!has) return;
  if (ok)
    step(
      steps,
      id,
      matters ? 'pass' : 'skip',
      matters
        ? `The ${what} allows ${action}`
        : 'Not applied: the key policy names the caller itself (IAM-EVAL)',
      refs(allows),
    );
  else step(steps, id, matters || !allowed ? 'fail' : 'skip', `The ${what} does not allow ${action}`);
}
