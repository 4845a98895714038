/**
 * The engine's public data contract: the shapes that the scenario loader, the evaluator, the CLI, the lab UI
 * (flowchart, decision panel, editor highlights) and the lessons all read. Pure types, no logic.
 * The meaning of each field follows lab-design §2 (scenario) and §3 (evaluation result).
 */

/** A position in a source text. `line` and `column` are 1-based (Monaco's convention); `offset` is 0-based. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** A span of source text: `end` is exclusive. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** The policy layers that take part in a KMS decision (kms-authorization.md §1.1). */
export type PolicyLayer =
  | 'key' // the key policy
  | 'identity' // IAM identity policies of the caller (user, or the role behind a session)
  | 'boundary' // the caller's permissions boundary
  | 'session' // the session policy passed when the role was assumed
  | 'scp' // service control policies on the caller's account path
  | 'rcp' // resource control policies on the key's account path
  | 'endpoint'; // the VPC endpoint policy when the call came through an endpoint

/** The policy types the linter knows (a superset of the layers' vocabulary, as `lab lint --type` spells them). */
export type PolicyType = 'key' | 'identity' | 'boundary' | 'session' | 'scp' | 'rcp' | 'endpoint';

/**
 * A stable id for one policy document inside a scenario, so that results, findings and editors can refer to it.
 * Built by `policyId()` in `policy-ids.ts`:
 *   key:<keyArn>                      the key policy
 *   identity:<principalArn>#<index>   the principal's index-th identity policy
 *   boundary:<principalArn>           the principal's permissions boundary
 *   session:<requestId>               the session policy of one request
 *   scp:<target>#<index>              the index-th SCP attached to a target: `root`, an OU id or an account id
 *   rcp:<target>#<index>              the index-th RCP attached to a target
 *   scp:<target>#FullAWSAccess        the SCP AWS attaches by default (not written in the scenario)
 *   rcp:<target>#RCPFullAWSAccess     the RCP AWS attaches to every target (not written in the scenario)
 *   endpoint:<vpceId>                 a VPC endpoint policy
 */
export type PolicyId = string;

/** Points at one statement of one policy, with where it is in the source text of that policy. */
export interface StatementRef {
  policyId: PolicyId;
  layer: PolicyLayer;
  /** Index of the statement in the policy's Statement array (0 when Statement is a single object). */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The whole statement object in the policy's own source text (the editor's), when the text is known. */
  range?: SourceRange;
  /** `lab eval` only: the same range in the scenario file (src/cli/positions.ts). */
  fileRange?: SourceRange;
  /** Label for people, e.g. `key policy #2 "Allow use of the key"`; statements are numbered from 1. */
  label: string;
}

/** The outcome of comparing one element (Action, Resource, Principal) of a statement with the request. */
export interface ElementMatch {
  /** Which element of the statement was compared (`NotAction` etc. when the statement used the negated form). */
  element: 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Principal' | 'NotPrincipal';
  matched: boolean;
  /** The request value that was compared, e.g. `kms:Decrypt` or the key ARN or the caller ARN. */
  requestValue: string;
  /** The statement's values, as written. */
  policyValues: string[];
  /** The policy value that matched (for a positive element), when one did. */
  matchedBy?: string;
  /** Why, in a short sentence for people. */
  reason: string;
  range?: SourceRange;
}

/** The outcome of one condition: one operator and one key, with all its values (IAM-MULTI). */
export interface ConditionMatch {
  /** The operator as written, e.g. `ForAnyValue:StringEqualsIgnoreCase` or `StringNotEqualsIfExists`. */
  operator: string;
  /** The condition key as written. */
  key: string;
  /** The policy values after policy-variable substitution (`null` entry: a variable that could not be resolved). */
  policyValues: (string | null)[];
  /** The request's values for that key; `null` when the key is absent from the request context. */
  requestValues: string[] | null;
  matched: boolean;
  /** Why, in a short sentence, e.g. "kms:EncryptionContext:dept is absent; a non-negated operator on an absent key is false". */
  reason: string;
  range?: SourceRange;
}

/** Everything the evaluator found out about one statement for one request. */
export interface StatementMatch {
  ref: StatementRef;
  /** True when every element and every condition matched, so the statement applies to the request. */
  applies: boolean;
  action: ElementMatch;
  resource: ElementMatch | null; // null: the statement has no Resource element (a key-policy statement without one has no effect, KPO)
  principal: ElementMatch | null; // null: the policy type has no Principal (identity, boundary, session, SCP)
  conditions: ConditionMatch[];
  /** One sentence: why it applies, or the first reason it does not. */
  summary: string;
  /** Role of this statement in the decision, when it had one. */
  role?: 'explicit-deny' | 'allow' | 'guardrail-allow' | 'delegation' | 'iam-allow';
}

/**
 * The nodes of the authorization flowchart, in their drawing order. `steps[].id` of a result is always one of
 * these. The UI draws one node per id; the text trace names them with `STEP_LABELS`.
 */
export const STEP_IDS = [
  'request', // the request context as derived (principal, action, key reference, context keys)
  'resolve-key', // the KeyId (key id, key ARN, alias name, alias ARN) resolved to a key, or NotFoundException
  'cross-account', // pre-check: an operation that cannot be used across accounts is refused (XA, PERM)
  'iam-only', // pre-check: IAM-only actions (CreateKey, ListKeys, ListAliases, GenerateRandom…) ignore key policies
  'explicit-deny', // a Deny in any layer decides at once (IAM-EVAL)
  'scp', // every level from the root to the caller's account needs an Allow among its SCPs (IAM-EVAL, Organizations); not in the management account
  'rcp', // RCPFullAWSAccess at every level of the key's account path, so RCPs only deny explicitly (RCPK); skipped for AWS managed keys, RetireGrant, the management account
  'vpc-endpoint', // the endpoint policy must allow when the call came through an endpoint (VPCE)
  'key-policy', // a key-policy Allow names the caller (path A) or the caller's account (enables path B)
  'identity-policy', // an IAM identity-policy Allow (path B, or the second half of a cross-account path A)
  'boundary', // the permissions boundary must allow (IAM-PB)
  'session-policy', // the session policy must allow (IAM-EVAL)
  'grant', // a grant for the caller covers the operation and its constraints hold (GR, GC)
  'retire-grant', // the special RetireGrant rules (GM)
  'key-state', // the key state allows the operation, else DisabledException / KMSInvalidStateException (KS)
  'allow', // terminal: the request is authorized and succeeds
  'implicit-deny', // terminal: nothing allowed it (AccessDeniedException)
  'explicit-deny-result', // terminal: an explicit Deny (AccessDeniedException)
  'error', // terminal: the request fails with another exception (NotFound, Disabled, InvalidState, Unsupported…)
] as const;

export type StepId = (typeof STEP_IDS)[number];

/**
 * How a visited step came out:
 * - `pass`: the check let the request go on (or found an Allow);
 * - `fail`: the check found nothing that allows (the request may still be allowed by a later path);
 * - `deny`: the check denied the request;
 * - `skip`: the check does not apply to this request (e.g. no VPC endpoint used) and was passed over;
 * - `error`: the check ended the request with an AWS exception.
 */
export type StepResult = 'pass' | 'fail' | 'deny' | 'skip' | 'error';

export interface Step {
  id: StepId;
  result: StepResult;
  /** One short line for the flowchart node, e.g. "No Deny statement matches". */
  summary: string;
  /** The statements this step looked at and that mattered to it (the ones to highlight in the editors). */
  statements: StatementRef[];
  /** True for the one step that decided the outcome. */
  decisive?: boolean;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** `Success`, or the name of the AWS exception the call would fail with. */
export type Outcome =
  | 'Success'
  | 'AccessDeniedException'
  | 'DisabledException'
  | 'KMSInvalidStateException'
  | 'NotFoundException'
  | 'UnsupportedOperationException'
  | 'ValidationException'
  | 'InvalidGrantTokenException'
  // A policy AWS would refuse to store (lint/rejected.ts): the new key policy of PutKeyPolicy or CreateKey, or
  // one the request meets (it can never be in effect, so the lab answers with this instead of a decision).
  | 'MalformedPolicyDocumentException'
  | 'LimitExceededException';

/** How an allowed request was authorized (kms-authorization.md §1.2 step 4). */
export type AllowPath =
  | 'key-policy' // (A) the key policy names the caller, same account
  | 'key-policy+iam' // (A) cross-account, or (B) the key policy delegates to the account and IAM allows
  | 'grant' // (C)
  | 'retire-grant' // (D) a principal named by the grant, or the grant's account
  | 'iam-only'; // an IAM-only action allowed by identity policies

/** The derived request context: condition key (as AWS spells it) → values. Single-valued keys hold one value. */
export type RequestContext = Record<string, string[]>;

export interface EvaluationResult {
  id: string;
  decision: Decision;
  outcome: Outcome;
  /** The AWS-style error message when the outcome is not Success. */
  errorMessage?: string;
  allowedBy: AllowPath | null;
  /** For an explicit deny: the layer and statement that denied. For a guardrail with no Allow: that layer. */
  deniedBy: { layer: PolicyLayer; statement?: StatementRef } | null;
  /** The path through the flowchart, in order. */
  steps: Step[];
  /** Every statement considered, with its match details. */
  statements: StatementMatch[];
  /** The statements that decided (the Deny; or the Allow statements of the path used). */
  deciding: StatementRef[];
  /** The request context the engine derived (after `context` overrides). */
  context: RequestContext;
  /** Plain English, one to five sentences. */
  explanation: string;
  /** Assumptions and remarks the learner should see (unknown principal, [unknown] choices that applied…). */
  notes: string[];
  /** Every grant on the key that was considered, with why it could or could not be used (GR, GC). */
  grants?: GrantMatch[];
  /** The request's `expect`, and whether the result met it (present only when the request had one). */
  expect?: string;
  pass?: boolean;
  /** The policies AWS would refuse to store that the request met (outcome MalformedPolicyDocumentException). */
  rejectedPolicies?: RejectedPolicy[];
}

/** A policy AWS would refuse to store (PutKeyPolicy, CreatePolicy…), with each reason, as the linter finds them. */
export interface RejectedPolicy {
  /** The scenario's policy; absent for the new key policy in the request's `parameters.policy`. */
  policyId?: PolicyId;
  layer: PolicyLayer;
  /** For people, e.g. `the key policy of arn:aws:kms:…` or `identity policy "AppAccess" of role/App`. */
  label: string;
  /** The findings of the "AWS rejects this" kind; their ranges are in the policy's own text. */
  problems: Finding[];
}

/** How one grant compared with the request (kms-authorization.md §4). */
export interface GrantMatch {
  grantId: string;
  name?: string;
  granteePrincipal: string;
  operations: string[];
  /** True when this grant authorizes the request (grantee, operation, constraints and propagation all hold). */
  usable: boolean;
  granteeMatched: boolean;
  operationMatched: boolean;
  constraintsMatched: boolean;
  /** False when the grant has not propagated yet and the request did not present its grant token (GR). */
  visible: boolean;
  /** Why, in a short sentence for people. */
  reason: string;
}

/** A finding shaped like IAM Access Analyzer's policy validation findings. */
export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface Finding {
  type: FindingType;
  /** A stable issue code, e.g. `MISSING_PRINCIPAL`, `UNKNOWN_ACTION`, `LOCKOUT_RISK`. */
  code: string;
  message: string;
  learnMoreLink: string;
  /** JSON path in the policy document, e.g. ["Statement", 1, "Condition", "StringEquals"]. */
  path: (string | number)[];
  /** In the policy's own text; `fileRange` (set by `lab eval` only) is the same range in the scenario file. */
  range: SourceRange;
  fileRange?: SourceRange;
}

/** One cell of the access matrix: what `principal` calling `action` on the key would get. */
export interface MatrixCell {
  principal: string;
  action: string;
  decision: Decision;
  outcome: Outcome;
  allowedBy: AllowPath | null;
}

/** Every principal of a scenario × every action the key supports (rows: principals, columns: actions). */
export interface AccessMatrix {
  keyArn: string;
  principals: string[];
  actions: string[];
  /** cells[row][column] = cells[principal index][action index]. */
  cells: MatrixCell[][];
}

/** One request whose decision differs between two versions of a scenario. */
export interface DecisionChange {
  requestId: string;
  principal: string;
  action: string;
  keyId?: string;
  before: { decision: Decision; outcome: Outcome };
  after: { decision: Decision; outcome: Outcome };
  /** Plain English: what changed and which statement made the difference. */
  why: string;
}

export interface ScenarioDiff {
  /** How many requests were compared (the scenarios' own requests plus the access-matrix cells of shared keys). */
  compared: number;
  changes: DecisionChange[];
}
