/** Learn-more pages for findings (the source pages of kms-authorization.md §0). */
const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';
const KMS = 'https://docs.aws.amazon.com/kms/latest/developerguide/';

/** IAM Access Analyzer policy check reference, with the anchor AWS gives a check ("Error – Missing principal"). */
export function accessAnalyzerCheck(heading: string): string {
  const slug = heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${IAM}access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-${slug}`;
}

export const LINKS = {
  grammar: `${IAM}reference_policies_grammar.html`,
  version: `${IAM}reference_policies_elements_version.html`,
  sid: `${IAM}reference_policies_elements_sid.html`,
  action: `${IAM}reference_policies_elements_action.html`,
  resource: `${IAM}reference_policies_elements_resource.html`,
  principal: `${IAM}reference_policies_elements_principal.html`, // IAM-PR
  notPrincipal: `${IAM}reference_policies_elements_notprincipal.html`, // IAM-NP
  variables: `${IAM}reference_policies_variables.html`, // IAM-VAR
  operators: `${IAM}reference_policies_elements_condition_operators.html`, // IAM-OPS
  multiValued: `${IAM}reference_policies_condition-single-vs-multi-valued-context-keys.html`, // IAM-MULTI
  globalKeys: `${IAM}reference_policies_condition-keys.html`,
  iamQuotas: `${IAM}reference_iam-quotas.html`,
  arns: `${IAM}reference-arns.html`,
  orgQuotas: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html',
  rcpSyntax:
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html',
  endpointPolicies: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
  keyPolicyOverview: `${KMS}key-policy-overview.html`, // KPO
  keyPolicyDefault: `${KMS}key-policy-default.html`, // DEF
  kmsConditionKeys: `${KMS}conditions-kms.html`, // CK
  kmsPermissions: `${KMS}kms-api-permissions-reference.html`, // PERM
  kmsBestPractices: `${KMS}iam-policies-best-practices.html`, // BP
  putKeyPolicy: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html',
} as const;
