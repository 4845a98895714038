/**
 * The findings of the "AWS rejects this" kind: a policy with one of them could never be stored (PutKeyPolicy and
 * CreateKey fail with MalformedPolicyDocumentException, IAM and Organizations refuse it too), so it can never be
 * in effect. The evaluator does not evaluate such a policy: a request that meets it is answered with an error
 * naming the policy and the problem (issue 8). Every entry names the AWS page that says AWS refuses it; the
 * other findings describe policies AWS accepts (they may do nothing, or too much, but they are in effect).
 * docs/engine.md lists the same table ("Policies AWS would reject").
 */
import type { Finding, PolicyType } from '../types';
import type { FindingCode } from './codes';

export interface Rejection {
  /** The policy types AWS refuses it in; undefined: every type the linter reports it for. */
  types?: readonly PolicyType[];
  /** The AWS page (or tag of kms-authorization.md §0) that says so. */
  source: string;
}

const GRAMMAR = 'IAM-GRAMMAR (reference_policies_grammar.html)';
const IAM_POLICIES: readonly PolicyType[] = ['identity', 'boundary', 'session'];

export const REJECTED_BY_AWS: Readonly<Partial<Record<FindingCode, Rejection>>> = {
  JSON_SYNTAX_ERROR: { source: `${GRAMMAR}: a policy is a JSON document` },
  DATA_TYPE_MISMATCH: {
    source: `${GRAMMAR}: Condition is a map of operators to maps of keys to values; Effect, Sid and Version are strings`,
  },
  UNSUPPORTED_ELEMENT_COMBINATION: {
    source: `${GRAMMAR}: ("Action" | "NotAction"), ("Resource" | "NotResource")`,
  },
  MISSING_STATEMENT: { source: `${GRAMMAR}: <statement_block> is required` },
  INVALID_POLICY_ELEMENT: { source: `${GRAMMAR}: a statement holds only the listed blocks` },
  INVALID_VERSION: { source: `${GRAMMAR}: "Version" : ("2008-10-17" | "2012-10-17")` },
  MISSING_EFFECT: { source: `${GRAMMAR}: <effect_block> is required` },
  INVALID_EFFECT: { source: `${GRAMMAR}: "Effect" : ("Allow" | "Deny")` },
  MISSING_ACTION: {
    types: IAM_POLICIES,
    source: `${GRAMMAR}: <action_block> is required (a key policy without it is accepted and has no effect: PutKeyPolicy API, Policy)`,
  },
  MISSING_RESOURCE: {
    types: IAM_POLICIES,
    source: `${GRAMMAR}: <resource_block> is required (a key policy without it is accepted and has no effect: PutKeyPolicy API, Policy)`,
  },
  MISSING_PRINCIPAL: {
    types: ['key'],
    source:
      'PutKeyPolicy API, Policy: "Each statement in the key policy must contain one or more principals"',
  },
  UNSUPPORTED_PRINCIPAL: {
    types: IAM_POLICIES,
    source: `${GRAMMAR} notes: the principal_block "must not be included in identity-based policies"`,
  },
  INVALID_PRINCIPAL_KEY: { source: `${GRAMMAR}: ("AWS" | "Federated" | "Service" | "CanonicalUser")` },
  INVALID_PRINCIPAL_FORMAT: {
    types: ['key'],
    source: 'PutKeyPolicy API, Policy: the principals "must exist and be visible to KMS"',
  },
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: {
    source: `${GRAMMAR} notes: "*" only for everyone (anonymous), never part of a name or ARN (IAM-PR)`,
  },
  INVALID_SID: { types: IAM_POLICIES, source: 'IAM Sid element page: ASCII letters and digits only' },
  DUPLICATE_SID: {
    types: IAM_POLICIES,
    source: 'IAM Sid element page: "the Sid value must be unique within a JSON policy"',
  },
  POLICY_SIZE_EXCEEDED: { source: 'KPO (32 KB), IAM quotas page, Organizations quotas, PrivateLink quotas' },
  RCP_ALLOW_NOT_SUPPORTED: {
    types: ['rcp'],
    source: 'RCP syntax page: Allow is supported only in RCPFullAWSAccess',
  },
  INVALID_CONDITION_OPERATOR: {
    source: `${GRAMMAR}: condition_type_string is one of IAM-OPS; kms-authorization.md §7.4`,
  },
  NULL_WITH_IF_EXISTS: { source: 'IAM-OPS: ...IfExists cannot be added to Null' },
  KMS_REJECTS_FORALLVALUES: {
    types: ['key'],
    source:
      'CK: KMS rejects ForAllValues with kms:EncryptionContext:* or aws:RequestTag/* (OverlyPermissiveCondition)',
  },
};

/** True when this finding means AWS would refuse to store a policy of this type. Only errors can be. */
export function isRejectedByAws(finding: Pick<Finding, 'code' | 'type'>, type: PolicyType): boolean {
  if (finding.type !== 'ERROR') return false;
  const rejection = REJECTED_BY_AWS[finding.code as FindingCode];
  return rejection !== undefined && (rejection.types === undefined || rejection.types.includes(type));
}

/** The findings of a policy that AWS would refuse it for, in document order. */
export function rejectionsOf(findings: readonly Finding[], type: PolicyType): Finding[] {
  return findings.filter((finding) => isRejectedByAws(finding, type));
}

/**
 * Findings about a name the lab does not know and therefore reads past (a misspelt condition key never
 * matches; an unknown action matches nothing). AWS accepts the policy, so these are warnings to show
 * wherever the policy is used (`lab eval`), not rejections.
 */
export const UNKNOWN_NAME_CODES: ReadonlySet<string> = new Set<FindingCode>([
  'INVALID_GLOBAL_CONDITION_KEY',
  'INVALID_SERVICE_CONDITION_KEY',
  'INVALID_CONDITION_KEY_FORMAT',
  'INVALID_ACTION',
  'INVALID_SERVICE_IN_ACTION',
]);
