/**
 * ARNs and principals: what kind of caller a principal string names (IAM-PR), and the ARN forms of KMS keys
 * and aliases (kms-authorization.md §8).
 */

export type PrincipalKind =
  | 'user' // arn:aws:iam::<acct>:user/<path>/<name>
  | 'role' // arn:aws:iam::<acct>:role/<path>/<name> (calling as the role itself)
  | 'assumed-role' // arn:aws:sts::<acct>:assumed-role/<role-name>/<session>
  | 'federated-user' // arn:aws:sts::<acct>:federated-user/<name>
  | 'root' // arn:aws:iam::<acct>:root, or the bare account id
  | 'service' // <name>.amazonaws.com
  | 'unknown';

export interface PrincipalInfo {
  /** The principal as written (a bare account id is normalized to its root ARN). */
  arn: string;
  kind: PrincipalKind;
  partition: string;
  account: string;
  /** User name, role name, federated user name. */
  name: string;
  /** For `role` and `assumed-role`: the role name (without path). */
  roleName?: string;
  /** For `assumed-role`: the session name. */
  sessionName?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The root ARN of an account: the account principal (IAM-PR). */
export function accountRootArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:root`;
}

/** Splits an ARN into its six parts (the resource part keeps any further colons); undefined if not an ARN. */
export function splitArn(arn: string): [string, string, string, string, string, string] | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts as [string, string, string, string, string, string];
}

const classified = new Map<string, PrincipalInfo>();

/**
 * Classifies a principal string (a request's caller, a grantee, or a value of a policy's Principal).
 * Results are cached and shared: treat them as read-only.
 */
export function classifyPrincipal(principal: string): PrincipalInfo {
  let info = classified.get(principal);
  if (!info) {
    if (classified.size > 10_000) classified.clear();
    info = classifyUncached(principal);
    classified.set(principal, info);
  }
  return info;
}

function classifyUncached(principal: string): PrincipalInfo {
  if (isAccountId(principal)) {
    return {
      arn: accountRootArn(principal),
      kind: 'root',
      partition: 'aws',
      account: principal,
      name: 'root',
    };
  }
  const parts = splitArn(principal);
  if (!parts) {
    if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(principal)) {
      return { arn: principal, kind: 'service', partition: 'aws', account: '', name: principal };
    }
    return { arn: principal, kind: 'unknown', partition: 'aws', account: '', name: principal };
  }
  const partition = parts[1];
  const service = parts[2];
  const account = parts[4];
  const resource = parts[5];
  // Literals rather than a spread of a base object: this runs once per new caller ARN (a replayed trail has many).
  if (service === 'iam') {
    if (resource === 'root') return { arn: principal, partition, account, kind: 'root', name: 'root' };
    if (resource.startsWith('user/'))
      return { arn: principal, partition, account, kind: 'user', name: lastSegment(resource) };
    if (resource.startsWith('role/')) {
      const name = lastSegment(resource);
      return { arn: principal, partition, account, kind: 'role', name, roleName: name };
    }
  } else if (service === 'sts') {
    if (resource.startsWith('assumed-role/')) {
      const [, roleName = '', sessionName = ''] = resource.split('/');
      return {
        arn: principal,
        partition,
        account,
        kind: 'assumed-role',
        name: roleName,
        roleName,
        sessionName,
      };
    }
    if (resource.startsWith('federated-user/'))
      return {
        arn: principal,
        partition,
        account,
        kind: 'federated-user',
        name: resource.slice('federated-user/'.length),
      };
  }
  return { arn: principal, partition, account, kind: 'unknown', name: resource };
}

function lastSegment(resource: string): string {
  return resource.slice(resource.lastIndexOf('/') + 1);
}

export interface KmsResourceArn {
  partition: string;
  region: string;
  account: string;
  type: 'key' | 'alias';
  /** Key id, or the alias name including `alias/`. */
  id: string;
}

/** Parses `arn:<p>:kms:<region>:<acct>:key/<id>` or `…:alias/<name>`. */
export function parseKmsArn(arn: string): KmsResourceArn | undefined {
  const parts = splitArn(arn);
  if (!parts || parts[2] !== 'kms') return undefined;
  const [, partition, , region, account, resource] = parts;
  if (resource.startsWith('key/')) return { partition, region, account, type: 'key', id: resource.slice(4) };
  if (resource.startsWith('alias/')) return { partition, region, account, type: 'alias', id: resource };
  return undefined;
}

export function aliasArn(partition: string, region: string, account: string, aliasName: string): string {
  return `arn:${partition}:kms:${region}:${account}:${aliasName}`;
}
