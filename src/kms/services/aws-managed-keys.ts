/**
 * The AWS managed keys of the simulated services (`alias/aws/secretsmanager`, `alias/aws/s3`), created in the
 * caller's account and Region the first time a secret or object needs one, with the key policies those services
 * give them: anyone in the account may use the key through the service, nobody directly (kms-authorization §6;
 * Secrets Manager "Key policy of the AWS managed key (aws/secretsmanager)"; the aws/s3 policy as AWS shows it).
 */
import type { PolicyDocument } from '../../scenario/types';
import type { AwsManagedKeySpec } from '../kms';
import { partitionOf } from '../kms-state';
import { viaService, type IntegratedService } from './service-caller';

interface ManagedKeyFacts {
  policyId: string;
  useSid: string;
  use: string[];
  metadata: string[];
  description: string;
}

const FACTS: Record<IntegratedService, ManagedKeyFacts> = {
  secretsmanager: {
    policyId: 'auto-secretsmanager-1',
    useSid:
      'Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager',
    use: ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
    description: 'Default key that protects my Secrets Manager data when no other key is defined',
  },
  s3: {
    policyId: 'auto-s3-2',
    useSid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
    use: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
    description: 'Default key that protects my S3 objects when no other key is defined',
  },
};

export function awsManagedKeySpec(
  service: IntegratedService,
  account: string,
  region: string,
): AwsManagedKeySpec {
  const facts = FACTS[service];
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Id: facts.policyId,
    Statement: [
      {
        Sid: facts.useSid,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: facts.use,
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': viaService(service, region), 'kms:CallerAccount': account },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partitionOf(region)}:iam::${account}:root` },
        Action: facts.metadata,
        Resource: '*',
      },
    ],
  };
  return { alias: `alias/aws/${service}`, account, region, description: facts.description, policy };
}
