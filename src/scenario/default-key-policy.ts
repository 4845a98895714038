import type { PolicyDocument } from './types';

/**
 * The key policy KMS gives a key created through the API without a policy: the account may use IAM policies
 * (DEF: "Default key policy", AWS KMS Developer Guide).
 */
export function defaultKeyPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}
