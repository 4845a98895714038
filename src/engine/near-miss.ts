/**
 * The closest miss of a denied request: the Allow statement that came nearest to allowing it, so the deny
 * explanation can point at it ("… would allow kms:Decrypt, but kms:EncryptionContext:Dept was "Sales", not
 * "Payroll"") instead of at a layer that was never meant to allow the caller. Pure; reads traced evaluations.
 */
import type { ConditionMatch, ElementMatch } from './types';
import { newConditionScratch, testCondition } from './conditions';
import type { StatementEvaluation, StatementRequest } from './compile';

export interface NearMiss {
  evaluation: StatementEvaluation;
  /** How many parts failed: the Principal, the Resource, and each condition that does not hold. */
  failing: number;
  /** The Principal matched the caller (an identity policy's statements are the caller's own). */
  namesCaller: boolean;
  /** The one failing part in words, with the values compared; only when exactly one part failed. */
  why?: string;
}

/**
 * The closest of the Allow statements whose Action matched but that did not apply, candidates in reading
 * order (key policy first). Closest means: (1) the fewest failing parts; (2) on a tie, one whose Principal
 * matched the caller beats one that matched only the action; (3) then one that names the caller, its role or
 * "*" beats one that names only its account (it would allow by itself, DEF/CTL); (4) then the first.
 * Statements with a defect (no Resource in a key policy, …) are left out: their defect is the explanation.
 */
export function closestMiss(
  candidates: readonly StatementEvaluation[],
  request: StatementRequest,
): NearMiss | undefined {
  let best: NearMiss | undefined;
  for (const evaluation of candidates) {
    const match = evaluation.match;
    if (evaluation.applies || evaluation.ref.effect !== 'Allow' || evaluation.statement.defect) continue;
    if (!match?.action.matched) continue;
    const principalFails = match.principal ? !match.principal.matched : evaluation.ref.layer === 'key';
    const resourceFails = !match.resource?.matched;
    const failing = Number(principalFails) + Number(resourceFails) + failedConditions(evaluation, request);
    const miss: NearMiss = { evaluation, failing, namesCaller: !principalFails };
    if (!best || closer(miss, best)) best = miss;
  }
  if (best?.failing === 1) best.why = onePartWords(best.evaluation, request.resource);
  return best;
}

function closer(a: NearMiss, b: NearMiss): boolean {
  if (a.failing !== b.failing) return a.failing < b.failing;
  if (a.namesCaller !== b.namesCaller) return a.namesCaller;
  const accountOnly = (m: NearMiss) => m.evaluation.principalKind === 'account';
  return accountOnly(b) && !accountOnly(a);
}

/**
 * Conditions that do not hold. The trace has their records only when the elements matched (AWS stops there,
 * IAM-EVAL); otherwise they are tested here, so a statement failing on its Resource and a condition counts two.
 */
function failedConditions(evaluation: StatementEvaluation, request: StatementRequest): number {
  const conditions = evaluation.statement.conditions;
  const records = evaluation.match?.conditions ?? [];
  if (records.length === conditions.length) return records.filter((c) => !c.matched).length;
  const probe = newConditionScratch();
  return conditions.filter((c) => !testCondition(c, request.context, probe)).length;
}

const quoted = (values: readonly (string | null)[]): string => values.map((v) => `"${v}"`).join(' or ');

/** Operators that compare for equality (with IfExists or a set prefix): "was X, not Y" says it. IAM-OPS. */
const EQUALITY =
  /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|NumericEquals|DateEquals|Bool)(IfExists)?$/;

function onePartWords(evaluation: StatementEvaluation, resource: string): string {
  const match = evaluation.match!;
  if (match.principal && !match.principal.matched) return principalMissWords(match.principal);
  if (!match.resource?.matched) return resourceWords(match.resource, resource);
  return conditionWords(match.conditions.find((c) => !c.matched)!);
}

function principalMissWords(principal: ElementMatch): string {
  return `its ${principal.element} ${principal.element === 'Principal' ? `names ${quoted(principal.policyValues)}` : 'lists every identity of the caller'}, not ${principal.requestValue}`;
}

function resourceWords(element: ElementMatch | null, resource: string): string {
  if (!element) return 'it has no Resource element';
  return element.element === 'Resource'
    ? `its Resource is ${quoted(element.policyValues)}, not ${resource}`
    : `its NotResource excludes ${resource}`;
}

function conditionWords(condition: ConditionMatch): string {
  const { key, operator, requestValues, policyValues } = condition;
  if (policyValues.includes(null))
    return `its condition ${operator} ${key} does not hold: ${condition.reason}`;
  if (requestValues === null) return `the request has no ${key} (${operator} needs ${quoted(policyValues)})`;
  const was = requestValues.length > 0 ? quoted(requestValues) : 'empty';
  return EQUALITY.test(operator) && !operator.startsWith('ForAllValues:')
    ? `${key} was ${was}, not ${quoted(policyValues)}`
    : `${key} was ${was}, which does not satisfy ${operator} ${quoted(policyValues)}`;
}
