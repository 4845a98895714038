/**
 * Every finding code the linter emits, with its usual type and learn-more page. Codes follow IAM Access
 * Analyzer's issue codes where AA has the same check (AA: access-analyzer-reference-policy-checks.html); the
 * KMS-specific ones are the lab's own. The UI can list them; tests assert them.
 */
import type { FindingType } from '../types';
import { LINKS, accessAnalyzerCheck as aa } from './links';

export interface FindingCodeInfo {
  type: FindingType;
  learnMoreLink: string;
  /** A few words for people. */
  title: string;
}

function code(type: FindingType, title: string, learnMoreLink: string): FindingCodeInfo {
  return { type, title, learnMoreLink };
}

export const FINDING_CODES = {
  // Document structure (IAM grammar; AA errors)
  JSON_SYNTAX_ERROR: code('ERROR', 'JSON syntax error', aa('Error – Json syntax error')),
  // The lab's own limit (json-depth.ts): valid JSON, but far deeper than any policy IAM accepts.
  JSON_NESTED_TOO_DEEP: code('ERROR', 'Nested too deeply', LINKS.grammar),
  DATA_TYPE_MISMATCH: code('ERROR', 'Wrong JSON type', aa('Error – Data type mismatch')),
  DUPLICATE_ELEMENT: code('WARNING', 'Element written twice', LINKS.grammar),
  UNSUPPORTED_ELEMENT_COMBINATION: code(
    'ERROR',
    'Conflicting elements',
    aa('Error – Unsupported element combination'),
  ),
  MISSING_STATEMENT: code('ERROR', 'No statement', aa('Error – Missing statement')),
  INVALID_POLICY_ELEMENT: code('ERROR', 'Unknown or misplaced element', aa('Error – Invalid policy element')),
  MISSING_VERSION: code('SUGGESTION', 'No Version', LINKS.version),
  INVALID_VERSION: code('ERROR', 'Unknown Version', aa('Error – Invalid version')),
  POLICY_VARIABLES_WITHOUT_VERSION: code(
    'WARNING',
    'Policy variables need Version 2012-10-17',
    LINKS.variables,
  ),
  MISSING_EFFECT: code('ERROR', 'No Effect', aa('Error – Missing effect')),
  INVALID_EFFECT: code('ERROR', 'Effect is not Allow or Deny', aa('Error – Invalid effect')),
  MISSING_ACTION: code('ERROR', 'No Action', aa('Error – Missing action')),
  MISSING_RESOURCE: code('ERROR', 'No Resource', aa('Error – Missing resource')),
  MISSING_PRINCIPAL: code('ERROR', 'No Principal', aa('Error – Missing principal')),
  UNSUPPORTED_PRINCIPAL: code(
    'ERROR',
    'Principal not allowed in this policy type',
    aa('Error – Unsupported principal'),
  ),
  INVALID_SID: code('ERROR', 'Sid with characters IAM rejects', aa('Error – Unsupported Sid')),
  DUPLICATE_SID: code('ERROR', 'Sid used twice', aa('Error – Unique Sids required')),
  POLICY_SIZE_EXCEEDED: code('ERROR', 'Policy too large', LINKS.iamQuotas),
  RCP_ALLOW_NOT_SUPPORTED: code('ERROR', 'Allow in an RCP', LINKS.rcpSyntax),
  // Actions
  INVALID_ACTION: code('ERROR', 'Unknown action', aa('Error – Invalid action')),
  INVALID_SERVICE_IN_ACTION: code('ERROR', 'Unknown service prefix', aa('Error – Invalid service in action')),
  ACTION_MATCHES_NOTHING: code('ERROR', 'Wildcard matches no action', LINKS.action),
  NON_KMS_ACTION: code('SUGGESTION', 'Not a KMS action', LINKS.kmsPermissions),
  IAM_ONLY_ACTION_IN_KEY_POLICY: code('WARNING', 'IAM-only action in a key policy', LINKS.kmsPermissions),
  // Resources and ARNs
  INVALID_ARN: code('ERROR', 'Malformed ARN', LINKS.arns),
  INVALID_ARN_ACCOUNT: code('ERROR', 'Bad account in ARN', aa('Error – Invalid ARN account')),
  MISSING_ARN_REGION: code('ERROR', 'No Region in a KMS ARN', aa('Error – Missing ARN Region')),
  INVALID_ARN_RESOURCE: code('ERROR', 'Bad resource part in a KMS ARN', aa('Error – Invalid ARN resource')),
  KEY_POLICY_RESOURCE_NOT_STAR: code('WARNING', 'Key-policy Resource is not "*"', LINKS.keyPolicyOverview),
  // Principals
  INVALID_PRINCIPAL_FORMAT: code('ERROR', 'Malformed principal', aa('Error – Invalid principal format')),
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: code(
    'ERROR',
    'Wildcard inside a principal ARN',
    aa('Error – Unsupported wildcard in principal'),
  ),
  INVALID_PRINCIPAL_KEY: code('ERROR', 'Unknown principal type', aa('Error – Invalid principal key')),
  INVALID_SERVICE_PRINCIPAL_FORMAT: code(
    'ERROR',
    'Malformed service principal',
    aa('Error – Invalid service principal format'),
  ),
  ALLOW_WITH_NOT_PRINCIPAL: code('SECURITY_WARNING', 'Allow with NotPrincipal', LINKS.notPrincipal),
  NOT_PRINCIPAL_WITHOUT_ACCOUNT: code(
    'WARNING',
    'Deny with NotPrincipal forgets the account',
    LINKS.notPrincipal,
  ),
  PRINCIPAL_WILDCARD_WITHOUT_CONDITION: code(
    'SECURITY_WARNING',
    'Principal "*" without a limiting condition',
    LINKS.keyPolicyOverview,
  ),
  KMS_STAR_TO_NON_ADMIN: code(
    'SECURITY_WARNING',
    'kms:* to a principal that is not an administrator',
    LINKS.keyPolicyDefault,
  ),
  LOCKOUT_RISK: code('ERROR', 'Nobody could change the key policy', LINKS.putKeyPolicy),
  // Conditions
  INVALID_CONDITION_OPERATOR: code(
    'ERROR',
    'Unknown condition operator',
    aa('Error – Invalid condition operator'),
  ),
  NULL_WITH_IF_EXISTS: code('ERROR', 'NullIfExists', aa('Error – Null with if exists')),
  NULL_WITH_SET_OPERATOR: code('WARNING', 'A set operator on Null', LINKS.operators),
  OPERATOR_CASE: code('SUGGESTION', 'Operator not in its usual spelling', LINKS.operators),
  INVALID_CONDITION_KEY_FORMAT: code(
    'ERROR',
    'Malformed condition key',
    aa('Error – Invalid condition key format'),
  ),
  INVALID_GLOBAL_CONDITION_KEY: code(
    'ERROR',
    'Unknown aws: condition key',
    aa('Error – Invalid global condition key'),
  ),
  INVALID_SERVICE_CONDITION_KEY: code(
    'ERROR',
    'Unknown kms: condition key',
    aa('Error – Invalid service condition key'),
  ),
  CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS: code(
    'WARNING',
    'Key never present for these actions',
    LINKS.kmsConditionKeys,
  ),
  CONDITION_TYPE_MISMATCH: code('WARNING', 'Operator does not fit the key type', LINKS.operators),
  CONDITION_VALUE_TYPE_MISMATCH: code('WARNING', 'Value does not fit the operator', LINKS.operators),
  INVALID_VARIABLE_FOR_OPERATOR: code(
    'ERROR',
    'Policy variable where none is allowed',
    aa('Error – Invalid variable for operator'),
  ),
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: code(
    'SECURITY_WARNING',
    'ForAllValues on a single-valued key',
    LINKS.multiValued,
  ),
  FORANYVALUE_WITH_SINGLE_VALUED_KEY: code(
    'WARNING',
    'ForAnyValue on a single-valued key',
    LINKS.multiValued,
  ),
  MULTI_VALUED_KEY_WITHOUT_SET_OPERATOR: code(
    'WARNING',
    'Multi-valued key without ForAnyValue/ForAllValues',
    LINKS.multiValued,
  ),
  LINT_FAILED: code('WARNING', 'The linter hit a bug; the other findings may be incomplete', LINKS.grammar),
  KMS_REJECTS_FORALLVALUES: code(
    'ERROR',
    'KMS rejects ForAllValues on this key (OverlyPermissiveCondition)',
    LINKS.kmsConditionKeys,
  ),
} as const satisfies Record<string, FindingCodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;
