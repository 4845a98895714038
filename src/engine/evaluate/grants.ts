/**
 * The `grant` node (§4, path C): which grant on the key covers the caller and the operation, whether its
 * constraints hold (GC) and it has propagated (GR), and, when none is usable, why the one naming the caller
 * failed. Also the grant rules of CreateGrant (grant operations, child grants) and RevokeGrant (the grant id).
 */
import type { GrantSpec } from '../../scenario/types';
import type { EvaluationResult, GrantMatch, AllowPath } from '../types';
import { classifyPrincipal } from '../arn';
import type { Caller } from '../compile';
import { grantRequestOf, parameter, type DerivedContext, type GrantRequest } from '../context';
import { KMS_OPERATIONS, type KmsOperation } from '../kms-actions';
import type { PreparedKey } from '../world';
import { upperFirst } from './explanation';
import type { IamVerdict, KeyPart, PathAllow } from './key-policy-and-iam';
import { NO_EVALUATIONS } from './layers';
import { failEarly } from './result';
import { SKIPPED, step, type PartOutcome, type Run, type StepTable } from './run';

/** [unknown] §1.3: whether a boundary or session policy limits a grant; the learner must be told the lab applies them. */
const GRANT_LIMITS_NOTE =
  '[unknown] AWS does not document whether a permissions boundary or session policy limits access through a grant; the lab applies them.';

/** Operations whose grants ignore the grant's constraints (GC). */
export const CONSTRAINT_FREE_OPERATIONS = new Set(['DescribeKey', 'RetireGrant']);

function sameContext(a: Record<string, string>, b: Record<string, string>): boolean {
  const aKeys = Object.keys(a);
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k])
  );
}

function includesContext(
  request: Record<string, string> | undefined,
  required: Record<string, string>,
): boolean {
  // GC: case-sensitive on keys and values; extra pairs allowed.
  return Object.entries(required).every(
    ([k, v]) => request !== undefined && Object.prototype.hasOwnProperty.call(request, k) && request[k] === v,
  );
}

/** GR: does a grantee principal cover the caller? 'account' means an account grantee (the caller's IAM must delegate). */
export function granteeCovers(grantee: string, caller: Caller): 'direct' | 'account' | undefined {
  const info = classifyPrincipal(grantee);
  if (info.kind === 'root') {
    if (info.account !== caller.account) return undefined;
    return caller.info.kind === 'root' ? 'direct' : 'account';
  }
  if (info.kind === 'role')
    return caller.roleName === info.roleName && caller.account === info.account ? 'direct' : undefined;
  return grantee === caller.arn ? 'direct' : undefined;
}

/** GR: the child grant of a grant-holder may only narrow the parent's operations and constraints. */
function childGrantFits(parent: GrantSpec, child: GrantRequest): string | undefined {
  const extra = child.operations.filter((o) => !parent.operations.includes(o));
  if (extra.length > 0)
    return `the new grant asks for ${extra.join(', ')}, which grant ${parent.grantId} does not have`;
  const subset = parent.constraints?.encryptionContextSubset;
  const equals = parent.constraints?.encryptionContextEquals;
  if (equals) {
    if (!child.equals || !sameContext(child.equals, equals))
      return `grant ${parent.grantId} has an EncryptionContextEquals constraint that the new grant must keep exactly`;
  } else if (subset) {
    const childPairs = child.equals ?? child.subset;
    if (!childPairs || !includesContext(childPairs, subset))
      return `the new grant must keep every encryption-context pair of grant ${parent.grantId}'s EncryptionContextSubset constraint`;
  }
  return undefined;
}

/** Why a grant naming the caller and the operation cannot be used for this request (GC, GR), if it cannot. */
function constraintProblemOf(
  run: Run,
  grant: GrantSpec,
  operation: string,
  encryptionContext: Record<string, string> | undefined,
): string | undefined {
  if (CONSTRAINT_FREE_OPERATIONS.has(operation)) return undefined;
  if (operation === 'CreateGrant') return childGrantFits(grant, grantRequestOf(run.request));
  const equals = grant.constraints?.encryptionContextEquals;
  const subset = grant.constraints?.encryptionContextSubset;
  // GC: Equals needs exactly the same pairs; Subset needs every pair (extra pairs allowed); case-sensitive.
  if (equals && !(encryptionContext && sameContext(encryptionContext, equals)))
    return 'the encryption context is not exactly its EncryptionContextEquals constraint (compared case-sensitively)';
  if (subset && !includesContext(encryptionContext, subset))
    return 'the encryption context lacks a pair of its EncryptionContextSubset constraint (compared case-sensitively)';
  return undefined;
}

export interface GrantSearch {
  usable?: { grant: GrantSpec; match: GrantMatch; viaAccount: boolean };
  /** A grant that names the caller and the operation but could not be used (constraints, token, child rules). */
  nearMiss?: { grant: GrantSpec; match: GrantMatch; problem: string };
  /** A grant that names the caller but not this operation. */
  otherOperations?: GrantSpec;
}

/** The search of a part that looked at no grant; never mutated. */
export const NO_GRANT_SEARCH: GrantSearch = {};

export function searchGrants(
  run: Run,
  key: PreparedKey,
  operation: string,
  encryptionContext: Record<string, string> | undefined,
  tokens: readonly string[],
): GrantSearch {
  const search: GrantSearch = {};
  for (const grant of key.grants) {
    const covers = granteeCovers(grant.granteePrincipal, run.caller);
    const operationMatched = grant.operations.includes(operation);
    // GR: a grant not yet propagated works only with its grant token.
    const visible =
      grant.propagated !== false || (grant.grantToken !== undefined && tokens.includes(grant.grantToken));
    const constraintProblem =
      covers && operationMatched ? constraintProblemOf(run, grant, operation, encryptionContext) : undefined;
    const usable = covers !== undefined && operationMatched && visible && constraintProblem === undefined;
    const match: GrantMatch = {
      grantId: grant.grantId,
      name: grant.name,
      granteePrincipal: grant.granteePrincipal,
      operations: grant.operations,
      usable,
      granteeMatched: covers !== undefined,
      operationMatched,
      constraintsMatched: constraintProblem === undefined,
      visible,
      // The reason is for the trace only.
      reason: run.trace
        ? grantReason(grant, operation, covers, operationMatched, visible, constraintProblem)
        : '',
    };
    if (run.trace) run.grants.push(match);
    if (usable && !search.usable) search.usable = { grant, match, viaAccount: covers === 'account' };
    else if (covers && operationMatched && !usable && !search.nearMiss) {
      search.nearMiss = {
        grant,
        match,
        problem: visible
          ? constraintProblem!
          : 'it has not propagated yet, and the request did not present its grant token (GR)',
      };
    } else if (covers && !operationMatched && !search.otherOperations) search.otherOperations = grant;
  }
  return search;
}

/** Why one grant could or could not be used, in a sentence for the trace. */
function grantReason(
  grant: GrantSpec,
  operation: string,
  covers: 'direct' | 'account' | undefined,
  operationMatched: boolean,
  visible: boolean,
  constraintProblem: string | undefined,
): string {
  if (!covers) return `The grantee ${grant.granteePrincipal} is not the caller`;
  if (!operationMatched)
    return `The grant's operations (${grant.operations.join(', ')}) do not include ${operation}`;
  if (!visible) return 'The grant has not propagated yet, and the request did not present its grant token';
  if (constraintProblem) return `The grant names the caller and ${operation}, but ${constraintProblem}`;
  return `The grant gives ${operation} to ${grant.granteePrincipal}${CONSTRAINT_FREE_OPERATIONS.has(operation) && grant.constraints ? ' (constraints are ignored for this operation)' : ''}`;
}

/**
 * Path (C), when no policy path allowed: a usable grant. [unknown] §1.3: the lab lets a boundary or session
 * policy limit grants; an account grantee needs the caller's IAM policy too.
 */
export function grantPathAllow(run: Run, part: KeyPart, search: GrantSearch): PathAllow | undefined {
  const usable = search.usable;
  if (!usable || !part.iam.limitsOk || (usable.viaAccount && !part.iam.identityOk)) return undefined;
  const { operation } = part.input;
  if (part.layers.hasBoundary || part.layers.hasSession) run.note(GRANT_LIMITS_NOTE);
  if (!part.sameAccount)
    run.note(
      '[inferred] A grantee in another account uses the grant without an IAM policy (XA Step 2: "attach IAM policies … or use grants").',
    );
  return {
    allowedBy: 'grant',
    deciding: NO_EVALUATIONS,
    decisiveStep: 'grant',
    explanation: run.trace
      ? `${run.name} is allowed${part.on} by grant ${usable.grant.grantId}${usable.grant.name ? ` ("${usable.grant.name}")` : ''}, which gives it ${operation.name}${usable.grant.constraints && !CONSTRAINT_FREE_OPERATIONS.has(operation.name) ? ' and whose encryption-context constraint holds' : ''}.${usable.grant.propagated === false ? ' The grant has not propagated yet; it works because the request presented its grant token.' : ''}`
      : '',
  };
}

/** Why no grant allowed a request although one names the caller; `leads` when it covered this very operation. */
export interface GrantDenial {
  text: string;
  leads: boolean;
}

/**
 * Why no grant allowed a request although one names the caller (GR, GC; §1.3). `leads` when the grant covered this very
 * operation, so its failure is the heart of the denial.
 */
export function grantDenialOf(
  run: Run,
  search: GrantSearch,
  operation: string,
  action: string,
  iam: IamVerdict,
): GrantDenial | undefined {
  const usable = search.usable;
  if (usable && !iam.limitsOk) {
    const limit = iam.boundaryOk ? 'session policy' : 'permissions boundary';
    // [unknown] §1.3: the lab lets a boundary or session policy limit grants.
    run.note(GRANT_LIMITS_NOTE);
    return {
      text: `grant ${grantName(usable.grant)} gives it ${operation}, but its ${limit} does not allow ${action}, and the lab lets a ${limit} limit a grant (AWS does not document this)`,
      leads: true,
    };
  }
  if (usable && usable.viaAccount && !iam.identityOk) {
    run.note(
      `[inferred] Grant ${usable.grant.grantId} names the caller's account, so an IAM policy in that account must allow ${action} for its users and roles.`,
    );
    return {
      text: `grant ${grantName(usable.grant)} gives ${operation} to account ${run.caller.account}, so an IAM policy in that account must also allow ${action}, and none of the caller's does`,
      leads: true,
    };
  }
  if (search.nearMiss)
    return {
      text: `grant ${grantName(search.nearMiss.grant)} gives it ${operation}, but ${search.nearMiss.problem}`,
      leads: true,
    };
  if (search.otherOperations) {
    return {
      text: `grant ${grantName(search.otherOperations)} names it but gives only ${search.otherOperations.operations.join(', ')}, not ${operation}`,
      leads: false,
    };
  }
  return undefined;
}

function grantName(grant: GrantSpec): string {
  return grant.name ? `${grant.grantId} ("${grant.name}")` : grant.grantId;
}

/** The `grant` step of a key part. */
export function recordGrantStep(
  steps: StepTable,
  operation: KmsOperation,
  key: PreparedKey,
  allowedBy: AllowPath | null,
  search: GrantSearch,
  denial: GrantDenial | undefined,
): void {
  if (!operation.grantable) step(steps, 'grant', 'skip', `${operation.name} cannot be granted (GR)`);
  else if (allowedBy === 'grant') step(steps, 'grant', 'pass', search.usable!.match.reason);
  else if (allowedBy) step(steps, 'grant', 'skip', SKIPPED.grant);
  else if (denial) step(steps, 'grant', 'fail', upperFirst(denial.text));
  else
    step(
      steps,
      'grant',
      'fail',
      key.grants.length > 0
        ? `No grant on the key gives ${operation.name} to the caller`
        : 'The key has no grants',
    );
}

/** The GrantOperation values of the KMS API model (API CreateGrant, "Operations"): the grantable operations. */
const GRANT_OPERATIONS = KMS_OPERATIONS.filter((o) => o.grantable).map((o) => o.name);

/**
 * API CreateGrant: `GranteePrincipal` and `Operations` are required, and each operation must be a GrantOperation
 * (GR: a grant allows only cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant).
 * AWS checks the request's shape before it authorizes, so these fail before the key is even looked up. The message
 * follows AWS's model-validation form ("1 validation error detected: Value null at 'granteePrincipal' …"; several
 * problems are counted and joined with "; ").
 */
export function createGrantValidation(run: Run): EvaluationResult | undefined {
  const request = grantRequestOf(run.request);
  const problems: string[] = [];
  const explained: string[] = [];
  if (request.granteePrincipal === undefined) {
    problems.push("Value null at 'granteePrincipal' failed to satisfy constraint: Member must not be null");
    explained.push('it names no grantee principal (granteePrincipal)');
  }
  if (parameter(run.request, 'operations') === undefined) {
    problems.push("Value null at 'operations' failed to satisfy constraint: Member must not be null");
    explained.push('it lists no operations');
  } else {
    const invalid = request.operations.filter((o) => !GRANT_OPERATIONS.includes(o));
    if (invalid.length > 0) {
      problems.push(
        `Value '[${request.operations.join(', ')}]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`,
      );
      explained.push(
        `${invalid.map((o) => `"${o}"`).join(', ')} ${invalid.length === 1 ? 'is not an operation' : 'are not operations'} a grant can allow (only cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant)`,
      );
    }
  }
  if (problems.length === 0) return undefined;
  const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
  return failEarly(
    run,
    'request',
    'ValidationException',
    `${count} detected: ${problems.join('; ')}`,
    `CreateGrant fails validation before it is authorized: ${explained.join('; ')}.`,
  );
}

/** An authorized RevokeGrant of a grant id the key does not have fails with NotFoundException. */
export function revokedGrantMissing(
  run: Run,
  key: PreparedKey,
  part: PartOutcome,
  context: DerivedContext,
): EvaluationResult | undefined {
  const grantId = parameter(run.request, 'grantId');
  if (typeof grantId !== 'string' || key.grants.some((g) => g.grantId === grantId)) return undefined;
  run.steps.copyFrom(part.steps);
  return failEarly(
    run,
    'key-state',
    'NotFoundException',
    `Grant ID ${grantId} not found`,
    `${part.explanation} But the key has no grant ${grantId}, so RevokeGrant fails with NotFoundException.`,
    context,
  );
}
