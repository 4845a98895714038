/**
 * Policies AWS would refuse to store (lint/rejected.ts: a malformed Condition, an unknown element, a missing
 * Effect…). Such a policy can never be in effect: PutKeyPolicy and CreateKey fail with
 * MalformedPolicyDocumentException (PutKeyPolicy API), and IAM, STS and Organizations refuse it too (IAM
 * grammar, reference_policies_grammar.html). So the lab never evaluates one: a request whose evaluation meets
 * it is answered with the error, naming the policy, where in it, and the problem, instead of a decision that
 * AWS could never give (before issue 8 a malformed Condition was dropped and the statement applied
 * unconditionally). The same check refuses the new key policy of PutKeyPolicy and CreateKey.
 */
import type { Finding, Outcome, PolicyLayer, RejectedPolicy, StatementRef, StepId } from '../types';
import { STEP_IDS } from '../types';
import type { CompiledPolicy } from '../compile';
import type { KmsOperation } from '../kms-actions';
import { parameter } from '../context';
import { lintParsedPolicy, type LintOptions } from '../lint';
import { rejectionsOf } from '../lint/rejected';
import { parsePolicyDocument, parsePolicyText, type ParsedPolicy } from '../parse';
import { parsePolicyId } from '../policy-ids';
import { upperFirst } from '../sentence';
import { IS_TERMINAL, step, type Run } from './run';

/** Each compiled policy is linted once, the first time a request meets it. */
const rejectionCache = new WeakMap<CompiledPolicy, Finding[]>();
const NONE: Finding[] = [];

/** The reasons AWS would refuse this policy (none for a policy AWS accepts). */
export function rejectionsOfPolicy(policy: CompiledPolicy): Finding[] {
  let problems = rejectionCache.get(policy);
  if (problems === undefined) {
    problems = rejections(policy.parsed, policy.layer, policy.id);
    rejectionCache.set(policy, problems);
  }
  return problems;
}

function rejections(parsed: ParsedPolicy, layer: PolicyLayer, id?: string): Finding[] {
  // The size AWS measures is that of the text it is given: the learner's, or compact JSON for a document
  // that came as a value (whose text here is JSON.stringify(value, null, 2)).
  let sizeText = parsed.text;
  try {
    if (parsed.value !== undefined && parsed.text === JSON.stringify(parsed.value, null, 2))
      sizeText = JSON.stringify(parsed.value);
  } catch {
    // keep the text
  }
  const found = rejectionsOf(lintParsedPolicy(parsed, layer, lintOptions(layer, id), sizeText), layer);
  return found.length > 0 ? found : NONE;
}

function lintOptions(layer: PolicyLayer, id: string | undefined): LintOptions {
  // IAM quotas: an identity policy may be managed (6,144) or inline (up to 10,240 for a role); refuse only
  // what no form of it would fit.
  if (layer === 'identity') return { identityPolicyKind: 'inline-role' };
  const parsedId = id ? parsePolicyId(id) : undefined;
  return parsedId && parsedId.layer === 'key' ? { keyArn: parsedId.keyArn } : {};
}

/** Records that the run met a policy AWS would refuse; the result then reports it (`rejectedFinish`). */
export function noteRejected(run: Run, policy: CompiledPolicy, problems: Finding[]): void {
  const list = (run.rejected ??= []);
  if (list.some((r) => r.policyId === policy.id)) return;
  list.push({ policyId: policy.id, layer: policy.layer, label: policyLabel(policy), problems });
  const statements = statementRefsOf(policy, problems);
  if (statements.length > 0) (run.rejectedStatements ??= []).push(...statements);
}

function policyLabel(policy: CompiledPolicy): string {
  const id = parsePolicyId(policy.id);
  if (id?.layer === 'key') return `the key policy of ${id.keyArn}`;
  if (id?.layer === 'identity' || id?.layer === 'boundary') return `${policy.label} of ${id.principalArn}`;
  return `the ${policy.label}`;
}

/** The statements the problems are in, so the flowchart node and the editor can point at them. */
function statementRefsOf(policy: CompiledPolicy, problems: Finding[]): StatementRef[] {
  const indexes = new Set<number>();
  for (const problem of problems) {
    if (problem.path[0] !== 'Statement') continue;
    indexes.add(typeof problem.path[1] === 'number' ? problem.path[1] : 0);
  }
  return policy.statements.filter((s) => indexes.has(s.ref.index)).map((s) => s.ref);
}

/** The flowchart node of each layer, where the error is shown. */
const LAYER_STEP: Record<PolicyLayer, StepId> = {
  key: 'key-policy',
  identity: 'identity-policy',
  boundary: 'boundary',
  session: 'session-policy',
  scp: 'scp',
  rcp: 'rcp',
  endpoint: 'vpc-endpoint',
};

/** The summary of every other node of a request that met a policy AWS would refuse. */
const NOT_EVALUATED = 'Not evaluated: the request meets a policy AWS would refuse';

/** Who refuses to store a policy of each layer, for the explanation. */
const REFUSED_BY: Record<PolicyLayer, string> = {
  key: 'KMS refuses it (PutKeyPolicy and CreateKey fail with MalformedPolicyDocumentException)',
  identity: 'IAM refuses it (MalformedPolicyDocument)',
  boundary: 'IAM refuses it (MalformedPolicyDocument)',
  session: 'STS refuses it when the role is assumed (MalformedPolicyDocument)',
  scp: 'Organizations refuses it (MalformedPolicyDocumentException)',
  rcp: 'Organizations refuses it (MalformedPolicyDocumentException)',
  endpoint: 'the VPC endpoint refuses it (MalformedPolicyDocument)',
};

/**
 * Where a problem is, for people. The engine knows only the policy's own text (the editor's), so by default
 * `line 9, column 7 of the policy`; the CLI, which knows where each policy sits in the scenario file, passes a
 * `where` that names the file position (src/cli/positions.ts).
 */
export type ProblemPlace = (rejected: RejectedPolicy, problem: Finding) => string;

export const IN_POLICY: ProblemPlace = (_rejected, problem) =>
  `line ${problem.range.start.line}, column ${problem.range.start.column} of the policy`;

/** `At line 9, column 7 of the policy: "Condtion" is not a statement element…`, for up to three problems. */
function problemWords(rejected: RejectedPolicy, where: ProblemPlace): string {
  const { problems } = rejected;
  const shown = problems.slice(0, 3).map((p) => `At ${where(rejected, p)}: ${p.message}`);
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return shown.join(' ') + more;
}

/** The explanation of a request that met the `rejected` policies (the first is the one it names). */
export function refusedExplanation(rejected: RejectedPolicy[], where: ProblemPlace = IN_POLICY): string {
  const first = rejected[0];
  const others =
    rejected.length > 1
      ? ` The request also meets ${rejected
          .slice(1)
          .map((r) => r.label)
          .join(', ')}, which AWS would refuse too.`
      : '';
  return (
    `${upperFirst(first.label)} could never be in effect: ${REFUSED_BY[first.layer]}, so the lab does not ` +
    `evaluate requests that meet it. ${problemWords(first, where)}${others} Fix the policy to see the decision.`
  );
}

/** The explanation of a PutKeyPolicy or CreateKey whose new key policy KMS refuses. */
export function newPolicyExplanation(
  operationName: string,
  outcome: Outcome,
  rejected: RejectedPolicy,
  where: ProblemPlace = IN_POLICY,
): string {
  return `${operationName} is allowed, but KMS refuses the new key policy with ${outcome}, so the call fails and nothing changes. In parameters.policy: ${problemWords(rejected, where)}`;
}

export interface RejectedFinish {
  outcome: Outcome;
  errorMessage: string;
  explanation: string;
  decisiveStep: StepId;
}

/**
 * The result of a run that met a policy AWS would refuse: the trace is cleared past the key resolution (none
 * of it could happen), the node of the policy's layer and the terminal node show the error.
 */
export function rejectedFinish(run: Run, rejected: RejectedPolicy[]): RejectedFinish {
  const first = rejected[0];
  const at = LAYER_STEP[first.layer];
  const byIndex = run.steps.byIndex;
  for (let i = 0; i < byIndex.length; i++) {
    const id = STEP_IDS[i];
    if (id !== 'request' && id !== 'resolve-key') byIndex[i] = undefined;
  }
  run.statements.length = 0;
  run.grants.length = 0;
  const summary = `${upperFirst(first.label)} is not a policy AWS would accept`;
  // No other node was evaluated: say so, rather than the words of a node that did not apply.
  for (let i = 0; i < byIndex.length; i++)
    if (byIndex[i] === undefined && !IS_TERMINAL[i]) step(run.steps, STEP_IDS[i], 'skip', NOT_EVALUATED);
  step(run.steps, at, 'error', summary, run.rejectedStatements ?? []);
  return {
    outcome: 'MalformedPolicyDocumentException',
    errorMessage: `${upperFirst(first.label)} is not a policy AWS would accept: ${first.problems[0]?.message ?? ''}`,
    explanation: refusedExplanation(rejected),
    decisiveStep: at,
  };
}

export interface NewPolicyRefusal extends RejectedFinish {
  rejected: RejectedPolicy;
}

/**
 * PutKeyPolicy and CreateKey with a `parameters.policy` (a JSON string, as AWS takes it, or an object) that
 * AWS would refuse: MalformedPolicyDocumentException, or LimitExceededException for a policy over the
 * 32 KB quota (PutKeyPolicy API; kms-service-facts.md §2.2 and §5). Checked once the caller is authorized.
 */
export function newKeyPolicyRefusal(run: Run, operation: KmsOperation): NewPolicyRefusal | undefined {
  if (operation.name !== 'PutKeyPolicy' && operation.name !== 'CreateKey') return undefined;
  const written = parameter(run.request, 'policy');
  if (written === undefined) return undefined;
  const parsed = typeof written === 'string' ? parsePolicyText(written) : parsePolicyDocument(written);
  const problems = rejections(parsed, 'key');
  if (problems.length === 0) return undefined;
  const tooLarge = problems.every((p) => p.code === 'POLICY_SIZE_EXCEEDED');
  const outcome: Outcome = tooLarge ? 'LimitExceededException' : 'MalformedPolicyDocumentException';
  const rejected: RejectedPolicy = {
    layer: 'key',
    label: 'the new key policy (parameters.policy)',
    problems,
  };
  step(run.steps, 'request', 'error', `The new key policy is not one KMS accepts: ${outcome}`);
  return {
    rejected,
    outcome,
    errorMessage: tooLarge
      ? 'Policy exceeds the maximum size of a key policy (32 KB).'
      : `The new key policy is not syntactically or semantically correct: ${problems[0].message}`,
    explanation: newPolicyExplanation(operation.name, outcome, rejected),
    decisiveStep: 'request',
  };
}
