/**
 * Assembling the result of a run (lab-design §3): the parts of a request combined, the key-state gate, the
 * terminal node, the ordered steps with the decisive one marked, and the expectation check.
 */
import type {
  AllowPath,
  Decision,
  EvaluationResult,
  Outcome,
  RejectedPolicy,
  Step,
  StatementRef,
  StepId,
} from '../types';
import { STEP_IDS } from '../types';
import { contextRecord, parameter, type DerivedContext } from '../context';
import type { KmsOperation } from '../kms-actions';
import { accessDeniedMessage } from './explanation';
import { keyStateNotReached, keyStateRefusal, type KeyCheck } from './key-state';
import { newKeyPolicyRefusal, rejectedFinish } from './rejected-policies';
import { LOCKOUT_MESSAGE, locksOutCaller } from '../lockout';
import {
  DEFAULT_SKIPPED_STEPS,
  IS_TERMINAL,
  NO_CONTEXT,
  NO_STATEMENTS,
  NOT_REACHED,
  step,
  type PartOutcome,
  type Run,
} from './run';

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
  /** The new key policy AWS refuses (PutKeyPolicy, CreateKey). */
  rejected?: RejectedPolicy[];
}

/** A request that met a policy AWS would refuse was not decided: nothing allowed or denied it. */
const NOTHING_DECIDED = {
  decision: 'ImplicitDeny',
  allowedBy: null,
  deniedBy: null,
  deciding: [],
} as const satisfies Partial<Finish>;

/** The steps of a result without a trace. */
const NO_STEPS: Step[] = [];

/** A node after the one that ended a denied or failed request early; shared between results. */
const NOT_REACHED_STEPS: readonly Step[] = STEP_IDS.map((id) => ({
  id,
  result: 'skip',
  summary: NOT_REACHED,
  statements: NO_STATEMENTS,
}));

/** The first node of the key phase: a request denied or failed before it never reached the nodes after. */
const KEY_PHASE = STEP_IDS.indexOf('key-policy');

/**
 * The flowchart position past which a request was not evaluated: an explicit Deny, a guardrail, the
 * cross-account check or an error before the key phase ends the request (IAM-EVAL: an explicit Deny decides at
 * once). A request denied within the key phase ran it all, so a node it did not visit simply did not apply.
 */
function stoppedAt(finish: Finish): number {
  if (finish.decision === 'Allow') return STEP_IDS.length;
  const decisive = STEP_IDS.indexOf(finish.decisiveStep);
  return decisive >= 0 && decisive < KEY_PHASE ? decisive : STEP_IDS.length;
}

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
  const visited = run.steps.byIndex;
  const stop = stoppedAt(finish);
  // Sized first: pushing one by one past 17 steps made the array twice.
  let count = 0;
  for (let i = 0; i < visited.length; i++) if (visited[i] || !IS_TERMINAL[i]) count++;
  const steps = new Array<Step>(count);
  let at = 0;
  for (let i = 0; i < visited.length; i++) {
    let s = visited[i];
    const id = STEP_IDS[i];
    if (!s) {
      if (IS_TERMINAL[i]) continue;
      s = i > stop ? NOT_REACHED_STEPS[i] : DEFAULT_SKIPPED_STEPS[i];
    }
    if (id === finish.decisiveStep)
      s = s.decisive
        ? s
        : { id: s.id, result: s.result, summary: s.summary, statements: s.statements, decisive: true };
    steps[at++] = s;
  }
  return steps;
}

export function assemble(run: Run, finish: Finish): EvaluationResult {
  if (run.rejected) finish = { ...finish, ...rejectedFinish(run, run.rejected), ...NOTHING_DECIDED };
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
  const rejected = run.rejected ?? finish.rejected;
  if (rejected) result.rejectedPolicies = rejected;
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

/** Ends a request early (unknown key, invalid parameters): nothing was authorized. */
export function failEarly(
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
export function finishParts(
  run: Run,
  parts: PartOutcome[],
  keyChecks: KeyCheck[],
  operation: KmsOperation,
  context: DerivedContext,
): EvaluationResult {
  // The part that decides: an explicit deny, else an implicit deny, else the last (every part allowed).
  const deciding =
    parts.find((p) => p.decision === 'ExplicitDeny') ??
    parts.find((p) => p.decision === 'ImplicitDeny') ??
    parts[parts.length - 1];
  run.steps.copyFrom(deciding.steps);
  if (parts.length > 1) {
    for (const other of parts) if (other !== deciding) run.note(`Also checked: ${other.explanation}`);
  }
  if (deciding.decision !== 'Allow') {
    keyStateNotReached(run, keyChecks);
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
  const policyRefusal = newKeyPolicyRefusal(run, operation);
  if (policyRefusal) {
    return assemble(run, {
      decision: 'Allow',
      outcome: policyRefusal.outcome,
      errorMessage: policyRefusal.errorMessage,
      allowedBy,
      deniedBy: null,
      deciding: allDeciding,
      decisiveStep: policyRefusal.decisiveStep,
      explanation: policyRefusal.explanation,
      context,
      rejected: [policyRefusal.rejected],
    });
  }
  const lockout = lockoutRefusal(run, operation, keyChecks[0]?.key.arn);
  if (lockout) {
    return assemble(run, {
      decision: 'Allow',
      outcome: 'MalformedPolicyDocumentException',
      errorMessage: LOCKOUT_MESSAGE,
      allowedBy,
      deniedBy: null,
      deciding: allDeciding,
      decisiveStep: 'request',
      explanation: lockout,
      context,
    });
  }
  const refusal = keyStateRefusal(run, keyChecks, operation, deciding.explanation);
  if (refusal) {
    return assemble(run, {
      decision: 'Allow',
      outcome: refusal.outcome,
      errorMessage: refusal.message,
      allowedBy,
      deniedBy: null,
      deciding: allDeciding,
      decisiveStep: 'key-state',
      explanation: refusal.explanation,
      context,
    });
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

/**
 * API PutKeyPolicy: an authorized PutKeyPolicy whose new policy (AWS accepts it) would stop the caller from calling
 * PutKeyPolicy again is refused, unless BypassPolicyLockoutSafetyCheck is true (lockout.ts says how far the lab looks).
 */
function lockoutRefusal(run: Run, operation: KmsOperation, keyArn: string | undefined): string | undefined {
  if (operation.name !== 'PutKeyPolicy' || !keyArn) return undefined;
  const written = parameter(run.request, 'policy');
  const bypass = parameter(run.request, 'bypassPolicyLockoutSafetyCheck');
  if (written === undefined || bypass === true || bypass === 'true') return undefined;
  if (!locksOutCaller(written, keyArn, run.request.principal, new Date(run.world.now.iso[0])))
    return undefined;
  step(run.steps, 'request', 'error', 'The new key policy would lock the caller out of PutKeyPolicy');
  return (
    'PutKeyPolicy is allowed, but KMS refuses the new key policy: it would not let the caller call PutKeyPolicy on ' +
    'the key again (the key policy lockout safety check). Give the caller, or its account through the ' +
    '"Enable IAM policies" statement, kms:PutKeyPolicy in the new policy, or set BypassPolicyLockoutSafetyCheck.'
  );
}
