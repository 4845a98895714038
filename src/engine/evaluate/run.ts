/**
 * The run of one request: the caller, the notes, statements and grants it gathers, and the steps it visits
 * in the flowchart (`STEP_IDS`). Every layer module records its node through `step()`.
 */
import type { RequestSpec } from '../../scenario/types';
import type {
  AllowPath,
  Decision,
  EvaluationResult,
  GrantMatch,
  RejectedPolicy,
  RequestContext,
  StatementMatch,
  StatementRef,
  Step,
  StepId,
  StepResult,
} from '../types';
import { STEP_IDS } from '../types';
import type { Caller } from '../compile';
import { deriveContext, keyContextEntries, type DerivedContext } from '../context';
import type { KmsOperation } from '../kms-actions';
import { orgMembershipOf, type PreparedKey, type World } from '../world';
import type { CallerIdentity } from './caller';

/** The summary of a node after the one that ended a request early (an explicit Deny, a guardrail, an error). */
export const NOT_REACHED = 'Not reached';

/** The summary of a node the request did not visit, by node. */
export const SKIPPED: Record<StepId, string> = {
  request: '',
  'resolve-key': 'The operation uses no key',
  'cross-account': 'Caller and key are in the same account',
  'iam-only': 'Not an IAM-only action: the key policy takes part',
  'explicit-deny': NOT_REACHED,
  scp: 'No SCP applies to the caller',
  rcp: 'No RCP applies to the key',
  'vpc-endpoint': 'The call did not come through a VPC endpoint',
  'key-policy': 'The key policy does not take part',
  'identity-policy': 'Not needed for this path',
  boundary: 'The caller has no permissions boundary',
  'session-policy': 'The caller has no session policy',
  grant: 'No grant was needed',
  'retire-grant': 'Only for RetireGrant',
  'key-state': NOT_REACHED,
  allow: '',
  'implicit-deny': '',
  'explicit-deny-result': '',
  error: '',
};

const TERMINAL: ReadonlySet<StepId> = new Set(['allow', 'implicit-deny', 'explicit-deny-result', 'error']);
export const IS_TERMINAL: readonly boolean[] = STEP_IDS.map((id) => TERMINAL.has(id));
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
export class StepTable {
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

export const NO_CONTEXT: RequestContext = {};

/** Shared, never mutated: most steps highlight no statement. */
export const NO_STATEMENTS: StatementRef[] = [];

/** The step of a node a request never reached; shared between results (a default step is never decisive). */
export const DEFAULT_SKIPPED_STEPS: readonly Step[] = STEP_IDS.map((id) => ({
  id,
  result: 'skip',
  summary: SKIPPED[id],
  statements: NO_STATEMENTS,
}));

/** What one authorization part (one resource) concluded. */
export interface PartOutcome {
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

/** What every part outcome starts from: its own steps, and the resource and action it authorizes. */
export type PartBase = Pick<PartOutcome, 'steps' | 'resource' | 'action'>;

export class Run {
  readonly notes: string[] = [];
  readonly statements: StatementMatch[] = [];
  readonly grants: GrantMatch[] = [];
  readonly steps: StepTable;
  /** Policies AWS would refuse to store that this request met, and their statements (rejected-policies.ts). */
  rejected: RejectedPolicy[] | undefined = undefined;
  rejectedStatements: StatementRef[] | undefined = undefined;

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

/** Records how a node came out (nothing without a trace); a constant step is shared rather than made again. */
export function step(
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

/** The outcome of an allowed part. */
export function allowPart(
  base: PartBase,
  allowedBy: AllowPath,
  deciding: StatementRef[],
  decisiveStep: StepId,
  explanation: string,
): PartOutcome {
  return {
    steps: base.steps,
    resource: base.resource,
    action: base.action,
    decision: 'Allow',
    allowedBy,
    deniedBy: null,
    deciding,
    decisiveStep,
    explanation,
  };
}

/** The outcome of a part that nothing allowed: no deciding statement, no layer to blame. */
export function implicitDenyPart(
  base: PartBase,
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

/** The request context (condition keys) of one part of the request, on one key or on none. */
export function contextFor(
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
