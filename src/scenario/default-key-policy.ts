import type { PolicyDocument } from './types';

/**
 * The statement of the default key policy that lets the account's IAM policies grant access to the key
 * (DEF: "Default key policy", AWS KMS Developer Guide).
 */
export function enableIamStatement(accountId: string) {
  return {
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

/** The key policy KMS gives a key created through the API without a policy: the account may use IAM (DEF). */
export function defaultKeyPolicy(accountId: string): PolicyDocument {
  return { Version: '2012-10-17', Id: 'key-default-1', Statement: [enableIamStatement(accountId)] };
}
