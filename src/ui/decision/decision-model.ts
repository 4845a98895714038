/**
 * Pure helpers for the decision panel: words for decisions and paths, statements grouped by policy layer,
 * and element and condition comparisons formatted for people. No React.
 */
import type {
  AllowPath,
  ConditionMatch,
  Decision,
  ElementMatch,
  EvaluationResult,
  PolicyLayer,
  StatementMatch,
  StatementRef,
} from '../../engine/types';

/** Layers in the order a learner reads them: the key first, then the caller's IAM, then the guardrails. */
export const LAYER_ORDER: readonly PolicyLayer[] = [
  'key',
  'identity',
  'boundary',
  'session',
  'scp',
  'rcp',
  'endpoint',
];

export const LAYER_TITLES: Record<PolicyLayer, string> = {
  key: 'Key policy',
  identity: 'Identity policies',
  boundary: 'Permissions boundary',
  session: 'Session policy',
  scp: 'Service control policies (SCPs)',
  rcp: 'Resource control policies (RCPs)',
  endpoint: 'VPC endpoint policy',
};

/** A short gloss after the decision word itself, which always shows as the engine spells it. */
export const DECISION_GLOSS: Record<Decision, string> = {
  Allow: 'the request is authorized',
  ExplicitDeny: 'a Deny statement matched',
  ImplicitDeny: 'nothing allowed it',
};

/**
 * The gloss of one result: DECISION_GLOSS, unless the request was not decided by policies. A request that met a
 * policy AWS would refuse was never evaluated (rejected-policies.ts), so "nothing allowed it" would be untrue:
 * the gloss names the policy and the exception. A request that failed for another reason (an unknown key)
 * says so; an authorized call that still fails keeps "the request is authorized" and the outcome line says why.
 */
export function decisionGloss(result: EvaluationResult): string {
  const refused = result.rejectedPolicies?.[0];
  if (refused) {
    return result.decision === 'Allow'
      ? `the request is authorized, but AWS refuses ${refused.label}: ${result.outcome}`
      : `not evaluated: AWS refuses ${refused.label} (${result.outcome})`;
  }
  if (
    result.decision === 'ImplicitDeny' &&
    result.outcome !== 'AccessDeniedException' &&
    result.outcome !== 'Success'
  )
    return `the call fails with ${result.outcome}`;
  return DECISION_GLOSS[result.decision];
}

export const DECISION_SYMBOL: Record<Decision, string> = {
  Allow: '✓',
  ExplicitDeny: '✕',
  ImplicitDeny: '○',
};

export const ALLOW_PATH_TEXT: Record<AllowPath, string> = {
  'key-policy': 'the key policy alone (it names the caller)',
  'key-policy+iam': 'the key policy together with IAM policies',
  grant: 'a grant',
  'retire-grant': 'the RetireGrant rules (a principal the grant names, or the grant’s account)',
  'iam-only': 'IAM policies (an IAM-only action)',
};

export function sameStatement(
  a: StatementRef | null | undefined,
  b: StatementRef | null | undefined,
): boolean {
  return !!a && !!b && a.policyId === b.policyId && a.index === b.index;
}

export const statementKey = (ref: StatementRef): string => `${ref.policyId}#${ref.index}`;

/** "Denied by": the layer, and the statement when one denied explicitly. */
export function deniedByText(result: EvaluationResult): string | null {
  if (!result.deniedBy) return null;
  const layer = LAYER_TITLES[result.deniedBy.layer];
  return result.deniedBy.statement
    ? `${result.deniedBy.statement.label} (${layer})`
    : `${layer}: no statement allows`;
}

export function allowedByText(result: EvaluationResult): string | null {
  return result.allowedBy ? ALLOW_PATH_TEXT[result.allowedBy] : null;
}

export type StatementStatus = 'deciding' | 'applies' | 'no-match';

export function statementStatus(match: StatementMatch, result: EvaluationResult): StatementStatus {
  if (result.deciding.some((ref) => sameStatement(ref, match.ref))) return 'deciding';
  return match.applies ? 'applies' : 'no-match';
}

export interface LayerGroup {
  layer: PolicyLayer;
  title: string;
  statements: StatementMatch[];
}

/** Every statement considered, grouped by layer in LAYER_ORDER; within a layer, by policy then index. */
export function groupByLayer(statements: readonly StatementMatch[]): LayerGroup[] {
  return LAYER_ORDER.map((layer) => ({
    layer,
    title: LAYER_TITLES[layer],
    statements: statements
      .filter((s) => s.ref.layer === layer)
      .sort((a, b) =>
        a.ref.policyId === b.ref.policyId
          ? a.ref.index - b.ref.index
          : a.ref.policyId < b.ref.policyId
            ? -1
            : 1,
      ),
  })).filter((group) => group.statements.length > 0);
}

/** The engine's own StatementMatch for a deciding ref, when it reported one. */
export function findMatch(result: EvaluationResult, ref: StatementRef): StatementMatch | undefined {
  return result.statements.find((s) => sameStatement(s.ref, ref));
}

/** Values as a list for people: `"a", "b"`; `absent` for a key missing from the request context. */
export function formatValues(values: readonly (string | null)[] | null): string {
  if (values === null) return 'absent';
  if (values.length === 0) return 'empty (no values)';
  return values.map((v) => (v === null ? 'unresolved variable' : `"${v}"`)).join(', ');
}

export interface ComparisonRow {
  /** What was compared: `Action`, `NotResource`, or `StringEquals kms:EncryptionContext:dept`. */
  subject: string;
  matched: boolean;
  policy: string;
  request: string;
  reason: string;
}

export function describeElement(match: ElementMatch): ComparisonRow {
  return {
    subject: match.element,
    matched: match.matched,
    policy: formatValues(match.policyValues) + (match.matchedBy ? ` (matched by "${match.matchedBy}")` : ''),
    request: formatValues([match.requestValue]),
    reason: match.reason,
  };
}

export function describeCondition(match: ConditionMatch): ComparisonRow {
  return {
    subject: `${match.operator} ${match.key}`,
    matched: match.matched,
    policy: formatValues(match.policyValues),
    request: formatValues(match.requestValues),
    reason: match.reason,
  };
}

/**
 * Every comparison of a statement, in the order a person checks them: action, principal, resource, then
 * each condition. A statement without a Resource element says so (KPO: in a key policy it has no effect).
 */
export function comparisons(match: StatementMatch): ComparisonRow[] {
  const rows: ComparisonRow[] = [describeElement(match.action)];
  if (match.principal) rows.push(describeElement(match.principal));
  if (match.resource) rows.push(describeElement(match.resource));
  else if (match.ref.layer === 'key')
    rows.push({
      subject: 'Resource',
      matched: false,
      policy: 'none',
      request: '',
      reason: 'A key-policy statement without a Resource element has no effect',
    });
  return rows.concat(match.conditions.map(describeCondition));
}

/** The first comparison that failed, as a short "why not" line, or null when everything matched. */
export function whyNotMatched(match: StatementMatch): string | null {
  if (match.applies) return null;
  const failed = comparisons(match).find((row) => !row.matched);
  return failed ? `${failed.subject} does not match: ${failed.reason}` : match.summary;
}

/**
 * Separators of a signature, one per level (statement parts, fields, values), and markers for an absent key
 * and an unresolved variable: control characters that no policy or request text the engine reports contains,
 * so two cards that draw differently cannot share a signature.
 */
const PART = '\u001e';
const FIELD = '\u001f';
const VALUE = '\u001d';
const ABSENT = '\u0001';
const UNRESOLVED = '\u0000';

const valuesSignature = (values: readonly (string | null)[] | null): string =>
  values === null ? ABSENT : values.map((v) => (v === null ? UNRESOLVED : v)).join(VALUE);

const elementSignature = (match: ElementMatch | null): string =>
  match
    ? [
        match.element,
        match.matched,
        match.requestValue,
        valuesSignature(match.policyValues),
        match.matchedBy ?? '',
        match.reason,
      ].join(FIELD)
    : '-';

const conditionSignature = (match: ConditionMatch): string =>
  [
    match.operator,
    match.key,
    match.matched,
    valuesSignature(match.policyValues),
    valuesSignature(match.requestValues),
    match.reason,
  ].join(FIELD);

/**
 * Everything a statement card draws, as one string: equal signatures mean an equal card, so a memoized card
 * skips its redraw. Results come from a Web Worker as fresh objects on every evaluation, so object identity
 * says nothing; source ranges are left out (they move while typing and the card does not draw them).
 */
export function statementSignature(match: StatementMatch): string {
  const { ref } = match;
  return [
    ref.policyId,
    ref.layer,
    ref.index,
    ref.effect,
    ref.label,
    match.applies,
    match.summary,
    elementSignature(match.action),
    elementSignature(match.principal),
    elementSignature(match.resource),
    ...match.conditions.map(conditionSignature),
  ].join(PART);
}

/** The signature of a deciding statement the engine reported no comparisons for: its card draws the ref only. */
export const unreportedSignature = (ref: StatementRef): string => [ABSENT, ref.effect, ref.label].join(PART);

const signaturesByResult = new WeakMap<EvaluationResult, Map<string, string>>();

/** The signature of every statement of a result by statementKey, computed once per result. */
export function statementSignatures(result: EvaluationResult): Map<string, string> {
  let signatures = signaturesByResult.get(result);
  if (!signatures) {
    signatures = new Map(
      result.statements.map((match) => [statementKey(match.ref), statementSignature(match)]),
    );
    signaturesByResult.set(result, signatures);
  }
  return signatures;
}

/**
 * What the polite live region says for a result: the request and its verdict, not the explanation, so an edit
 * that keeps the verdict leaves the text (and so the screen reader) alone, and a new verdict is said once.
 */
export function verdictAnnouncement(result: EvaluationResult | null): string {
  if (!result) return '';
  const outcome = result.outcome === 'Success' ? '' : `, ${result.outcome}`;
  return `Decision for ${result.id}: ${result.decision} (${decisionGloss(result)})${outcome}.`;
}
