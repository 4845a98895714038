/**
 * CloudTrail's `userIdentity` for a principal ARN (CloudTrail userIdentity element, facts §3.1): IAMUser,
 * AssumedRole (with its session issuer), Root, Role, AWSService. Unique ids (AIDA…, AROA…) are derived from the
 * ARN, so the same principal always gets the same id.
 */

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable 17-character id body from a string (FNV-1a, spread over several rounds). */
function stableId(text: string): string {
  let out = '';
  let hash = 0x811c9dc5;
  for (let round = 0; out.length < 17; round++) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ round, 0x01000193) >>> 0;
    for (let k = 0; k < 3 && out.length < 17; k++) out += ID_ALPHABET[(hash >>> (k * 5)) & 31];
  }
  return out;
}

export const accountOfPrincipal = (arn: string): string =>
  /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? '';

/** Built identities by caller: a trail repeats the same few callers, so records share one frozen object each. */
const identities = new Map<string, Readonly<Record<string, unknown>>>();
const MAX_IDENTITIES = 10_000;

export function userIdentity(
  principalArn: string,
  accessKeyId?: string,
  invokedBy?: string,
): Readonly<Record<string, unknown>> {
  const cacheKey = `${principalArn}\n${accessKeyId ?? ''}\n${invokedBy ?? ''}`;
  let identity = identities.get(cacheKey);
  if (!identity) {
    identity = deepFreeze(buildUserIdentity(principalArn, accessKeyId, invokedBy));
    if (identities.size >= MAX_IDENTITIES) identities.clear();
    identities.set(cacheKey, identity);
  }
  return identity;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value))
    if (inner && typeof inner === 'object') deepFreeze(inner as object);
  return Object.freeze(value);
}

function buildUserIdentity(
  principalArn: string,
  accessKeyId?: string,
  invokedBy?: string,
): Record<string, unknown> {
  const account = accountOfPrincipal(principalArn);
  const withKey = (identity: Record<string, unknown>) => ({
    ...identity,
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(invokedBy ? { invokedBy } : {}),
  });
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(principalArn);
  if (session) {
    const [, partition, , role, name] = session;
    const roleArn = `arn:${partition}:iam::${account}:role/${role}`;
    const roleId = `AROA${stableId(roleArn)}`;
    return withKey({
      type: 'AssumedRole',
      principalId: `${roleId}:${name}`,
      arn: principalArn,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: roleArn,
          accountId: account,
          userName: role,
        },
        attributes: { mfaAuthenticated: 'false' },
      },
    });
  }
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(principalArn))
    return withKey({ type: 'Root', principalId: account, arn: principalArn, accountId: account });
  const user = /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (user)
    return withKey({
      type: 'IAMUser',
      principalId: `AIDA${stableId(principalArn)}`,
      arn: principalArn,
      accountId: account,
      userName: user[1],
    });
  const role = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (role)
    return withKey({
      type: 'Role',
      principalId: `AROA${stableId(principalArn)}`,
      arn: principalArn,
      accountId: account,
    });
  return withKey({ type: 'AWSService', invokedBy: principalArn });
}
