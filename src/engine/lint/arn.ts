/**
 * ARN and principal-identifier checks for the linter. ARN format: arn:partition:service:region:account:resource
 * (IAM "ARN" reference page; KMS key and alias ARNs per kms-authorization.md §8).
 */
import { memoizeByString } from '../data/memo';

export type ArnProblemCode =
  'INVALID_ARN' | 'INVALID_ARN_ACCOUNT' | 'MISSING_ARN_REGION' | 'INVALID_ARN_RESOURCE';

export interface ArnProblem {
  code: ArnProblemCode;
  message: string;
}

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

const PARTITION = /^(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)$/;
const hasWildcard = (text: string) => /[*?]/.test(text);

/** Replaces `${...}` policy variables by `*` (they may stand for anything), so only the literal parts are checked. */
export function withoutVariables(value: string): string {
  return value.replace(/\$\{[^}]*\}/g, '*');
}

export function splitArn(value: string): ArnParts | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account, ...resource] = parts;
  return { partition, service, region, account, resource: resource.join(':') };
}

/**
 * Checks a Resource value or an Arn* condition value. `*` and `?` are allowed inside segments, but not in the
 * service segment (IAM-NR, kms-authorization §8). Cached: policies repeat the same ARNs.
 */
export const checkResourceArn: (raw: string) => ArnProblem | undefined = memoizeByString(resourceArnProblem);

function resourceArnProblem(raw: string): ArnProblem | undefined {
  const value = withoutVariables(raw);
  if (value === '*') return undefined;
  const parts = splitArn(value);
  if (!parts) {
    return {
      code: 'INVALID_ARN',
      message: `"${raw}" is not an ARN: write arn:partition:service:region:account:resource (for a KMS key, arn:aws:kms:<region>:<account>:key/<key-id>), or "*".`,
    };
  }
  if (!PARTITION.test(parts.partition) && !hasWildcard(parts.partition)) {
    return {
      code: 'INVALID_ARN',
      message: `"${parts.partition}" is not an AWS partition (aws, aws-cn, aws-us-gov…).`,
    };
  }
  if (parts.service === '' || hasWildcard(parts.service)) {
    return {
      code: 'INVALID_ARN',
      message: 'The service segment of an ARN must be written out; wildcards are not allowed there.',
    };
  }
  if (parts.service.toLowerCase() === 'kms') return checkKmsArnParts(raw, parts);
  if (parts.account !== '' && !hasWildcard(parts.account) && !/^\d{12}$/.test(parts.account)) {
    return { code: 'INVALID_ARN_ACCOUNT', message: `"${parts.account}" is not a 12-digit account ID.` };
  }
  return undefined;
}

function checkKmsArnParts(raw: string, parts: ArnParts): ArnProblem | undefined {
  if (parts.region === '') {
    return {
      code: 'MISSING_ARN_REGION',
      message: `KMS keys and aliases are Regional: "${raw}" needs a Region (e.g. us-east-1).`,
    };
  }
  if (!hasWildcard(parts.account) && !/^\d{12}$/.test(parts.account)) {
    return { code: 'INVALID_ARN_ACCOUNT', message: `"${parts.account}" is not a 12-digit account ID.` };
  }
  const resource = parts.resource;
  const keyOrAlias = /^(key|alias)\/./.test(resource);
  const wildcardOnly = /^[*?]/.test(resource); // "*", "*/..." cover both key and alias
  if (!keyOrAlias && !wildcardOnly) {
    const hint = /^[0-9a-f-]{36}$|^mrk-/.test(resource) ? ` Did you mean key/${resource}?` : '';
    return {
      code: 'INVALID_ARN_RESOURCE',
      message: `The resource part of a KMS ARN is key/<key-id> or alias/<alias-name>, not "${resource}".${hint}`,
    };
  }
  return undefined;
}

export type AwsPrincipalKind =
  'wildcard' | 'account' | 'root' | 'user' | 'role' | 'assumed-role' | 'federated-user' | 'unique-id';

export interface AwsPrincipalCheck {
  kind?: AwsPrincipalKind;
  /** The account the principal belongs to, when it names one. */
  account?: string;
  problem?: { code: 'INVALID_PRINCIPAL_FORMAT' | 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL'; message: string };
}

/**
 * Classifies an `"AWS"` principal value (IAM-PR): "*", an account ID, the account root, a user, a role, an
 * assumed-role session, a federated user, or the unique ID AWS shows for a deleted user or role. Cached:
 * several checks ask about the same principals, and policies repeat them (results are shared, read-only).
 */
export const checkAwsPrincipal: (value: string) => AwsPrincipalCheck = memoizeByString(classifyAwsPrincipal);

const invalidPrincipal = (message: string): AwsPrincipalCheck => ({
  problem: { code: 'INVALID_PRINCIPAL_FORMAT', message },
});

function classifyAwsPrincipal(value: string): AwsPrincipalCheck {
  if (value === '*') return { kind: 'wildcard' };
  if (/^\d{12}$/.test(value)) return { kind: 'account', account: value };
  // IAM-PR: a deleted user or role shows as its unique ID (AIDA…, AROA…) in a resource policy.
  if (/^A(IDA|ROA)[A-Z0-9]{12,}$/.test(value)) return { kind: 'unique-id' };
  const parts = splitArn(value);
  if (!parts)
    return invalidPrincipal(
      `"${value}" is not an AWS principal: use an account ID, an IAM user or role ARN, or "*".`,
    );
  if (hasWildcard(value)) {
    // IAM-PR: "*" is the only wildcard; partial wildcards in principal ARNs are not allowed.
    return {
      problem: {
        code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
        message: `Wildcards are not allowed inside a principal ARN ("${value}"); use "*" with an aws:PrincipalArn condition instead.`,
      },
    };
  }
  if (!PARTITION.test(parts.partition))
    return invalidPrincipal(`"${parts.partition}" is not an AWS partition.`);
  if (!/^\d{12}$/.test(parts.account))
    return invalidPrincipal(`"${parts.account}" is not a 12-digit account ID.`);
  if (parts.region !== '')
    return invalidPrincipal(`IAM and STS ARNs have no Region: remove "${parts.region}".`);
  const account = parts.account;
  if (parts.service === 'iam') {
    if (parts.resource === 'root') return { kind: 'root', account };
    if (/^user\/(.+\/)?[^/]+$/.test(parts.resource)) return { kind: 'user', account };
    if (/^role\/(.+\/)?[^/]+$/.test(parts.resource)) return { kind: 'role', account };
    if (parts.resource.startsWith('group/')) {
      // IAM-PR, kms-authorization §2: IAM groups are never valid principals.
      return invalidPrincipal(
        'IAM groups cannot be principals: name the users or roles, or grant the group through an IAM policy.',
      );
    }
    return invalidPrincipal(
      `"${parts.resource}" is not an IAM principal (root, user/<name> or role/<name>).`,
    );
  }
  if (parts.service === 'sts') {
    if (/^assumed-role\/[^/]+\/[^/]+$/.test(parts.resource)) return { kind: 'assumed-role', account };
    if (/^federated-user\/[^/]+$/.test(parts.resource)) return { kind: 'federated-user', account };
    return invalidPrincipal(
      `"${parts.resource}" is not an STS principal (assumed-role/<role>/<session> or federated-user/<name>).`,
    );
  }
  return invalidPrincipal(`Principals are IAM or STS ARNs; "${parts.service}" is neither.`);
}

/** `"Service"` principals are DNS-like names such as `logs.amazonaws.com` (IAM-PR). */
export function isServicePrincipal(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(value);
}
