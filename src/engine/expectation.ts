/**
 * Why a request's `expect` was not met, in words (lab-design §2: `expect` is Allow, ExplicitDeny, ImplicitDeny
 * or an AWS exception name; result.ts `meetsExpectation` decides). A request that failed with an exception
 * other than AccessDeniedException was not denied by policies, so a decision word cannot match it: the message
 * says what the request answered and that `expect` must name the exception. "expected ImplicitDeny, got
 * ImplicitDeny (MalformedPolicyDocumentException)" read as a contradiction.
 */
import type { EvaluationResult } from './types';

const DECISION_WORDS: ReadonlySet<string> = new Set(['Allow', 'ExplicitDeny', 'ImplicitDeny']);

/** Whether the outcome is an exception that no decision word names (not Success, not AccessDeniedException). */
function failedOtherwise(result: EvaluationResult): boolean {
  return result.outcome !== 'Success' && result.outcome !== 'AccessDeniedException';
}

/** What the request answered, for people: `Allow`, `ImplicitDeny (AccessDeniedException)`, `NotFoundException`. */
export function answeredWords(result: EvaluationResult): string {
  if (result.outcome === 'Success') return result.decision;
  if (result.outcome === 'AccessDeniedException') return `${result.decision} (AccessDeniedException)`;
  return result.outcome;
}

/**
 * The mismatch of a request whose `expect` failed, without a final period, e.g.
 * `expected ImplicitDeny, but the request answered MalformedPolicyDocumentException: AWS would refuse the key
 * policy of arn:…, so the request is not evaluated; to expect this, "expect" must name the exception
 * ("expect": "MalformedPolicyDocumentException")`.
 */
export function expectationMismatch(result: EvaluationResult): string {
  const expected = result.expect ?? '';
  const answered = answeredWords(result);
  if (!failedOtherwise(result) || !DECISION_WORDS.has(expected))
    return `expected ${expected}, but the request answered ${answered}`;
  const refused = result.rejectedPolicies?.[0];
  const why = refused
    ? result.decision === 'Allow'
      ? `: the call is authorized, but AWS refuses ${refused.label}`
      : `: AWS would refuse ${refused.label}, so the request is not evaluated`
    : result.decision === 'Allow'
      ? ': the call is authorized, but fails'
      : '';
  return `expected ${expected}, but the request answered ${answered}${why}; to expect this, "expect" must name the exception ("expect": "${result.outcome}")`;
}
