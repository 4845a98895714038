/**
 * The evaluator: decides one KMS request as AWS would (kms-authorization.md §1–§9) and records the trace
 * (steps, statement matches, grants, notes, explanation) of lab-design §3.
 */
import type { GrantSpec, RequestSpec } from '../scenario/types';
import type {
  AllowPath,
  Decision,
  EvaluationResult,
  GrantMatch,
  Outcome,
  PolicyLayer,
  RequestContext,
  StatementMatch,
  StatementRef,
  Step,
  StepId,
  StepResult,
} from './types';
import { STEP_IDS } from './types';
import { classifyPrincipal, parseKmsArn, aliasArn as buildAliasArn } from './arn';
import {
  evaluateStatement,
  makeCaller,
  whyNotApplied,
  namesEveryone,
  type Caller,
  type CompiledPolicy,
  type StatementEvaluation,
  type StatementRequest,
} from './compile';
import {
  contextRecord,
  deriveContext,
  grantRequestOf,
  keyContextEntries,
  parameter,
  principalContextEntries,
  type ContextEntries,
  type DerivedContext,
  type GrantRequest,
} from './context';
import { kmsOperation, type KmsOperation } from './kms-actions';
import { closestMiss, type NearMiss } from './near-miss';
import {
  guardrailPolicies,
  orgMembershipOf,
  sessionPolicyFor,
  shortName,
  type PreparedKey,
  type PreparedPrincipal,
  type World,
} from './world';

// ---------------------------------------------------------------- people's words

const LAYER_WORDS: Record<PolicyLayer, string> = {
  key: 'resource-based policy',
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  endpoint: 'VPC endpoint policy',
};

const LAYER_WORDS_WITH_ARTICLE = Object.fromEntries(
  Object.entries(LAYER_WORDS).map(([layer, words]) => [
    layer,
    `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`,
  ]),
) as Record<PolicyLayer, string>;

const SKIPPED: Record<StepId, string> = {
  request: '',
  'resolve-key': 'The operation uses no key',
  'cross-account': 'Caller and key are in the same account',
  'iam-only': 'Not an IAM-only action: the key policy takes part',
  'explicit-deny': 'Not reached',
  scp: 'No SCP applies to the caller',
  rcp: 'No RCP applies to the key',
  'vpc-endpoint': 'The call did not come through a VPC endpoint',
  'key-policy': 'The key policy does not take part',
  'identity-policy': 'Not needed for this path',
  boundary: 'The caller has no permissions boundary',
  'session-policy': 'The caller has no session policy',
  grant: 'No grant was needed',
  'retire-grant': 'Only for RetireGrant',
  'key-state': 'Not reached',
  allow: '',
  'implicit-deny': '',
  'explicit-deny-result': '',
  error: '',
};

const TERMINAL: ReadonlySet<StepId> = new Set(['allow', 'implicit-deny', 'explicit-deny-result', 'error']);
const IS_TERMINAL: readonly boolean[] = STEP_IDS.map((id) => TERMINAL.has(id));
/** Flowchart position by step id (a Map: a keyed read of a 19-key record by a varying id is a slow megamorphic load). */
const STEP_INDEX = new Map<StepId, number>(STEP_IDS.map((id, i) => [id, i]));
/** A table of no visited step, copied for each new table (cheaper than filling a new array). */
const NO_VISITS: readonly (Step | undefined)[] = STEP_IDS.map(() => undefined);

/** Shared by every step table that records nothing (no trace). */
const NOTHING_VISITED: (Step | undefined)[] = [];

/**
 * The steps a request or one of its parts visited, by flowchart position (an array: cheaper than a Map per request).
 * Without a trace (the access matrix) it records nothing.
 */
class StepTable {
  readonly byIndex: (Step | undefined)[];

  constructor(readonly recording: boolean) {
    this.byIndex = recording ? NO_VISITS.slice() : NOTHING_VISITED;
  }

  /** Copies every step the other table visited over this one's. */
  copyFrom(other: StepTable): void {
    for (let i = 0; i < other.byIndex.length; i++)
      if (other.byIndex[i] !== undefined) this.byIndex[i] = other.byIndex[i];
  }
}

const NO_CONTEXT: RequestContext = {};

/** Shared, never mutated: most steps highlight no statement. */
const NO_STATEMENTS: StatementRef[] = [];

/** The step of a node a request never reached; shared between results (a default step is never decisive). */
const DEFAULT_SKIPPED_STEPS: readonly Step[] = STEP_IDS.map((id) => ({
  id,
  result: 'skip',
  summary: SKIPPED[id],
  statements: NO_STATEMENTS,
}));

// ---------------------------------------------------------------- the run of one request

interface CallerIdentity {
  caller: Caller;
  principal?: PreparedPrincipal;
  tags?: Record<string, string>;
  /** Notes about who the caller is (unknown principal…), copied into each result. */
  notes: string[];
  /** People's name, e.g. `Finance-Role (session app)`. */
  name: string;
  contextEntries: ContextEntries;
}

/** What one authorization part (one resource) concluded. */
interface PartOutcome {
  decision: Decision;
  allowedBy: AllowPath | null;
  deniedBy: EvaluationResult['deniedBy'];
  deciding: StatementRef[];
  steps: StepTable;
  /** The policy-phase step that decided this part. */
  decisiveStep: StepId;
  explanation: string;
  /** The end of the AWS AccessDenied message ("because no … allows the … action"). */
  denyReason?: string;
  resource: string;
  action: string;
}

class Run {
  readonly notes: string[] = [];
  readonly statements: StatementMatch[] = [];
  readonly grants: GrantMatch[] = [];
  readonly steps: StepTable;

  readonly name: string;

  constructor(
    readonly world: World,
    readonly request: RequestSpec,
    readonly identity: CallerIdentity,
    readonly trace: boolean,
  ) {
    this.name = identity.name;
    this.steps = new StepTable(trace);
    for (const n of identity.notes) this.note(n);
  }

  note(text: string): void {
    // A request gathers a handful of notes at most: a linear search is cheaper than a Set per request.
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  get caller(): Caller {
    return this.identity.caller;
  }
}

/** Steps whose words never change (the skipped defaults and a few fixed ones), by flowchart position; shared between results. */
const CONSTANT_STEPS: readonly Step[][] = STEP_IDS.map((id, i) => [DEFAULT_SKIPPED_STEPS[i]]);
for (const [id, result, summary] of [
  ['explicit-deny', 'pass', 'No Deny statement applies'],
  ['allow', 'pass', 'The request is authorized and succeeds'],
  ['implicit-deny', 'deny', 'AccessDeniedException: nothing allows the request'],
  ['explicit-deny-result', 'deny', 'AccessDeniedException: explicitly denied'],
] as const) {
  CONSTANT_STEPS[STEP_INDEX.get(id)!].push({ id, result, summary, statements: NO_STATEMENTS });
}

function step(
  steps: StepTable,
  id: StepId,
  result: StepResult,
  summary: string,
  statements: StatementRef[] = NO_STATEMENTS,
): void {
  if (!steps.recording) return;
  const index = STEP_INDEX.get(id)!;
  if (statements === NO_STATEMENTS) {
    const constants = CONSTANT_STEPS[index];
    for (let i = 0; i < constants.length; i++) {
      if (constants[i].result === result && constants[i].summary === summary) {
        steps.byIndex[index] = constants[i];
        return;
      }
    }
  }
  steps.byIndex[index] = { id, result, summary, statements };
}

// ---------------------------------------------------------------- caller and key resolution

/** Who the caller is, cached per principal string for the prepared scenario. */
function identityOf(world: World, principal: string): CallerIdentity {
  let identity = world.callers.get(principal) as CallerIdentity | undefined;
  if (!identity) {
    identity = resolveIdentity(world, principal);
    world.callers.set(principal, identity);
  }
  return identity;
}

function resolveIdentity(world: World, principal: string): CallerIdentity {
  const notes: string[] = [];
  const info = classifyPrincipal(principal);
  let prepared = world.principals.get(info.arn) ?? world.principals.get(principal);
  let roleArn: string | undefined;
  if (info.kind === 'assumed-role' || info.kind === 'role') {
    // lab-design §2: a session ARN takes its identity policies from its role.
    roleArn = world.roles.get(`${info.account}|${info.roleName}`);
    if (roleArn && (info.kind === 'assumed-role' || !prepared))
      prepared = world.principals.get(roleArn) ?? prepared;
  }
  if (!prepared && info.kind !== 'root' && info.kind !== 'service') {
    notes.push(
      `${principal} is not listed under principals, so it is treated as an identity with no IAM policies.`,
    );
  }
  if (info.kind === 'unknown')
    notes.push(`${principal} is not a principal ARN the lab recognises; no policy can name it.`);
  const caller = makeCaller(principal, roleArn);
  const tags = prepared?.spec.tags;
  const name =
    info.kind === 'assumed-role' ? `${info.roleName} (session ${info.sessionName})` : shortName(principal);
  const contextEntries = principalContextEntries(caller, tags, orgMembershipOf(world, caller.account));
  return { caller, principal: prepared, tags, notes, name, contextEntries };
}

type KeyResolution = { key: PreparedKey } | { error: string };

/**
 * Resolves a KeyId as the caller wrote it (key id, key ARN, alias name, alias ARN). A bare key id or alias name
 * refers to the caller's own account; another account's key needs its key ARN or alias ARN (KMS API reference).
 */
function resolveKey(world: World, keyId: string, caller: Caller): KeyResolution {
  const resolution = resolveKeyId(world, keyId, caller);
  // An ARN lives in one partition (IAM identifiers, "ARN format"); a caller in aws-cn cannot reach an aws key.
  if (
    'key' in resolution &&
    caller.info.kind !== 'service' &&
    resolution.key.partition !== caller.info.partition
  )
    return { error: `Key '${keyId}' does not exist in partition ${caller.info.partition}` };
  return resolution;
}

function resolveKeyId(world: World, keyId: string, caller: Caller): KeyResolution {
  const direct = world.keys.get(keyId);
  if (direct) return { key: direct };
  const arn = parseKmsArn(keyId);
  if (arn) {
    if (arn.type === 'alias') {
      const match = (world.aliases.get(`${arn.account}|${arn.id}`) ?? []).find(
        (k) => k.region === arn.region,
      );
      return match ? { key: match } : { error: `Alias ${keyId} is not found.` };
    }
    return { error: `Key '${keyId}' does not exist` };
  }
  const account = caller.account;
  if (keyId.startsWith('alias/')) {
    const match = world.aliases.get(`${account}|${keyId}`)?.[0];
    return match
      ? { key: match }
      : { error: `Alias ${keyId} is not found in account ${account || '(unknown)'}.` };
  }
  const match = world.keyIds.get(`${account}|${keyId}`)?.[0];
  return match
    ? { key: match }
    : { error: `Key '${keyId}' does not exist in account ${account || '(unknown)'}` };
}

// ---------------------------------------------------------------- policy layers

interface LayerResult {
  policy: CompiledPolicy;
  evaluations: StatementEvaluation[];
}

/** Shared by every layer with no policy; never mutated. */
const NO_LAYER_RESULTS: LayerResult[] = [];

function evaluateLayer(run: Run, policies: CompiledPolicy[], request: StatementRequest): LayerResult[] {
  if (policies.length === 0) return NO_LAYER_RESULTS;
  const results: LayerResult[] = [];
  for (const policy of policies) {
    const evaluations: StatementEvaluation[] = [];
    for (const statement of policy.statements) {
      const evaluation = evaluateStatement(statement, request);
      evaluations.push(evaluation);
      if (evaluation.match) run.statements.push(evaluation.match);
      if (evaluation.multiValuedWithoutSetOperator) {
        run.note(
          'A condition tests a key with several values without ForAllValues/ForAnyValue; AWS does not document the result, and the lab treats it as no match.',
        );
      }
    }
    results.push({ policy, evaluations });
  }
  return results;
}

/** a then b, in one new array unless one is empty (then the other is returned as is; callers never mutate them). */
function joined<T>(a: T[], b: T[]): T[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = a.slice();
  for (let i = 0; i < b.length; i++) out.push(b[i]);
  return out;
}

/** Shared by every empty list of evaluations; never mutated (lists are only filled where they are made). */
const NO_EVALUATIONS: StatementEvaluation[] = [];

function applying(layers: LayerResult[], effect: 'Allow' | 'Deny'): StatementEvaluation[] {
  let out = NO_EVALUATIONS;
  for (const layer of layers) {
    for (const e of layer.evaluations) {
      if (e.applies && e.ref.effect === effect) {
        if (out === NO_EVALUATIONS) out = [];
        out.push(e);
      }
    }
  }
  return out;
}

function refs(evaluations: StatementEvaluation[]): StatementRef[] {
  const out: StatementRef[] = [];
  for (let i = 0; i < evaluations.length; i++) out.push(evaluations[i].ref);
  return out;
}

function markRole(evaluations: StatementEvaluation[], role: StatementMatch['role']): void {
  for (const e of evaluations) if (e.match) e.match.role = role;
}

/** The layers every request goes through besides the key policy. */
interface Layers {
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

interface LayerOptions {
  /** Check the RCPs of this account (undefined: no RCP applies). */
  rcpAccount?: string;
  includeIdentity?: boolean;
}

function isSession(caller: Caller): boolean {
  return caller.info.kind === 'assumed-role' || caller.info.kind === 'federated-user';
}

/** Shared by every layer without policies; never mutated. */
const NO_POLICIES: CompiledPolicy[] = [];

/**
 * §9: the SCPs of every level from the root down to the caller's account (IAM-EVAL). Organizations SCP page:
 * not for principals of the management account, nor service-linked roles; service principals have no account.
 */
function scpPoliciesFor(run: Run): CompiledPolicy[] {
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

/** RCPK: the RCPs of every level down to the key's account; not for keys of the management account (RCP page). */
function rcpPoliciesFor(run: Run, keyAccount: string): CompiledPolicy[] {
  const policies = guardrailPolicies(run.world, 'rcp', keyAccount);
  if (policies.length > 0 && run.world.scenario.organization?.managementAccount === keyAccount) {
    run.note(
      `RCPs do not apply to resources in the management account (${keyAccount}) (Organizations RCP page).`,
    );
    return NO_POLICIES;
  }
  return policies;
}

function collectLayers(run: Run, sreq: StatementRequest, options: LayerOptions): Layers {
  const { world, request, identity, caller } = run;
  const principal = identity.principal;
  const identityPolicies = principal?.identityPolicies ?? NO_POLICIES;
  const boundary = principal?.boundary ? [principal.boundary] : NO_POLICIES;
  let session = NO_POLICIES;
  if (request.sessionPolicy) {
    if (isSession(caller)) session = [sessionPolicyFor(world, request.id, request.sessionPolicy)];
    else
      run.note(
        'The request has a session policy, but the caller is not a session, so it is ignored (IAM-EVAL).',
      );
  }
  const scpPolicies = scpPoliciesFor(run);
  const rcpPolicies =
    options.rcpAccount !== undefined ? rcpPoliciesFor(run, options.rcpAccount) : NO_POLICIES;
  let endpointPolicies = NO_POLICIES;
  const endpointUsed = request.vpcEndpoint !== undefined && request.vpcEndpoint !== '';
  if (endpointUsed) {
    const endpoint = world.endpoints.get(request.vpcEndpoint!);
    if (endpoint?.policy) endpointPolicies = [endpoint.policy];
    else
      run.note(
        `VPC endpoint ${request.vpcEndpoint} has no policy in the scenario, so it has the default policy, which allows everything (VPCE).`,
      );
  }
  return {
    identity: options.includeIdentity === false ? [] : evaluateLayer(run, identityPolicies, sreq),
    boundary: evaluateLayer(run, boundary, sreq),
    session: evaluateLayer(run, session, sreq),
    scp: evaluateLayer(run, scpPolicies, sreq),
    rcp: evaluateLayer(run, rcpPolicies, sreq),
    endpoint: evaluateLayer(run, endpointPolicies, sreq),
    scpApplies: scpPolicies.length > 0,
    rcpApplies: rcpPolicies.length > 0,
    endpointUsed,
    hasBoundary: boundary.length > 0,
    hasSession: session.length > 0,
  };
}

/** §1.2 step 2: the first Deny that applies in any layer (layer order: key, identity, boundary, session, SCP, RCP, endpoint). */
function explicitDeny(
  steps: StepTable,
  keyLayer: LayerResult[],
  layers: Layers,
): { denies: StatementEvaluation[] } {
  const denies: StatementEvaluation[] = [];
  for (const layer of [
    keyLayer,
    layers.identity,
    layers.boundary,
    layers.session,
    layers.scp,
    layers.rcp,
    layers.endpoint,
  ]) {
    for (const result of layer)
      for (const e of result.evaluations) if (e.applies && e.ref.effect === 'Deny') denies.push(e);
  }
  if (!steps.recording) return { denies };
  if (denies.length > 0) {
    markRole(denies, 'explicit-deny');
    step(steps, 'explicit-deny', 'deny', `${denies[0].ref.label} denies the request`, refs(denies));
  } else {
    step(steps, 'explicit-deny', 'pass', 'No Deny statement applies');
  }
  return { denies };
}

/** `gap(what)`: "SCP "OnlyS3" on OU Workloads does not allow <what>", or "none of the 2 SCPs on … allows <what>". */
type GuardrailFailure = { layer: PolicyLayer; policy: CompiledPolicy; gap: (what: string) => string };

function guardrailGap(results: LayerResult[], start: number, end: number): (what: string) => string {
  const policy = results[start].policy;
  if (end - start === 1 || !policy.orgLevel) return (what) => `${policy.label} does not allow ${what}`;
  const several = `none of the ${end - start} ${policy.layer.toUpperCase()}s on ${policy.orgLevel.label}`;
  return (what) => `${several} allows ${what}`;
}

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
  // Each level must allow; the policies attached to one level (same orgLevel) share it: one Allow among them
  // is enough (IAM-EVAL "SCPs"). A policy without a level (the endpoint policy) is a level of its own.
  const allows: StatementEvaluation[] = [];
  for (let start = 0; start < results.length;) {
    const level = results[start].policy.orgLevel;
    let end = start + 1;
    while (end < results.length && level && results[end].policy.orgLevel?.depth === level.depth) end++;
    let found = false;
    for (let i = start; i < end; i++) {
      for (const e of results[i].evaluations) {
        if (e.applies && e.ref.effect === 'Allow') {
          allows.push(e);
          found = true;
        }
      }
    }
    if (!found) {
      const gap = guardrailGap(results, start, end);
      if (steps.recording)
        step(steps, id, 'deny', `${upperFirst(gap('this request'))}, so ${words} denies it`);
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
      ? `Every level of ${words} allows the request`
      : `${results[0]?.policy.label ?? words} allows the request`,
    refs(allows),
  );
  return undefined;
}

/** §1.2 step 3: the guardrails that must each contain a matching Allow. Returns the failing layer, if any. */
function guardrails(
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

function guardrailOutcome(
  run: Run,
  part: Omit<
    PartOutcome,
    'decision' | 'allowedBy' | 'deniedBy' | 'deciding' | 'decisiveStep' | 'explanation'
  >,
  failure: GuardrailFailure,
): PartOutcome {
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

function denyOutcome(
  run: Run,
  part: Omit<
    PartOutcome,
    'decision' | 'allowedBy' | 'deniedBy' | 'deciding' | 'decisiveStep' | 'explanation'
  >,
  denies: StatementEvaluation[],
): PartOutcome {
  const first = denies[0].ref;
  return {
    steps: part.steps,
    resource: part.resource,
    action: part.action,
    decision: 'ExplicitDeny',
    allowedBy: null,
    deniedBy: { layer: first.layer, statement: first },
    deciding: refs(denies),
    decisiveStep: 'explicit-deny',
    explanation: run.trace
      ? `${run.name} is denied explicitly by ${first.label}. An explicit Deny in any policy overrides every Allow (IAM-EVAL).`
      : '',
    denyReason: run.trace ? `with an explicit deny in ${LAYER_WORDS_WITH_ARTICLE[first.layer]}` : undefined,
  };
}

// ---------------------------------------------------------------- grants (§4)

const CONSTRAINT_FREE_OPERATIONS = new Set(['DescribeKey', 'RetireGrant']);

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
function granteeCovers(grantee: string, caller: Caller): 'direct' | 'account' | undefined {
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

interface GrantSearch {
  usable?: { grant: GrantSpec; match: GrantMatch; viaAccount: boolean };
  /** A grant that names the caller and the operation but could not be used (constraints, token, child rules). */
  nearMiss?: { grant: GrantSpec; match: GrantMatch; problem: string };
  /** A grant that names the caller but not this operation. */
  otherOperations?: GrantSpec;
}

function searchGrants(
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
    let constraintProblem: string | undefined;
    if (covers && operationMatched && !CONSTRAINT_FREE_OPERATIONS.has(operation)) {
      if (operation === 'CreateGrant') {
        constraintProblem = childGrantFits(grant, grantRequestOf(run.request));
      } else {
        const equals = grant.constraints?.encryptionContextEquals;
        const subset = grant.constraints?.encryptionContextSubset;
        // GC: Equals needs exactly the same pairs; Subset needs every pair (extra pairs allowed); case-sensitive.
        if (equals && !(encryptionContext && sameContext(encryptionContext, equals)))
          constraintProblem =
            'the encryption context is not exactly its EncryptionContextEquals constraint (compared case-sensitively)';
        else if (subset && !includesContext(encryptionContext, subset))
          constraintProblem =
            'the encryption context lacks a pair of its EncryptionContextSubset constraint (compared case-sensitively)';
      }
    }
    const usable = covers !== undefined && operationMatched && visible && constraintProblem === undefined;
    // The reason is for the trace only.
    let reason = '';
    if (run.trace) {
      if (!covers) reason = `The grantee ${grant.granteePrincipal} is not the caller`;
      else if (!operationMatched)
        reason = `The grant's operations (${grant.operations.join(', ')}) do not include ${operation}`;
      else if (!visible)
        reason = 'The grant has not propagated yet, and the request did not present its grant token';
      else if (constraintProblem)
        reason = `The grant names the caller and ${operation}, but ${constraintProblem}`;
      else
        reason = `The grant gives ${operation} to ${grant.granteePrincipal}${CONSTRAINT_FREE_OPERATIONS.has(operation) && grant.constraints ? ' (constraints are ignored for this operation)' : ''}`;
    }
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
      reason,
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

// ---------------------------------------------------------------- authorization on one key (§1.2 steps 2–4)

interface KeyPartInput {
  operation: KmsOperation;
  action: string;
  key: PreparedKey;
  context: DerivedContext;
  /** Extra words for multi-resource operations, e.g. "on the destination key". */
  label?: string;
}

/** Lower-cased actions by action: the same few actions are matched again and again. */
const lowerCaseActions = new Map<string, string>();

function statementRequest(
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

/** Identity ∩ boundary ∩ session (§1.3: the IAM policy path). Root needs no identity policy. */
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

/** The outcome of a part that nothing allowed: no deciding statement, no layer to blame. */
function implicitDenyPart(
  base: Pick<PartOutcome, 'steps' | 'resource' | 'action'>,
  decisiveStep: StepId,
  explanation: string,
  denyReason: string | undefined,
): PartOutcome {
  return {
    steps: base.steps,
    resource: base.resource,
    action: base.action,
    decision: 'ImplicitDeny',
    allowedBy: null,
    deniedBy: null,
    deciding: [],
    decisiveStep,
    explanation,
    denyReason,
  };
}

interface IamVerdict {
  identityAllows: StatementEvaluation[];
  identityOk: boolean;
  boundaryOk: boolean;
  sessionOk: boolean;
  boundaryAllows: StatementEvaluation[];
  sessionAllows: StatementEvaluation[];
}

function iamVerdict(run: Run, layers: Layers): IamVerdict {
  const identityAllows = applying(layers.identity, 'Allow');
  const boundaryAllows = applying(layers.boundary, 'Allow');
  const sessionAllows = applying(layers.session, 'Allow');
  const root = run.caller.info.kind === 'root';
  // IAM-EVAL: GetFederationToken without a session policy leaves the federated user no IAM permissions.
  const federatedWithoutPolicy = run.caller.info.kind === 'federated-user' && !layers.hasSession;
  return {
    identityAllows,
    identityOk: root || (identityAllows.length > 0 && !federatedWithoutPolicy),
    boundaryOk: !layers.hasBoundary || boundaryAllows.length > 0,
    sessionOk: !layers.hasSession || sessionAllows.length > 0,
    boundaryAllows,
    sessionAllows,
  };
}

function authorizeOnKey(run: Run, input: KeyPartInput): PartOutcome {
  const { key, action, operation } = input;
  const steps = new StepTable(run.trace);
  const sreq = statementRequest(run, action, key.arn, input.context);
  const caller = run.caller;
  const on = input.label ? ` ${input.label}` : '';
  const base = { steps, resource: key.arn, action };

  // RCPK: RCPs cap the key's account, but not AWS managed keys and not RetireGrant.
  const aws = key.entry.manager === 'AWS';
  const rcpSkip = aws ? 'RCPs do not apply to AWS managed keys (RCPK)' : undefined;
  const keyLayer = key.policy ? evaluateLayer(run, [key.policy], sreq) : [];
  if (!key.policy)
    run.note(
      `The key ${key.arn} has no policy in the scenario, so no principal can use it except through grants.`,
    );
  const layers = collectLayers(run, sreq, { rcpAccount: aws ? undefined : key.account });

  const { denies } = explicitDeny(steps, keyLayer, layers);
  if (denies.length > 0) return denyOutcome(run, base, denies);
  const failure = guardrails(steps, layers, rcpSkip);
  if (failure) return guardrailOutcome(run, base, failure);

  // A service principal acts for AWS, not from another account.
  const sameAccount = caller.account === key.account || caller.info.kind === 'service';
  const kpAllows = applying(keyLayer, 'Allow');
  const root = caller.info.kind === 'root';
  // DEF: the account principal "represents the account and its administrators, including the account root user".
  let direct = NO_EVALUATIONS;
  let byRole = NO_EVALUATIONS;
  let byAccount = NO_EVALUATIONS;
  for (const e of kpAllows) {
    const kind = e.principalKind;
    if (kind === 'principal' || namesEveryone(kind) || (root && kind === 'account'))
      (direct === NO_EVALUATIONS ? (direct = []) : direct).push(e);
    else if (kind === 'role') (byRole === NO_EVALUATIONS ? (byRole = []) : byRole).push(e);
    else if (kind === 'account') (byAccount === NO_EVALUATIONS ? (byAccount = []) : byAccount).push(e);
  }
  const iam = iamVerdict(run, layers);
  const iamOk = iam.identityOk && iam.boundaryOk && iam.sessionOk;
  const limitsOk = iam.boundaryOk && iam.sessionOk;

  let allowedBy: AllowPath | null = null;
  let deciding: StatementEvaluation[] = [];
  let decisiveStep: StepId = 'key-policy';
  let explanation = '';

  if (sameAccount) {
    if (direct.length > 0) {
      // (A) same account: the key policy alone is enough (CTL). §1.3: naming a user, a session or "*" is not limited by ID/PB/SP.
      allowedBy = 'key-policy';
      deciding = direct;
      markRole(direct, 'allow');
      const wildcard = direct.every((e) => namesEveryone(e.principalKind));
      if (wildcard && isSession(caller) && (layers.hasBoundary || layers.hasSession) && !limitsOk) {
        run.note(
          '[inferred] A key-policy statement with Principal "*" is treated like one naming the session itself, so the permissions boundary and session policy do not limit it (IAM-EVAL states this only for user and session ARNs).',
        );
      }
      if (run.trace)
        explanation = `${run.name} is allowed${on}: ${kpNames(direct)} ${wildcard ? everyoneWords(direct) : root ? "names the caller's account, which includes its root user" : 'names it directly'}, and in the key's own account the key policy alone is enough (CTL).`;
    } else if (byRole.length > 0 && limitsOk) {
      // (A) with a role ARN: §1.3 an implicit deny in the boundary or session policy still limits it.
      allowedBy = 'key-policy';
      deciding = byRole;
      markRole(byRole, 'allow');
      if (run.trace)
        explanation = `${run.name} is allowed${on}: ${kpNames(byRole)} names its role, and in the key's own account the key policy alone is enough (CTL)${layers.hasBoundary || layers.hasSession ? '; its permissions boundary and session policy allow it too, as they must when a key policy names a role (IAM-EVAL)' : ''}.`;
    } else if (byAccount.length > 0 && iamOk) {
      // (B) the key policy delegates to the account, and IAM allows (DEF).
      allowedBy = 'key-policy+iam';
      deciding = joined(byAccount, iam.identityAllows);
      markRole(byAccount, 'delegation');
      markRole(iam.identityAllows, 'iam-allow');
      decisiveStep = 'identity-policy';
      if (run.trace)
        explanation = `${run.name} is allowed${on}: ${kpNames(byAccount)} lets IAM policies grant access to the key, and ${iam.identityAllows[0]?.ref.label ?? 'its IAM permissions'} allows ${action} on it.`;
    }
  } else if ((direct.length > 0 || byRole.length > 0 || byAccount.length > 0) && iamOk) {
    // Cross-account (A) or (B): XA "Neither the key policy nor the IAM policy alone is sufficient".
    const kp = direct.length > 0 ? direct : byRole.length > 0 ? byRole : byAccount;
    allowedBy = 'key-policy+iam';
    deciding = joined(kp, iam.identityAllows);
    markRole(kp, kp === byAccount ? 'delegation' : 'allow');
    markRole(iam.identityAllows, 'iam-allow');
    decisiveStep = 'identity-policy';
    explanation = `${run.name} is allowed${on}: the key is in account ${key.account} and the caller in ${caller.account}; ${kpNames(kp)} ${kp === byAccount ? `names account ${caller.account}` : 'names the caller'}, and ${iam.identityAllows[0]?.ref.label ?? 'its IAM permissions'} in ${caller.account} allows ${action} on the key. Cross-account use needs both (XA).`;
  }

  // (C) grants, when no policy path allowed. [unknown] §1.3: the lab lets a boundary or session policy limit grants.
  let grantSearch: GrantSearch = {};
  if (!allowedBy && operation.grantable) {
    grantSearch = searchGrants(run, key, operation.name, input.context.ec, run.request.grantTokens ?? []);
    const usable = grantSearch.usable;
    if (usable && limitsOk && (!usable.viaAccount || iam.identityOk)) {
      allowedBy = 'grant';
      decisiveStep = 'grant';
      if (layers.hasBoundary || layers.hasSession) {
        run.note(
          '[unknown] AWS does not document whether a permissions boundary or session policy limits access through a grant; the lab applies them.',
        );
      }
      if (!sameAccount)
        run.note(
          '[inferred] A grantee in another account uses the grant without an IAM policy (XA Step 2: "attach IAM policies … or use grants").',
        );
      if (run.trace)
        explanation = `${run.name} is allowed${on} by grant ${usable.grant.grantId}${usable.grant.name ? ` ("${usable.grant.name}")` : ''}, which gives it ${operation.name}${usable.grant.constraints && !CONSTRAINT_FREE_OPERATIONS.has(operation.name) ? ' and whose encryption-context constraint holds' : ''}.${usable.grant.propagated === false ? ' The grant has not propagated yet; it works because the request presented its grant token.' : ''}`;
    }
  }

  if (!run.trace) {
    // No trace (the access matrix): the decision and the allow path are all that is read.
    return {
      steps,
      resource: key.arn,
      action,
      decision: allowedBy ? 'Allow' : 'ImplicitDeny',
      allowedBy,
      deniedBy: null,
      deciding: NO_STATEMENTS,
      decisiveStep,
      explanation: '',
    };
  }

  // ---- steps for the policy phase
  const kpMatched = joined(joined(direct, byRole), byAccount);
  if (!key.policy) step(steps, 'key-policy', 'fail', 'The key has no key policy');
  else if (direct.length > 0)
    step(
      steps,
      'key-policy',
      'pass',
      `${kpNames(direct)} ${root ? "names the caller's account (its root user)" : 'names the caller'}`,
      refs(direct),
    );
  else if (byRole.length > 0)
    step(steps, 'key-policy', 'pass', `${kpNames(byRole)} names the caller's role`, refs(byRole));
  else if (byAccount.length > 0)
    step(
      steps,
      'key-policy',
      'pass',
      `${kpNames(byAccount)} names account ${caller.account}, enabling IAM policies`,
      refs(byAccount),
    );
  else step(steps, 'key-policy', 'fail', 'No key-policy statement allows this caller and action');

  const iamNeeded = !sameAccount || (direct.length === 0 && byRole.length === 0);
  if (root) step(steps, 'identity-policy', 'pass', 'The root user needs no IAM policy in its own account');
  else if (iam.identityAllows.length > 0) {
    const effective = kpMatched.length > 0;
    step(
      steps,
      'identity-policy',
      iamNeeded ? (effective ? 'pass' : 'fail') : 'skip',
      !iamNeeded
        ? 'Not needed: the key policy names the caller'
        : effective
          ? `${iam.identityAllows[0].ref.label} allows ${action} on the key`
          : `${iam.identityAllows[0].ref.label} allows ${action}, but it has no effect: the key policy does not let IAM policies grant access`,
      refs(iam.identityAllows),
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
  const limitsMatter = allowedBy !== 'key-policy' || (byRole.length > 0 && direct.length === 0);
  limitStep(
    steps,
    'boundary',
    layers.hasBoundary,
    iam.boundaryOk,
    iam.boundaryAllows,
    'permissions boundary',
    action,
    limitsMatter,
    allowedBy !== null,
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
    allowedBy !== null,
  );
  if (run.caller.info.kind === 'federated-user' && !layers.hasSession) {
    step(steps, 'session-policy', 'fail', 'A federated user without a session policy has no IAM permissions');
  }

  // Why the grant path failed, when a grant names the caller (lab-design §3: a grant-only denial names the grant).
  const grantDenial = allowedBy
    ? undefined
    : grantDenialOf(run, grantSearch, operation.name, action, iam, limitsOk);

  if (!operation.grantable) step(steps, 'grant', 'skip', `${operation.name} cannot be granted (GR)`);
  else if (allowedBy === 'grant') step(steps, 'grant', 'pass', grantSearch.usable!.match.reason);
  else if (allowedBy) step(steps, 'grant', 'skip', SKIPPED.grant);
  else if (grantDenial) step(steps, 'grant', 'fail', upperFirst(grantDenial.text));
  else
    step(
      steps,
      'grant',
      'fail',
      key.grants.length > 0
        ? `No grant on the key gives ${operation.name} to the caller`
        : 'The key has no grants',
    );

  if (allowedBy) {
    return {
      steps: base.steps,
      resource: base.resource,
      action: base.action,
      decision: 'Allow',
      allowedBy,
      deniedBy: null,
      deciding: refs(deciding),
      decisiveStep,
      explanation,
    };
  }

  // ---- implicit deny: find where the most promising path stopped, and say it in words.
  let reason: string;
  let denyReason = `because no resource-based policy allows the ${action} action`;
  if (sameAccount && byRole.length > 0 && !limitsOk) {
    decisiveStep = iam.boundaryOk ? 'session-policy' : 'boundary';
    reason = `${kpNames(byRole)} names its role, but its ${iam.boundaryOk ? 'session policy' : 'permissions boundary'} does not allow ${action}, and that limits a key policy that names a role (IAM-EVAL)`;
    denyReason = `because no ${iam.boundaryOk ? 'session policy' : 'permissions boundary'} allows the ${action} action`;
  } else if (kpMatched.length > 0 && iam.identityOk && !limitsOk) {
    decisiveStep = iam.boundaryOk ? 'session-policy' : 'boundary';
    reason = `${kpNames(kpMatched)} and its identity policy allow ${action}, but its ${iam.boundaryOk ? 'session policy' : 'permissions boundary'} does not`;
    denyReason = `because no ${iam.boundaryOk ? 'session policy' : 'permissions boundary'} allows the ${action} action`;
  } else if (kpMatched.length > 0 && !iam.identityOk) {
    decisiveStep = 'identity-policy';
    // A statement that missed by one part is the cause to name: in the key's own account one naming the caller
    // would have allowed alone (CTL); otherwise an identity policy is what is missing (DEF, XA).
    const miss = closestMiss(
      sameAccount
        ? joined(nearCandidates(keyLayer, true), nearCandidates(layers.identity))
        : nearCandidates(layers.identity),
      sreq,
    );
    const missWhy = miss?.why && miss.namesCaller ? missWords(miss, action) : undefined;
    if (miss && missWhy && miss.evaluation.ref.layer === 'key') reason = missWhy;
    else if (sameAccount)
      reason = `${kpNames(byAccount)} lets IAM policies grant access, ${missWhy ? `and ${missWhy}` : `but none of its identity policies allows ${action} on this key`}`;
    else
      reason = `the key policy in account ${key.account} ${byAccount.length > 0 ? `names account ${caller.account}` : 'names it'}, ${missWhy ? `and ${missWhy}` : `but no IAM policy in account ${caller.account} allows ${action} on the key`}. Cross-account use needs both (XA)`;
    if (run.caller.info.kind === 'federated-user' && !layers.hasSession)
      reason += '; a federated user without a session policy has no IAM permissions';
    const aliasHint = aliasArnAsResource(layers.identity, key);
    if (aliasHint) reason += `; ${aliasHint}`;
    denyReason = `because no identity-based policy allows the ${action} action`;
  } else if (!key.policy) {
    reason = 'the key has no key policy in the scenario';
  } else {
    decisiveStep = 'key-policy';
    const iamAllows = iam.identityAllows.length > 0;
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
    const closest =
      !nearWhy && miss?.why ? ` (the closest is ${miss.evaluation.ref.label}: ${miss.why})` : '';
    // A statement that names the caller for other actions only is the likelier slip: "names nobody" would be
    // untrue (KP: a key policy statement allows only the actions it lists).
    const otherActions = nearWhy ? undefined : allowNamingCallerForOtherActions(keyLayer);
    const namesItElsewhere = otherActions
      ? `${otherActions.ref.label} ${principalWords(otherActions)} but does not allow ${action}`
      : undefined;
    if (!sameAccount) {
      reason = `${nearWhy ?? namesItElsewhere ?? `the key policy in account ${key.account} names neither the caller nor account ${caller.account}${closest}`}${iamAllows ? `, so its IAM policy in ${caller.account} has no effect. Cross-account use needs both (XA)` : ''}`;
    } else {
      reason = `${nearWhy ?? namesItElsewhere ?? `no key-policy statement names it${closest}`}${nearWhy || byAccountAnyAction(keyLayer) ? '' : ', and the key policy does not let IAM policies grant access'}${iamAllows ? ', so its IAM policy has no effect' : ''}`;
    }
    // §6: AWS managed keys are meant to be used only through the service that owns them.
    if (key.entry.manager === 'AWS' && !run.request.viaService)
      reason +=
        '. AWS managed keys can be used only through the AWS service that created them (their key policy requires kms:ViaService), so direct calls fail (§6)';
  }
  explanation = `${run.name} is denied${on}: ${reason}.`;
  if (grantDenial?.leads) {
    // The grant was the path meant for this caller and operation: say first why it did not work.
    decisiveStep = 'grant';
    explanation = `${run.name} is denied${on}: ${grantDenial.text}. No policy allows it either: ${reason}.`;
  } else if (grantDenial) {
    explanation = `${run.name} is denied${on}: ${reason}; ${grantDenial.text}.`;
  } else if (operation.grantable && key.grants.length > 0 && !reason.includes('grant')) {
    explanation = `${run.name} is denied${on}: ${reason}; no grant gives it ${operation.name}.`;
  }
  return implicitDenyPart(base, decisiveStep, explanation, denyReason);
}

/**
 * Why no grant allowed a request although one names the caller (GR, GC; §1.3). `leads` when the grant covered this very
 * operation, so its failure is the heart of the denial.
 */
function grantDenialOf(
  run: Run,
  search: GrantSearch,
  operation: string,
  action: string,
  iam: IamVerdict,
  limitsOk: boolean,
): { text: string; leads: boolean } | undefined {
  const usable = search.usable;
  if (usable && !limitsOk) {
    const limit = iam.boundaryOk ? 'session policy' : 'permissions boundary';
    // [unknown] §1.3: the lab lets a boundary or session policy limit grants; the learner must be told.
    run.note(
      '[unknown] AWS does not document whether a permissions boundary or session policy limits access through a grant; the lab applies them.',
    );
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

/** The statements of some layers, flattened; with `namingCaller`, only those naming the caller itself, its role or "*". */
function nearCandidates(layers: LayerResult[], namingCaller = false): StatementEvaluation[] {
  const out: StatementEvaluation[] = [];
  for (const layer of layers)
    for (const e of layer.evaluations)
      if (!namingCaller || (e.namesCaller && e.principalKind !== 'account')) out.push(e);
  return out;
}

/** A one-part miss that names the caller, as the heart of a deny explanation. */
function missWords(miss: NearMiss, action: string): string {
  const e = miss.evaluation;
  const who = e.ref.layer === 'key' ? ` ${principalWords(e)} and` : '';
  return e.principalKind === 'account'
    ? `${e.ref.label} ${principalWords(e)} and would let IAM policies allow ${action}, but ${miss.why}`
    : `${e.ref.label}${who} would allow ${action}, but ${miss.why}`;
}

/** The statements name everyone: with "*", or with NotPrincipal and Allow (IAM-NP). */
function everyoneWords(list: StatementEvaluation[]): string {
  return list.every((e) => e.principalKind === 'all-but-listed')
    ? 'allows every principal except those listed in NotPrincipal'
    : 'allows every principal ("*")';
}

function principalWords(e: StatementEvaluation): string {
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

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The boundary and session-policy steps: they limit paths (B), (C) and role-ARN (A) (§1.3). */
function limitStep(
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

function kpNames(list: StatementEvaluation[]): string {
  return list[0].ref.label;
}

/** Whether some key-policy statement delegates to the caller's account at all (for the explanation). */
function byAccountAnyAction(keyLayer: LayerResult[]): boolean {
  for (const layer of keyLayer)
    for (const e of layer.evaluations)
      if (e.principalKind === 'account' && e.ref.effect === 'Allow') return true;
  return false;
}

// ---------------------------------------------------------------- IAM-only authorization (§3)

function authorizeIamOnly(
  run: Run,
  action: string,
  resource: string,
  context: DerivedContext,
  what: string,
): PartOutcome {
  const steps = new StepTable(run.trace);
  const sreq = statementRequest(run, action, resource, context);
  const layers = collectLayers(run, sreq, {});
  const base = { steps, resource, action };
  const { denies } = explicitDeny(steps, [], layers);
  if (denies.length > 0) return denyOutcome(run, base, denies);
  const failure = guardrails(steps, layers, 'No key resource: RCPs do not take part');
  if (failure) return guardrailOutcome(run, base, failure);
  const iam = iamVerdict(run, layers);
  const root = run.caller.info.kind === 'root';
  step(steps, 'key-policy', 'skip', `Key policies do not take part in ${what}`);
  if (root) step(steps, 'identity-policy', 'pass', 'The root user needs no IAM policy in its own account');
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
  if (layers.hasBoundary)
    step(
      steps,
      'boundary',
      iam.boundaryOk ? 'pass' : 'fail',
      iam.boundaryOk
        ? `The permissions boundary allows ${action}`
        : `The permissions boundary does not allow ${action}`,
      refs(iam.boundaryAllows),
    );
  if (layers.hasSession)
    step(
      steps,
      'session-policy',
      iam.sessionOk ? 'pass' : 'fail',
      iam.sessionOk ? `The session policy allows ${action}` : `The session policy does not allow ${action}`,
      refs(iam.sessionAllows),
    );
  step(steps, 'grant', 'skip', `Grants do not take part in ${what}`);
  if (iam.identityOk && iam.boundaryOk && iam.sessionOk) {
    markRole(iam.identityAllows, 'iam-allow');
    return {
      steps: base.steps,
      resource: base.resource,
      action: base.action,
      decision: 'Allow',
      allowedBy: 'iam-only',
      deniedBy: null,
      deciding: refs(iam.identityAllows),
      decisiveStep: 'identity-policy',
      explanation: root
        ? `The root user of ${run.caller.account} is allowed ${action}: it needs no IAM policy in its own account, and ${what} is decided by IAM policies only.`
        : `${run.name} is allowed: ${iam.identityAllows[0].ref.label} allows ${action}, and ${what} is decided by IAM policies only (no key policy takes part).`,
    };
  }
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

// ---------------------------------------------------------------- RetireGrant (§4.4)

function authorizeRetire(run: Run, grant: GrantSpec, key: PreparedKey, context: DerivedContext): PartOutcome {
  const steps = new StepTable(run.trace);
  const action = 'kms:RetireGrant';
  const sreq = statementRequest(run, action, key.arn, context);
  // GM: kms:RetireGrant in a key policy has no effect; RCPK: RCPs do not apply to RetireGrant.
  run.note(
    'RetireGrant is decided by the grant: key-policy statements have no effect on it (GM), and RCPs do not apply to it (RCPK).',
  );
  const layers = collectLayers(run, sreq, {});
  const base = { steps, resource: key.arn, action };
  const { denies } = explicitDeny(steps, [], layers);
  if (denies.length > 0) return denyOutcome(run, base, denies);
  const failure = guardrails(steps, layers, 'RCPs do not apply to RetireGrant (RCPK)');
  if (failure) return guardrailOutcome(run, base, failure);
  step(steps, 'key-policy', 'skip', 'Key-policy statements have no effect on RetireGrant (GM)');
  step(steps, 'grant', 'skip', 'RetireGrant follows its own rules');
  const caller = run.caller;
  const iam = iamVerdict(run, layers);
  const iamOk = iam.identityOk && iam.boundaryOk && iam.sessionOk;
  const issuingAccount = grant.issuingAccount ?? key.account;
  const retiring = grant.retiringPrincipal ? granteeCovers(grant.retiringPrincipal, caller) : undefined;
  const grantee = granteeCovers(grant.granteePrincipal, caller);
  let rule: string | undefined;
  let viaIam = false;
  if (retiring === 'direct') rule = `it is the grant's retiring principal (${grant.retiringPrincipal})`;
  else if (
    grantee === 'direct' &&
    (grant.retiringPrincipal === grant.granteePrincipal || grant.operations.includes('RetireGrant'))
  ) {
    rule = grant.operations.includes('RetireGrant')
      ? 'it is the grantee and the grant includes the RetireGrant operation'
      : 'it is both the grantee and the retiring principal';
  } else if (retiring === 'account' && iamOk) {
    rule = `the retiring principal is its account ${caller.account}, and ${iam.identityAllows[0]?.ref.label ?? 'its IAM policy'} allows kms:RetireGrant`;
    viaIam = true;
  } else if (caller.account === issuingAccount && (caller.info.kind === 'root' || iamOk)) {
    rule =
      caller.info.kind === 'root'
        ? `it is the root user of ${issuingAccount}, the account that created the grant`
        : `it is in ${issuingAccount}, the account that created the grant, and ${iam.identityAllows[0]?.ref.label} allows kms:RetireGrant`;
    viaIam = caller.info.kind !== 'root';
  }
  if (rule) {
    if (viaIam) markRole(iam.identityAllows, 'iam-allow');
    step(
      steps,
      'identity-policy',
      viaIam ? 'pass' : 'skip',
      viaIam
        ? `${iam.identityAllows[0]?.ref.label} allows kms:RetireGrant`
        : 'Principals named in the grant need no kms:RetireGrant permission (GM)',
      viaIam ? refs(iam.identityAllows) : [],
    );
    step(steps, 'retire-grant', 'pass', `Allowed: ${rule}`);
    return {
      steps: base.steps,
      resource: base.resource,
      action: base.action,
      decision: 'Allow',
      allowedBy: 'retire-grant',
      deniedBy: null,
      deciding: viaIam ? refs(iam.identityAllows) : [],
      decisiveStep: 'retire-grant',
      explanation: `${run.name} may retire grant ${grant.grantId}: ${rule} (GM).`,
    };
  }
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

// ---------------------------------------------------------------- key state (§5)

interface KeyStateProblem {
  outcome: Outcome;
  message: string;
}

function keyStateProblem(
  operation: KmsOperation,
  key: PreparedKey,
  role: 'target' | 'other' = 'other',
): KeyStateProblem | undefined {
  const state = key.entry.state ?? 'Enabled';
  const origin = key.entry.origin ?? 'AWS_KMS';
  const disabled: KeyStateProblem = { outcome: 'DisabledException', message: `${key.arn} is disabled.` };
  // KS [2] or [3]: either is documented for PendingDeletion; the lab uses KMSInvalidStateException (the alarm recipe's message).
  const pendingDeletion: KeyStateProblem = {
    outcome: 'KMSInvalidStateException',
    message: `${key.arn} is pending deletion.`,
  };
  const pendingImport: KeyStateProblem = {
    outcome: 'KMSInvalidStateException',
    message: `${key.arn} is pending import.`,
  };
  const notPending: KeyStateProblem = {
    outcome: 'KMSInvalidStateException',
    message: `${key.arn} is not pending deletion.`,
  };
  const unsupported: KeyStateProblem = {
    outcome: 'UnsupportedOperationException',
    message: `${key.arn} origin is ${origin} which is not valid for this operation.`,
  };
  switch (operation.keyState) {
    case 'crypto':
    case 'asymmetric':
      return state === 'Disabled'
        ? disabled
        : state === 'PendingDeletion'
          ? pendingDeletion
          : state === 'PendingImport'
            ? pendingImport
            : undefined;
    case 'enable-disable':
      return state === 'PendingDeletion'
        ? pendingDeletion
        : state === 'PendingImport'
          ? pendingImport
          : undefined;
    case 'cancel-deletion':
      return state === 'PendingDeletion' ? undefined : notPending;
    case 'schedule-deletion':
    case 'manage':
      return state === 'PendingDeletion' ? pendingDeletion : undefined;
    case 'update-alias':
      return role === 'target' && state === 'PendingDeletion' ? pendingDeletion : undefined;
    case 'rotation':
      if (origin !== 'AWS_KMS') return unsupported;
      return state === 'Disabled'
        ? disabled
        : state === 'PendingDeletion'
          ? pendingDeletion
          : state === 'PendingImport'
            ? unsupported
            : undefined;
    case 'rotation-status':
      return origin !== 'AWS_KMS' || state === 'PendingImport' ? unsupported : undefined;
    case 'import':
      if (origin !== 'EXTERNAL') return unsupported;
      return state === 'PendingDeletion' ? pendingDeletion : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- assembling the result

interface Finish {
  decision: Decision;
  outcome: Outcome;
  errorMessage?: string;
  allowedBy: AllowPath | null;
  deniedBy: EvaluationResult['deniedBy'];
  deciding: StatementRef[];
  decisiveStep: StepId;
  explanation: string;
  /** The request's context (undefined when the request failed before it was derived). */
  context: DerivedContext | undefined;
}

/** The steps of a result without a trace. */
const NO_STEPS: Step[] = [];

/** The ordered steps of a traced result: every node, visited or not, the terminal one, and the decisive one marked. */
function visitedSteps(run: Run, finish: Finish): Step[] {
  const terminal: StepId =
    finish.outcome !== 'Success' && finish.outcome !== 'AccessDeniedException'
      ? 'error'
      : finish.decision === 'Allow'
        ? finish.outcome === 'Success'
          ? 'allow'
          : 'error'
        : finish.decision === 'ExplicitDeny'
          ? 'explicit-deny-result'
          : 'implicit-deny';
  const terminalSummary =
    terminal === 'allow'
      ? 'The request is authorized and succeeds'
      : terminal === 'error'
        ? `The call fails with ${finish.outcome}`
        : terminal === 'explicit-deny-result'
          ? 'AccessDeniedException: explicitly denied'
          : 'AccessDeniedException: nothing allows the request';
  step(
    run.steps,
    terminal,
    terminal === 'allow' ? 'pass' : terminal === 'error' ? 'error' : 'deny',
    terminalSummary,
  );
  const steps: Step[] = [];
  const visited = run.steps.byIndex;
  for (let i = 0; i < visited.length; i++) {
    let s = visited[i];
    const id = STEP_IDS[i];
    if (!s) {
      if (IS_TERMINAL[i]) continue;
      s = DEFAULT_SKIPPED_STEPS[i];
    }
    if (id === finish.decisiveStep)
      s = s.decisive
        ? s
        : { id: s.id, result: s.result, summary: s.summary, statements: s.statements, decisive: true };
    steps.push(s);
  }
  return steps;
}

function assemble(run: Run, finish: Finish): EvaluationResult {
  const trace = run.trace;
  const derived = finish.context;
  const result: EvaluationResult = {
    id: run.request.id,
    decision: finish.decision,
    outcome: finish.outcome,
    allowedBy: finish.allowedBy,
    deniedBy: finish.deniedBy,
    steps: trace ? visitedSteps(run, finish) : NO_STEPS,
    statements: run.statements,
    deciding: finish.deciding,
    // Without a trace (the access matrix) the context is left empty.
    context: !trace ? NO_CONTEXT : derived ? contextRecord(derived) : {},
    explanation: finish.explanation,
    notes: run.notes,
    grants: run.grants,
  };
  if (finish.errorMessage !== undefined) result.errorMessage = finish.errorMessage;
  const expect = run.request.expect;
  if (expect !== undefined) {
    result.expect = expect;
    result.pass = meetsExpectation(expect, finish.decision, finish.outcome);
  }
  return result;
}

/**
 * Like with like: a denial by policy is what AWS reports as AccessDeniedException (kms-authorization.md step 4,
 * "No path -> DENY (implicit), AccessDeniedException"; an explicit deny fails the same way). A request that
 * failed for another reason (NotFoundException for a key the scenario lacks, a key-state exception) also ends
 * in ImplicitDeny here, because nothing authorized it, but it is not the denial the learner expected.
 */
export function meetsExpectation(expect: string, decision: Decision, outcome: Outcome): boolean {
  if (expect === 'Allow') return decision === 'Allow' && outcome === 'Success';
  if (expect === 'ExplicitDeny' || expect === 'ImplicitDeny')
    return decision === expect && outcome === 'AccessDeniedException';
  return outcome === expect;
}

function accessDeniedMessage(run: Run, part: PartOutcome): string {
  return `User: ${run.caller.arn} is not authorized to perform: ${part.action} on resource: ${part.resource} ${part.denyReason ?? 'because no resource-based policy allows the ' + part.action + ' action'}`;
}

/** Ends a request early (unknown key, invalid parameters): nothing was authorized. */
function failEarly(
  run: Run,
  at: StepId,
  outcome: Outcome,
  message: string,
  explanation: string,
  context?: DerivedContext,
): EvaluationResult {
  step(run.steps, at, 'error', message);
  return assemble(run, {
    decision: 'ImplicitDeny',
    outcome,
    errorMessage: message,
    allowedBy: null,
    deniedBy: null,
    deciding: [],
    decisiveStep: at,
    explanation,
    context,
  });
}

/** Combines the parts of a request (one per resource) and the key-state gate into the result. */
function finishParts(
  run: Run,
  parts: PartOutcome[],
  keyChecks: { key: PreparedKey; role?: 'target' | 'other' }[],
  operation: KmsOperation,
  context: DerivedContext,
): EvaluationResult {
  const deciding =
    parts.find((p) => p.decision === 'ExplicitDeny') ??
    parts.find((p) => p.decision === 'ImplicitDeny') ??
    parts[parts.length - 1];
  run.steps.copyFrom(deciding.steps);
  if (parts.length > 1) {
    for (const other of parts) if (other !== deciding) run.note(`Also checked: ${other.explanation}`);
  }
  if (deciding.decision !== 'Allow') {
    if (keyChecks.some(({ key }) => (key.entry.state ?? 'Enabled') !== 'Enabled')) {
      run.note(
        '[unknown] AWS does not document whether the key state is checked before or after authorization; the lab authorizes first, so an unauthorized caller learns nothing about the key state.',
      );
    }
    step(run.steps, 'key-state', 'skip', 'Not reached: the request is not authorized');
    return assemble(run, {
      decision: deciding.decision,
      outcome: 'AccessDeniedException',
      errorMessage: run.trace ? accessDeniedMessage(run, deciding) : undefined,
      allowedBy: null,
      deniedBy: deciding.deniedBy,
      deciding: deciding.deciding,
      decisiveStep: deciding.decisiveStep,
      explanation: deciding.explanation,
      context,
    });
  }
  const allDeciding = parts.length === 1 ? deciding.deciding : parts.flatMap((p) => p.deciding);
  const allowedBy =
    parts.length > 1 && parts.some((p) => p.allowedBy !== deciding.allowedBy)
      ? (parts.find((p) => p.allowedBy !== 'iam-only')?.allowedBy ?? deciding.allowedBy)
      : deciding.allowedBy;
  // §6: AWS managed keys cannot be changed, whatever the policy says. The exception is [unknown].
  const awsManaged = keyChecks.find(({ key }) => key.entry.manager === 'AWS');
  if (awsManaged && operation.mutatesKey) {
    run.note(
      '[unknown] AWS does not document the exception for changing an AWS managed key; the lab reports UnsupportedOperationException.',
    );
    const message = `${awsManaged.key.arn} is an AWS managed key; you cannot perform ${operation.name} on it.`;
    step(run.steps, 'key-state', 'error', 'AWS managed keys cannot be changed (§6)');
    return assemble(run, {
      decision: 'Allow',
      outcome: 'UnsupportedOperationException',
      errorMessage: message,
      allowedBy,
      deniedBy: null,
      deciding: allDeciding,
      decisiveStep: 'key-state',
      explanation: `${deciding.explanation} But ${awsManaged.key.arn} is an AWS managed key, which nobody can change, so the call fails with UnsupportedOperationException.`,
      context,
    });
  }
  for (const { key, role } of keyChecks) {
    const problem = keyStateProblem(operation, key, role);
    if (problem) {
      run.note(
        '[unknown] AWS does not document whether the key state is checked before or after authorization; the lab authorizes first, so an unauthorized caller learns nothing about the key state.',
      );
      step(run.steps, 'key-state', 'error', `Key state ${key.entry.state ?? 'Enabled'}: ${problem.outcome}`);
      return assemble(run, {
        decision: 'Allow',
        outcome: problem.outcome,
        errorMessage: problem.message,
        allowedBy,
        deniedBy: null,
        deciding: allDeciding,
        decisiveStep: 'key-state',
        explanation: `${deciding.explanation} But the key is ${describeState(key)}, so ${operation.name} fails with ${problem.outcome} (KS).`,
        context,
      });
    }
  }
  if (run.trace) {
    let states = '';
    for (let i = 0; i < keyChecks.length; i++)
      states += (i > 0 ? ', ' : '') + (keyChecks[i].key.entry.state ?? 'Enabled');
    step(
      run.steps,
      'key-state',
      keyChecks.length > 0 ? 'pass' : 'skip',
      keyChecks.length > 0 ? `Key state ${states} allows ${operation.name}` : 'No key',
    );
  }
  return assemble(run, {
    decision: 'Allow',
    outcome: 'Success',
    allowedBy,
    deniedBy: null,
    deciding: allDeciding,
    decisiveStep: deciding.decisiveStep,
    explanation: parts.length > 1 ? parts.map((p) => p.explanation).join(' ') : deciding.explanation,
    context,
  });
}

function describeState(key: PreparedKey): string {
  switch (key.entry.state) {
    case 'Disabled':
      return 'disabled';
    case 'PendingDeletion':
      return 'pending deletion';
    case 'PendingImport':
      return 'pending import (its key material is missing)';
    default:
      return key.entry.origin && key.entry.origin !== 'AWS_KMS' ? `of origin ${key.entry.origin}` : 'enabled';
  }
}

// ---------------------------------------------------------------- entry point

const UNKNOWN_OPERATION = (name: string): KmsOperation => ({
  name,
  action: `kms:${name}`,
  actionLower: `kms:${name}`.toLowerCase(),
  kind: 'key',
  crossAccount: false,
  grantable: false,
  mutatesKey: false,
  usesEncryptionContext: false,
});

function contextFor(
  run: Run,
  operation: KmsOperation,
  key: PreparedKey | undefined,
  extra: { encryptionContext?: Record<string, string>; reEncryptOnSameKey?: boolean } = {},
): DerivedContext {
  const { world, request, identity, caller } = run;
  if (key && !key.contextEntries)
    key.contextEntries = keyContextEntries(key, orgMembershipOf(world, key.account));
  const derived = deriveContext({
    request,
    operation,
    caller,
    principalEntries: identity.contextEntries,
    key,
    keyEntries: key?.contextEntries,
    vpcId: request.vpcEndpoint ? world.endpoints.get(request.vpcEndpoint)?.vpcId : undefined,
    encryptionContext: 'encryptionContext' in extra ? extra.encryptionContext : request.encryptionContext,
    reEncryptOnSameKey: extra.reEncryptOnSameKey,
    now: world.now,
  });
  return derived;
}

function keyInAnotherAccount(keys: PreparedKey[], account: string): PreparedKey | undefined {
  for (let i = 0; i < keys.length; i++) if (keys[i].account !== account) return keys[i];
  return undefined;
}

function crossAccountCheck(
  run: Run,
  operation: KmsOperation,
  keys: PreparedKey[],
  context: DerivedContext,
): EvaluationResult | undefined {
  const foreign =
    run.caller.info.kind === 'service' ? undefined : keyInAnotherAccount(keys, run.caller.account);
  if (!foreign) {
    step(run.steps, 'cross-account', 'skip', SKIPPED['cross-account']);
    return undefined;
  }
  if (operation.crossAccount) {
    if (run.trace)
      step(
        run.steps,
        'cross-account',
        'pass',
        `${operation.name} may be used across accounts (key in ${foreign.account}, caller in ${run.caller.account || 'no account'})`,
      );
    return undefined;
  }
  // XA, PERM: permissions for other operations "have no effect" across accounts.
  const action = operation.action;
  step(run.steps, 'cross-account', 'deny', `${operation.name} cannot be used on a key in another account`);
  return assemble(run, {
    decision: 'ImplicitDeny',
    outcome: 'AccessDeniedException',
    errorMessage: `User: ${run.caller.arn} is not authorized to perform: ${action} on resource: ${foreign.arn} because no resource-based policy allows the ${action} action`,
    allowedBy: null,
    deniedBy: null,
    deciding: [],
    decisiveStep: 'cross-account',
    explanation: `${run.name} is denied: the key is in account ${foreign.account} and the caller in ${run.caller.account}, and ${operation.name} cannot be used across accounts, whatever the policies say. Only cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant and RevokeGrant work across accounts (XA).`,
    context,
  });
}

interface RequestedAction {
  /** The action as written (trimmed), and without its `kms:` prefix. */
  written: string;
  bare: string;
  /** ReEncrypt stands for ReEncryptFrom plus ReEncryptTo (DEF). */
  reEncrypt: boolean;
  known: KmsOperation | undefined;
}

/** Requested actions by spelling: the same few come again and again. */
const requestedActions = new Map<string, RequestedAction>();

function actionOfRequest(action: string | undefined): RequestedAction {
  let requested = requestedActions.get(action as string);
  if (requested === undefined) {
    const written = (action ?? '').trim();
    const bare = written.toLowerCase().startsWith('kms:') ? written.slice(4) : written;
    requested = { written, bare, reEncrypt: bare.toLowerCase() === 'reencrypt', known: kmsOperation(bare) };
    if (requestedActions.size >= 512) requestedActions.clear();
    requestedActions.set(action as string, requested);
  }
  return requested;
}

/** Evaluates one request against a prepared world. Never throws for scenario content. */
export function evaluateRequest(
  world: World,
  request: RequestSpec,
  options: { trace?: boolean } = {},
): EvaluationResult {
  const identity = identityOf(world, typeof request.principal === 'string' ? request.principal : '');
  const run = new Run(world, request, identity, options.trace !== false);
  const { written, bare, reEncrypt, known } = actionOfRequest(request.action);

  if (run.trace)
    step(
      run.steps,
      'request',
      'pass',
      `${run.name} calls ${written}${request.keyId ? ` on ${request.keyId}` : ''}${request.vpcEndpoint ? ` through ${request.vpcEndpoint}` : ''}${request.viaService ? ` via ${request.viaService}` : ''}`,
    );

  if (request.viaService && request.sourceIp && !request.vpcEndpoint) {
    run.note(
      `The call comes through ${request.viaService}, so aws:SourceIp is that service's address, not the caller's ${request.sourceIp} (CA).`,
    );
  }
  if (reEncrypt) return evaluateReEncrypt(run);
  let operation = known;
  if (!operation) {
    run.note(
      `${written} is not a KMS action the lab knows; it is evaluated like an operation on a key, with no special rules.`,
    );
    operation = UNKNOWN_OPERATION(bare);
  }
  const action = operation.action;

  switch (operation.kind) {
    case 'iam-only':
      return evaluateIamOnlyRequest(run, operation, action);
    case 'alias':
      return evaluateAliasRequest(run, operation, action);
    case 'retire':
      return evaluateRetireRequest(run, operation);
    default:
      break;
  }

  if (!request.keyId) {
    return failEarly(
      run,
      'resolve-key',
      'ValidationException',
      `1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null`,
      `${action} needs a KeyId, and the request has none.`,
    );
  }
  const resolved = resolveKey(world, request.keyId, run.caller);
  if ('error' in resolved) return notFound(run, request.keyId, resolved.error);
  const key = resolved.key;
  if (run.trace)
    step(
      run.steps,
      'resolve-key',
      'pass',
      request.keyId === key.arn ? `Key ${key.arn}` : `${request.keyId} is ${key.arn}`,
    );
  const context = contextFor(run, operation, key);

  if (operation.name === 'CreateGrant') {
    const invalid = grantRequestOf(request).operations.filter(
      (o) => !kmsOperation(o)?.grantable || kmsOperation(o)?.name !== o,
    );
    if (invalid.length > 0) {
      // GR: any other operation makes CreateGrant fail validation.
      return failEarly(
        run,
        'request',
        'ValidationException',
        `Grant operations must be grant operations: ${invalid.join(', ')} is not one (GR).`,
        `CreateGrant fails validation: ${invalid.join(', ')} cannot be a grant operation. A grant can only allow cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant (GR).`,
        context,
      );
    }
  }
  step(run.steps, 'iam-only', 'skip', SKIPPED['iam-only']);
  const crossAccount = crossAccountCheck(run, operation, [key], context);
  if (crossAccount) return crossAccount;

  const part = authorizeOnKey(run, { operation, action, key, context });
  if (part.decision === 'Allow' && operation.name === 'RevokeGrant') {
    const grantId = parameter(request, 'grantId');
    if (typeof grantId === 'string' && !key.grants.some((g) => g.grantId === grantId)) {
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
  }
  return finishParts(run, [part], [{ key }], operation, context);
}

function notFound(run: Run, keyId: string, message: string): EvaluationResult {
  const crossAccountHint = keyId.startsWith('arn:')
    ? ''
    : " A bare key id or alias name refers to the caller's own account; a key in another account must be named by its key ARN or alias ARN.";
  return failEarly(
    run,
    'resolve-key',
    'NotFoundException',
    message,
    `${keyId} does not name a key the caller can see, so the call fails with NotFoundException.${crossAccountHint}`,
  );
}

function evaluateIamOnlyRequest(run: Run, operation: KmsOperation, action: string): EvaluationResult {
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

function aliasNameFromRequest(run: Run): string | undefined {
  const fromParameters = parameter(run.request, 'aliasName');
  if (typeof fromParameters === 'string') return fromParameters;
  const keyId = run.request.keyId;
  if (keyId?.startsWith('alias/')) return keyId;
  const arn = keyId ? parseKmsArn(keyId) : undefined;
  return arn?.type === 'alias' ? arn.id : undefined;
}

function evaluateAliasRequest(run: Run, operation: KmsOperation, action: string): EvaluationResult {
  const { request, world, caller } = run;
  const aliasName = aliasNameFromRequest(run);
  if (!aliasName) {
    return failEarly(
      run,
      'request',
      'ValidationException',
      `${operation.name} needs an alias name (parameters.aliasName).`,
      `${operation.name} needs an alias name; give it as parameters.aliasName.`,
    );
  }
  if (aliasName.startsWith('alias/aws/')) {
    // §3: the alias/aws/ prefix is reserved for AWS managed keys. [unknown] exception: the lab reports AccessDenied.
    run.note(
      '[unknown] Aliases beginning with alias/aws/ are reserved for AWS managed keys; the lab reports AccessDeniedException for any attempt to change them.',
    );
    return failEarly(
      run,
      'request',
      'AccessDeniedException',
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${aliasName} because aliases beginning with alias/aws/ are reserved`,
      `${aliasName} begins with alias/aws/, which is reserved for AWS managed keys, so nobody can ${operation.name === 'CreateAlias' ? 'create' : operation.name === 'DeleteAlias' ? 'delete' : 'update'} it.`,
    );
  }
  const keys: { key: PreparedKey; role: 'target' | 'other' }[] = [];
  const resolveOrFail = (keyId: string): PreparedKey | EvaluationResult => {
    const resolved = resolveKey(world, keyId, caller);
    return 'error' in resolved ? notFound(run, keyId, resolved.error) : resolved.key;
  };
  if (operation.name === 'CreateAlias') {
    const target =
      (parameter(request, 'targetKeyId') as string | undefined) ??
      (request.keyId && !request.keyId.includes('alias/') ? request.keyId : undefined);
    if (!target)
      return failEarly(
        run,
        'request',
        'ValidationException',
        'CreateAlias needs a target key (parameters.targetKeyId or keyId).',
        'CreateAlias needs the key the alias will point to.',
      );
    const key = resolveOrFail(target);
    if (!('arn' in key)) return key;
    keys.push({ key, role: 'target' });
  } else {
    const current = resolveOrFail(aliasName);
    if (!('arn' in current)) return current;
    keys.push({ key: current, role: 'other' });
    if (operation.name === 'UpdateAlias') {
      const target = parameter(request, 'targetKeyId');
      if (typeof target !== 'string')
        return failEarly(
          run,
          'request',
          'ValidationException',
          'UpdateAlias needs the new key (parameters.targetKeyId).',
          'UpdateAlias needs the key the alias will point to next.',
        );
      const key = resolveOrFail(target);
      if (!('arn' in key)) return key;
      keys.push({ key, role: 'target' });
    }
  }
  const first = keys[0].key;
  const aliasArn = buildAliasArn(first.partition, first.region, caller.account || first.account, aliasName);
  step(
    run.steps,
    'resolve-key',
    'pass',
    `Alias ${aliasArn}; key${keys.length > 1 ? 's' : ''} ${keys.map((k) => k.key.arn).join(' and ')}`,
  );
  step(run.steps, 'iam-only', 'skip', 'The alias needs IAM permission and the key needs key permission (AL)');
  const baseContext = contextFor(run, operation, first);
  const crossAccount = crossAccountCheck(
    run,
    operation,
    keys.map((k) => k.key),
    baseContext,
  );
  if (crossAccount) return crossAccount;

  // AL: an IAM policy must allow the action on the alias, and the key policy (or delegated IAM) on each key.
  const parts: PartOutcome[] = [
    authorizeIamOnly(run, action, aliasArn, baseContext, `permission on the alias ${aliasName}`),
  ];
  keys.forEach(({ key, role }, i) => {
    const context = i === 0 ? baseContext : contextFor(run, operation, key);
    const label =
      operation.name === 'UpdateAlias'
        ? role === 'target'
          ? 'on the new key'
          : 'on the current key'
        : 'on the key';
    parts.push(authorizeOnKey(run, { operation, action, key, context, label }));
  });
  return finishParts(run, parts, keys, operation, baseContext);
}

function evaluateRetireRequest(run: Run, operation: KmsOperation): EvaluationResult {
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

function evaluateReEncrypt(run: Run): EvaluationResult {
  const { request, world, caller } = run;
  const from = kmsOperation('ReEncryptFrom')!;
  const to = kmsOperation('ReEncryptTo')!;
  if (!request.keyId)
    return failEarly(
      run,
      'resolve-key',
      'ValidationException',
      'ReEncrypt needs the source key (keyId).',
      'ReEncrypt needs the source key as keyId.',
    );
  const destinationId = parameter(request, 'destinationKeyId');
  if (typeof destinationId !== 'string') {
    return failEarly(
      run,
      'request',
      'ValidationException',
      'ReEncrypt needs parameters.destinationKeyId.',
      'ReEncrypt needs the destination key as parameters.destinationKeyId.',
    );
  }
  const source = resolveKey(world, request.keyId, caller);
  if ('error' in source) return notFound(run, request.keyId, source.error);
  const destination = resolveKey(world, destinationId, caller);
  if ('error' in destination) return notFound(run, destinationId, destination.error);
  const same = source.key.arn === destination.key.arn;
  step(run.steps, 'resolve-key', 'pass', `Source ${source.key.arn}; destination ${destination.key.arn}`);
  step(run.steps, 'iam-only', 'skip', SKIPPED['iam-only']);
  const sourceContext = contextFor(run, from, source.key, {
    encryptionContext: request.encryptionContext,
    reEncryptOnSameKey: same,
  });
  const destinationEc = parameter(request, 'destinationEncryptionContext') as
    Record<string, string> | undefined;
  const destinationContext = contextFor(run, to, destination.key, {
    encryptionContext: destinationEc,
    reEncryptOnSameKey: same,
  });
  const crossAccount = crossAccountCheck(run, from, [source.key, destination.key], sourceContext);
  if (crossAccount) return crossAccount;
  // DEF: ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key.
  const parts = [
    authorizeOnKey(run, {
      operation: from,
      action: 'kms:ReEncryptFrom',
      key: source.key,
      context: sourceContext,
      label: 'to ReEncryptFrom the source key',
    }),
    authorizeOnKey(run, {
      operation: to,
      action: 'kms:ReEncryptTo',
      key: destination.key,
      context: destinationContext,
      label: 'to ReEncryptTo the destination key',
    }),
  ];
  return finishParts(run, parts, [{ key: source.key }, { key: destination.key }], from, sourceContext);
}
