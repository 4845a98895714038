/**
 * The AWS pages behind the engine's source tags, such as "(CTL)" or "(GR)": the engine's text names its source
 * by a short tag (kms-authorization.md, "Page abbreviations"); the UI shows the page it stands for.
 */
const AWS_KMS_GUIDE = 'https://docs.aws.amazon.com/kms/latest/developerguide/';
const AWS_IAM_GUIDE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';

export interface SourcePage {
  tag: string;
  title: string;
  url: string;
}

/** The AWS pages behind the engine's source tags (kms-authorization.md, "Page abbreviations"). */
export const SOURCE_PAGES: Record<string, SourcePage> = Object.fromEntries(
  (
    [
      ['CTL', 'KMS key access and permissions', `${AWS_KMS_GUIDE}control-access.html`],
      ['KP', 'Key policies in AWS KMS', `${AWS_KMS_GUIDE}key-policies.html`],
      ['KPO', 'Key policy overview', `${AWS_KMS_GUIDE}key-policy-overview.html`],
      ['DEF', 'Default key policy', `${AWS_KMS_GUIDE}key-policy-default.html`],
      ['DET', 'Determining access to KMS keys', `${AWS_KMS_GUIDE}determining-access.html`],
      ['TRB', 'Troubleshooting key access', `${AWS_KMS_GUIDE}policy-evaluation.html`],
      [
        'XA',
        'Allowing users in other accounts to use a KMS key',
        `${AWS_KMS_GUIDE}key-policy-modifying-external-accounts.html`,
      ],
      ['GR', 'Grants in AWS KMS', `${AWS_KMS_GUIDE}grants.html`],
      ['GC', 'Grant concepts', `${AWS_KMS_GUIDE}create-grant-overview.html`],
      ['GM', 'Managing grants', `${AWS_KMS_GUIDE}grant-manage.html`],
      ['CK', 'AWS KMS condition keys', `${AWS_KMS_GUIDE}conditions-kms.html`],
      ['CA', 'AWS global condition keys', `${AWS_KMS_GUIDE}conditions-aws.html`],
      ['KS', 'Key states of AWS KMS keys', `${AWS_KMS_GUIDE}key-state.html`],
      ['VPCE', 'Connecting to AWS KMS through a VPC endpoint', `${AWS_KMS_GUIDE}kms-vpc-endpoint.html`],
      ['AL', 'Controlling access to aliases', `${AWS_KMS_GUIDE}alias-access.html`],
      ['BP', 'Best practices for IAM policies', `${AWS_KMS_GUIDE}iam-policies-best-practices.html`],
      ['RCPK', 'Resource control policies in AWS KMS', `${AWS_KMS_GUIDE}resource-control-policies.html`],
      ['PERM', 'AWS KMS permissions reference', `${AWS_KMS_GUIDE}kms-api-permissions-reference.html`],
      ['DRY', 'Testing your permissions', `${AWS_KMS_GUIDE}testing-permissions.html`],
      ['IAM-EVAL', 'IAM policy evaluation logic', `${AWS_IAM_GUIDE}reference_policies_evaluation-logic.html`],
      [
        'IAM-X',
        'Cross-account policy evaluation logic',
        `${AWS_IAM_GUIDE}reference_policies_evaluation-logic-cross-account.html`,
      ],
      [
        'IAM-OPS',
        'IAM condition operators',
        `${AWS_IAM_GUIDE}reference_policies_elements_condition_operators.html`,
      ],
      ['IAM-VAR', 'IAM policy variables', `${AWS_IAM_GUIDE}reference_policies_variables.html`],
      ['IAM-PR', 'IAM Principal element', `${AWS_IAM_GUIDE}reference_policies_elements_principal.html`],
      ['IAM-NP', 'IAM NotPrincipal element', `${AWS_IAM_GUIDE}reference_policies_elements_notprincipal.html`],
      [
        'IAM-PB',
        'Permissions boundaries for IAM entities',
        `${AWS_IAM_GUIDE}access_policies_boundaries.html`,
      ],
    ] as const
  ).map(([tag, title, url]) => [tag, { tag, title, url }]),
);

const TAGS = Object.keys(SOURCE_PAGES).join('|');
const SOURCE_TAG = new RegExp(`\\((${TAGS})\\)`, 'g');
const SOURCE_TAG_WITH_SPACE = new RegExp(`\\s*\\((?:${TAGS})\\)`, 'g');

/** Engine text cut at its source tags like "(CTL)": plain strings, and the page each tag names. */
export function withSourcePages(text: string): (string | SourcePage)[] {
  const parts: (string | SourcePage)[] = [];
  let last = 0;
  for (const found of text.matchAll(SOURCE_TAG)) {
    if (found.index > last) parts.push(text.slice(last, found.index));
    parts.push(SOURCE_PAGES[found[1]]);
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * Engine text without its source tags, for places too small for a link (a flowchart node); the decision
 * panel shows the same rules with their pages linked.
 */
export function withoutSourceTags(text: string): string {
  return text.replace(SOURCE_TAG_WITH_SPACE, '');
}
