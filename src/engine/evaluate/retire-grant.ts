/**
 * The `retire-grant` node (§4.4, GM): RetireGrant is decided by the grant, not by the key policy. Its retiring
 * principal, a grantee whose grant includes RetireGrant (or who is also the retiring principal), and the
 * account that created the grant (or its IAM principals allowed kms:RetireGrant) may retire it.
 */
import type { GrantSpec } from '../../scenario/types';
import type { EvaluationResult } from '../types';
import { parameter, type DerivedContext } from '../context';
import type { KmsOperation } from '../kms-actions';
import type { PreparedKey } from '../world';
import { crossAccountCheck } from './cross-account';
import { denyOutcome, explicitDeny } from './explicit-deny';
import { granteeCovers } from './grants';
import { guardrailOutcome, guardrails } from './guardrails';
import { collectLayers, iamVerdict, type IamVerdict } from './key-policy-and-iam';
import { markRole, refs, statementRequest } from './layers';
import { failEarly, finishParts } from './result';
import {
  allowPart,
  contextFor,
  implicitDenyPart,
  step,
  StepTable,
  type PartBase,
  type PartOutcome,
  type Run,
} from './run';

/** A RetireGrant request: the grant named by id or token, then the retire rules on its key. */
export function evaluateRetireRequest(run: Run, operation: KmsOperation): EvaluationResult {
  const { request, world } = run;
  const grantId = parameter(request, 'grantId');
  const token = parameter(request, 'grantToken');
  let grant: GrantSpec | undefined;
  for (const g of world.scenario.grants ?? []) {
    if (
      (typeof grantId === 'string' && g.grantId === grantId) ||
      (typeof token === 'string' && g.grantToken === token)
    )
      grant = g;
  }
  const key = grant ? world.keys.get(grant.keyArn) : undefined;
  if (!grant || !key) {
    return failEarly(
      run,
      'resolve-key',
      'NotFoundException',
      `Grant ${String(grantId ?? token ?? '(none)')} not found`,
      'RetireGrant names no grant of the scenario (give parameters.grantId or parameters.grantToken), so it fails with NotFoundException.',
    );
  }
  // GR: before it propagates, a grant can be retired only with its grant token.
  if (grant.propagated === false && token !== grant.grantToken) {
    return failEarly(
      run,
      'resolve-key',
      'NotFoundException',
      `Grant ${grant.grantId} not found`,
      `Grant ${grant.grantId} has not propagated yet, so it can be retired only with its grant token (GR).`,
    );
  }
  step(run.steps, 'resolve-key', 'pass', `Grant ${grant.grantId} on ${key.arn}`);
  step(run.steps, 'iam-only', 'skip', 'RetireGrant is decided by the grant');
  const context = contextFor(run, operation, key);
  const crossAccount = crossAccountCheck(run, operation, [key], context);
  if (crossAccount) return crossAccount;
  const part = authorizeRetire(run, grant, key, context);
  return finishParts(run, [part], [{ key }], operation, context);
}

function authorizeRetire(run: Run, grant: GrantSpec, key: PreparedKey, context: DerivedContext): PartOutcome {
  const steps = new StepTable(run.trace);
  const action = 'kms:RetireGrant';
  const sreq = statementRequest(run, action, key.arn, context);
  // GM: kms:RetireGrant in a key policy has no effect; RCPK: RCPs do not apply to RetireGrant.
  run.note(
    'RetireGrant is decided by the grant: key-policy statements have no effect on it (GM), and RCPs do not apply to it (RCPK).',
  );
  const layers = collectLayers(run, sreq);
  const base: PartBase = { steps, resource: key.arn, action };
  const denies = explicitDeny(steps, [], layers);
  if (denies.length > 0) return denyOutcome(run, base, denies);
  const failure = guardrails(steps, layers, 'RCPs do not apply to RetireGrant (RCPK)');
  if (failure) return guardrailOutcome(run, base, failure);
  step(steps, 'key-policy', 'skip', 'Key-policy statements have no effect on RetireGrant (GM)');
  step(steps, 'grant', 'skip', 'RetireGrant follows its own rules');
  const iam = iamVerdict(run, layers);
  const allowed = retireRule(run, grant, key, iam);
  if (allowed) return retireAllowed(run, base, grant, iam, allowed.rule, allowed.viaIam);
  step(
    steps,
    'identity-policy',
    iam.identityAllows.length > 0 ? 'fail' : 'skip',
    iam.identityAllows.length > 0
      ? 'An IAM allow for kms:RetireGrant counts only in the account that created the grant or a retiring account (GM)'
      : 'No identity policy allows kms:RetireGrant',
  );
  step(
    steps,
    'retire-grant',
    'fail',
    'The caller is not the retiring principal, a grantee allowed to retire, or the issuing account',
  );
  return implicitDenyPart(
    base,
    'retire-grant',
    `${run.name} may not retire grant ${grant.grantId}: only its retiring principal, a grantee whose grant includes RetireGrant (or who is also the retiring principal), and the account that created the grant (or its IAM principals with kms:RetireGrant) may retire it (GM).`,
    `because no identity-based policy allows the ${action} action`,
  );
}

/** GM: the rule that lets the caller retire the grant, in words; `viaIam` when it needs the caller's IAM allow. */
function retireRule(
  run: Run,
  grant: GrantSpec,
  key: PreparedKey,
  iam: IamVerdict,
): { rule: string; viaIam: boolean } | undefined {
  const caller = run.caller;
  const issuingAccount = grant.issuingAccount ?? key.account;
  const retiring = grant.retiringPrincipal ? granteeCovers(grant.retiringPrincipal, caller) : undefined;
  const grantee = granteeCovers(grant.granteePrincipal, caller);
  if (retiring === 'direct')
    return { rule: `it is the grant's retiring principal (${grant.retiringPrincipal})`, viaIam: false };
  if (
    grantee === 'direct' &&
    (grant.retiringPrincipal === grant.granteePrincipal || grant.operations.includes('RetireGrant'))
  ) {
    return {
      rule: grant.operations.includes('RetireGrant')
        ? 'it is the grantee and the grant includes the RetireGrant operation'
        : 'it is both the grantee and the retiring principal',
      viaIam: false,
    };
  }
  if (retiring === 'account' && iam.allowed) {
    return {
      rule: `the retiring principal is its account ${caller.account}, and ${iam.identityAllows[0]?.ref.label ?? 'its IAM policy'} allows kms:RetireGrant`,
      viaIam: true,
    };
  }
  if (caller.account === issuingAccount && (caller.info.kind === 'root' || iam.allowed)) {
    return {
      rule:
        caller.info.kind === 'root'
          ? `it is the root user of ${issuingAccount}, the account that created the grant`
          : `it is in ${issuingAccount}, the account that created the grant, and ${iam.identityAllows[0]?.ref.label} allows kms:RetireGrant`,
      viaIam: caller.info.kind !== 'root',
    };
  }
  return undefined;
}

function retireAllowed(
  run: Run,
  base: PartBase,
  grant: GrantSpec,
  iam: IamVerdict,
  rule: string,
  viaIam: boolean,
): PartOutcome {
  if (viaIam) markRole(iam.identityAllows, 'iam-allow');
  step(
    base.steps,
    'identity-policy',
    viaIam ? 'pass' : 'skip',
    viaIam
      ? `${iam.identityAllows[0]?.ref.label} allows kms:RetireGrant`
      : 'Principals named in the grant need no kms:RetireGrant permission (GM)',
    viaIam ? refs(iam.identityAllows) : [],
  );
  step(base.steps, 'retire-grant', 'pass', `Allowed: ${rule}`);
  return allowPart(
    base,
    'retire-grant',
    viaIam ? refs(iam.identityAllows) : [],
    'retire-grant',
    `${run.name} may retire grant ${grant.grantId}: ${rule} (GM).`,
  );
}
