/**
 * The words of a decision: the names of the layers, what a statement says about the caller, the closest miss
 * (near-miss.ts) in a sentence, and why a key part was implicitly denied, naming where the most promising
 * path stopped (lab-design §3). Nothing here decides; it explains what the layer modules decided.
 */
import type { PolicyLayer, StepId } from '../types';
import { aliasArn as buildAliasArn } from '../arn';
import { whyNotApplied, type CompiledStatement, type StatementEvaluation } from '../compile';
import { closestMiss, type NearMiss } from '../near-miss';
import type { PreparedKey } from '../world';
import type { GrantDenial } from './grants';
import type { KeyPart } from './key-policy-and-iam';
import { joined, type LayerResult } from './layers';
import { implicitDenyPart, type PartBase, type PartOutcome, type Run } from './run';

// ---------------------------------------------------------------- people's words

export const LAYER_WORDS: Record<PolicyLayer, string> = {
  key: 'resource-based policy',
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  endpoint: 'VPC endpoint policy',
};

export const LAYER_WORDS_WITH_ARTICLE = Object.fromEntries(
  Object.entries(LAYER_WORDS).map(([layer, words]) => [
    layer,
    `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`,
  ]),
) as Record<PolicyLayer, string>;

/** The label of the first statement of a non-empty list (the one an explanation names). */
export function labelOf(list: StatementEvaluation[]): string {
  return list[0].ref.label;
}

/**
 * The statements name everyone: with "*", or with NotPrincipal and Allow (IAM-NP). A Condition narrows whom
 * such a statement allows (IAM-EVAL: every condition of a statement must hold), so it is named: "every
 * principal that meets its condition StringEquals aws:PrincipalOrgID "o-…"", not "every principal".
 */
export function everyoneWords(list: StatementEvaluation[]): string {
  const everyone = list.every((e) => e.principalKind === 'all-but-listed')
    ? 'allows every principal except those listed in NotPrincipal'
    : 'allows every principal ("*")';
  const conditions = list[0].statement.conditions;
  if (conditions.length === 0) return everyone;
  const named = conditions.map(conditionWords);
  const listed =
    named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `${everyone} that meets its condition${named.length === 1 ? '' : 's'} ${listed}`;
}

/** `StringEquals aws:PrincipalOrgID "o-a1b2c3d4e5"`: the operator and key as written, and the written values. */
function conditionWords(condition: CompiledStatement['conditions'][number]): string {
  const values = [...condition.staticValues, ...condition.dynamicValues.map((v) => v.raw)];
  const shown = values.slice(0, 3).map((v) => `"${v}"`);
  if (values.length > 3) shown.push(`and ${values.length - 3} more`);
  return `${condition.operator} ${condition.key}${shown.length > 0 ? ` ${shown.join(', ')}` : ''}`;
}

export function principalWords(e: StatementEvaluation): string {
  switch (e.principalKind) {
    case 'wildcard':
      return 'allows every principal ("*")';
    case 'all-but-listed':
      return 'allows every principal except those listed in NotPrincipal';
    case 'role':
      return 'names its role';
    case 'account':
      return 'names its account';
    default:
      return 'names it';
  }
}

/** Re-cases only an ordinary first word, never an identifier (sentence.ts). */
export { upperFirst } from '../sentence';

/** The AWS AccessDeniedException message of a denied part. */
export function accessDeniedMessage(run: Run, part: PartOutcome): string {
  return `User: ${run.caller.arn} is not authorized to perform: ${part.action} on resource: ${part.resource} ${part.denyReason ?? 'because no resource-based policy allows the ' + part.action + ' action'}`;
}

// ---------------------------------------------------------------- near misses

/** A one-part miss that names the caller, as the heart of a deny explanation. */
function missWords(miss: NearMiss, action: string): string {
  const e = miss.evaluation;
  const who = e.ref.layer === 'key' ? ` ${principalWords(e)} and` : '';
  return e.principalKind === 'account'
    ? `${e.ref.label} ${principalWords(e)} and would let IAM policies allow ${action}, but ${miss.why}`
    : `${e.ref.label}${who} would allow ${action}, but ${miss.why}`;
}

/** The statements of some layers, flattened; with `namingCaller`, only those naming the caller itself, its role or "*". */
function nearCandidates(layers: LayerResult[], namingCaller = false): StatementEvaluation[] {
  const out: StatementEvaluation[] = [];
  for (const layer of layers)
    for (const e of layer.evaluations)
      if (!namingCaller || (e.namesCaller && e.principalKind !== 'account')) out.push(e);
  return out;
}

/** The first key-policy Allow about this caller and action that did not apply, preferring one that names the caller over its account. */
function nearKeyPolicyAllow(keyLayer: LayerResult[]): StatementEvaluation | undefined {
  let accountStatement: StatementEvaluation | undefined;
  for (const layer of keyLayer) {
    for (const e of layer.evaluations) {
      if (!e.namesCaller || e.applies || e.ref.effect !== 'Allow') continue;
      if (e.principalKind !== 'account') return e;
      accountStatement ??= e;
    }
  }
  return accountStatement;
}

/** The first key-policy Allow whose Principal names the caller itself or its role, while its Action does not match. */
function allowNamingCallerForOtherActions(keyLayer: LayerResult[]): StatementEvaluation | undefined {
  for (const layer of keyLayer)
    for (const e of layer.evaluations)
      if (
        e.ref.effect === 'Allow' &&
        !e.namesCaller &&
        (e.principalKind === 'principal' || e.principalKind === 'role')
      )
        return e;
  return undefined;
}

/** Whether some key-policy statement delegates to the caller's account at all (for the explanation). */
function delegatesToAccount(keyLayer: LayerResult[]): boolean {
  for (const layer of keyLayer)
    for (const e of layer.evaluations)
      if (e.principalKind === 'account' && e.ref.effect === 'Allow') return true;
  return false;
}

/**
 * BP: in an IAM policy an alias ARN stands for the alias, not the key it points to. When an identity-policy
 * Allow for the action lists one of this key's alias ARNs as its Resource, say so: it is a common mistake.
 * Needs the trace (the element matches), so it only adds words to traced results.
 */
function aliasArnAsResource(identity: LayerResult[], key: PreparedKey): string | undefined {
  const aliases = key.entry.aliases ?? [];
  if (aliases.length === 0) return undefined;
  const aliasArns = new Set(
    aliases.map((name) => buildAliasArn(key.partition, key.region, key.account, name)),
  );
  for (const layer of identity) {
    for (const e of layer.evaluations) {
      if (e.ref.effect !== 'Allow' || !e.match?.action.matched || e.match.resource?.matched !== false)
        continue;
      const alias = e.statement.resource?.policyValues.find((value) => aliasArns.has(value));
      if (alias)
        return `${e.ref.label} lists the alias ARN ${alias} as its Resource, but in an IAM policy an alias ARN stands for the alias, not for the key it points to, so it does not cover this key (BP)`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- the implicit denial of a key part

/** Where the most promising path of a denied key part stopped, in words. */
interface DenialCause {
  reason: string;
  decisiveStep: StepId;
  /** The end of the AWS AccessDenied message. */
  denyReason: string;
}

/**
 * The denied key part (no policy path and no grant allowed it), with its explanation. `kpMatched` are the
 * key-policy Allows that name the caller, its role or its account; `grantDenial` why a grant naming it failed.
 */
export function keyDenial(
  run: Run,
  base: PartBase,
  part: KeyPart,
  kpMatched: StatementEvaluation[],
  grantDenial: GrantDenial | undefined,
): PartOutcome {
  const { operation, key } = part.input;
  const on = part.on;
  const cause = denialCause(run, part, kpMatched);
  const reason = cause.reason;
  let decisiveStep = cause.decisiveStep;
  let explanation = `${run.name} is denied${on}: ${reason}.`;
  if (grantDenial?.leads) {
    // The grant was the path meant for this caller and operation: say first why it did not work.
    decisiveStep = 'grant';
    explanation = `${run.name} is denied${on}: ${grantDenial.text}. No policy allows it either: ${reason}.`;
  } else if (grantDenial) {
    explanation = `${run.name} is denied${on}: ${reason}; ${grantDenial.text}.`;
  } else if (operation.grantable && key.grants.length > 0 && !reason.includes('grant')) {
    explanation = `${run.name} is denied${on}: ${reason}; no grant gives it ${operation.name}.`;
  }
  return implicitDenyPart(base, decisiveStep, explanation, cause.denyReason);
}

function denialCause(run: Run, part: KeyPart, kpMatched: StatementEvaluation[]): DenialCause {
  const { action, key } = part.input;
  const { iam } = part;
  const limit = iam.boundaryOk ? 'session policy' : 'permissions boundary';
  const limitStep: StepId = iam.boundaryOk ? 'session-policy' : 'boundary';
  if (part.sameAccount && part.byRole.length > 0 && !iam.limitsOk) {
    return {
      decisiveStep: limitStep,
      reason: `${labelOf(part.byRole)} names its role, but its ${limit} does not allow ${action}, and that limits a key policy that names a role (IAM-EVAL)`,
      denyReason: `because no ${limit} allows the ${action} action`,
    };
  }
  if (kpMatched.length > 0 && iam.identityOk && !iam.limitsOk) {
    return {
      decisiveStep: limitStep,
      reason: `${labelOf(kpMatched)} and its identity policy allow ${action}, but its ${limit} does not`,
      denyReason: `because no ${limit} allows the ${action} action`,
    };
  }
  if (kpMatched.length > 0 && !iam.identityOk) {
    return {
      decisiveStep: 'identity-policy',
      reason: identityMissReason(run, part),
      denyReason: `because no identity-based policy allows the ${action} action`,
    };
  }
  return {
    decisiveStep: 'key-policy',
    reason: key.policy ? keyPolicyMissReason(run, part) : 'the key has no key policy in the scenario',
    denyReason: `because no resource-based policy allows the ${action} action`,
  };
}

/** The key policy lets the caller in (or delegates to its account), but no IAM policy allows. */
function identityMissReason(run: Run, part: KeyPart): string {
  const { action, key } = part.input;
  const { sameAccount, byAccount, layers } = part;
  const caller = run.caller;
  // A statement that missed by one part is the cause to name: in the key's own account one naming the caller
  // would have allowed alone (CTL); otherwise an identity policy is what is missing (DEF, XA).
  const miss = closestMiss(
    sameAccount
      ? joined(nearCandidates(part.keyLayer, true), nearCandidates(layers.identity))
      : nearCandidates(layers.identity),
    part.sreq,
  );
  const missWhy = miss?.why && miss.namesCaller ? missWords(miss, action) : undefined;
  let reason: string;
  if (miss && missWhy && miss.evaluation.ref.layer === 'key') reason = missWhy;
  else if (sameAccount)
    reason = `${labelOf(byAccount)} lets IAM policies grant access, ${missWhy ? `and ${missWhy}` : `but none of its identity policies allows ${action} on this key`}`;
  else
    reason = `the key policy in account ${key.account} ${byAccount.length > 0 ? `names account ${caller.account}` : 'names it'}, ${missWhy ? `and ${missWhy}` : `but no IAM policy in account ${caller.account} allows ${action} on the key`}. Cross-account use needs both (XA)`;
  if (caller.info.kind === 'federated-user' && !layers.hasSession)
    reason += '; a federated user without a session policy has no IAM permissions';
  const aliasHint = aliasArnAsResource(layers.identity, key);
  if (aliasHint) reason += `; ${aliasHint}`;
  return reason;
}

/** No key-policy Allow names the caller for this action. */
function keyPolicyMissReason(run: Run, part: KeyPart): string {
  const { action, key } = part.input;
  const { keyLayer, sreq } = part;
  const caller = run.caller;
  const iamAllows = part.iam.identityAllows.length > 0;
  // A key-policy Allow about this caller and action that did not apply (a condition, no Resource…) explains more than "names nobody".
  const miss = closestMiss(nearCandidates(keyLayer), sreq);
  const near = nearKeyPolicyAllow(keyLayer);
  const nearWhy =
    miss?.why && miss.namesCaller
      ? missWords(miss, action)
      : near
        ? `${near.ref.label} ${principalWords(near)}, but ${whyNotApplied(near.statement, sreq)}`
        : undefined;
  // Nothing names the caller: a statement that missed only on its Principal shows whom the key is meant for.
  const closest = !nearWhy && miss?.why ? ` (the closest is ${miss.evaluation.ref.label}: ${miss.why})` : '';
  // A statement that names the caller for other actions only is the likelier slip: "names nobody" would be
  // untrue (KP: a key policy statement allows only the actions it lists).
  const otherActions = nearWhy ? undefined : allowNamingCallerForOtherActions(keyLayer);
  const namesItElsewhere = otherActions
    ? `${otherActions.ref.label} ${principalWords(otherActions)} but does not allow ${action}`
    : undefined;
  let reason: string;
  if (!part.sameAccount) {
    reason = `${nearWhy ?? namesItElsewhere ?? `the key policy in account ${key.account} names neither the caller nor account ${caller.account}${closest}`}${iamAllows ? `, so its IAM policy in ${caller.account} has no effect. Cross-account use needs both (XA)` : ''}`;
  } else {
    reason = `${nearWhy ?? namesItElsewhere ?? `no key-policy statement names it${closest}`}${nearWhy || delegatesToAccount(keyLayer) ? '' : ', and the key policy does not let IAM policies grant access'}${iamAllows ? ', so its IAM policy has no effect' : ''}`;
  }
  // §6: AWS managed keys are meant to be used only through the service that owns them.
  if (key.entry.manager === 'AWS' && !run.request.viaService)
    reason +=
      '. AWS managed keys can be used only through the AWS service that created them (their key policy requires kms:ViaService), so direct calls fail (§6)';
  return reason;
}
