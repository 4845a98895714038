/**
 * Actions of other AWS services (the KMS simulator's service integrations ask for them, src/kms/services): decided
 * by IAM on the resource in `parameters.resource`, under the endpoint policy when the call came through one.
 */
import { describe, expect, it } from 'vitest';
import { prepareScenario } from './index';
import type { PolicyDocument, RequestSpec, Scenario } from '../scenario/types';

const ACCOUNT = '111122223333';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/db-AbCdEf`;
const ENDPOINT = 'vpce-0abc1234def567890';

const policy = (...Statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement }) as PolicyDocument;

function world(identity: PolicyDocument, endpointPolicy?: PolicyDocument): Scenario {
  return {
    version: 2,
    principals: { [ALICE]: { policies: [identity] } },
    ...(endpointPolicy ? { vpcEndpoints: { [ENDPOINT]: { policy: endpointPolicy } } } : {}),
  };
}

const getSecret = (extra: Partial<RequestSpec> = {}): RequestSpec => ({
  id: 'get',
  principal: ALICE,
  action: 'secretsmanager:GetSecretValue',
  parameters: { resource: SECRET },
  ...extra,
});

const allowSecrets = policy({
  Effect: 'Allow',
  Action: 'secretsmanager:GetSecretValue',
  Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/*`,
});

describe('actions of other services', () => {
  it('are allowed by an identity policy on the resource, and nothing else', () => {
    const prepared = prepareScenario(world(allowSecrets));
    expect(prepared.evaluate(getSecret())).toMatchObject({ decision: 'Allow', outcome: 'Success' });
    const other = prepared.evaluate(
      getSecret({
        parameters: { resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ops-AbCdEf` },
      }),
    );
    expect(other.decision).toBe('ImplicitDeny');
    expect(other.errorMessage).toBe(
      `User: ${ALICE} is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ops-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
    // kms:* does not reach another service's action.
    const kmsOnly = prepareScenario(world(policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })));
    expect(kmsOnly.evaluate(getSecret()).decision).toBe('ImplicitDeny');
  });

  it('follow explicit denies and network conditions (aws:SourceIp, aws:SourceVpce)', () => {
    const onlyFromOffice = policy(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
      {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    );
    const prepared = prepareScenario(world(onlyFromOffice));
    const get = (extra: Partial<RequestSpec>) =>
      prepared.evaluate({
        id: 'g',
        principal: ALICE,
        action: 's3:GetObject',
        parameters: { resource: 'arn:aws:s3:::reports/q1.csv' },
        ...extra,
      }).decision;
    expect(get({ sourceIp: '203.0.113.9' })).toBe('Allow');
    expect(get({ sourceIp: '198.51.100.1' })).toBe('ExplicitDeny');
  });

  it('through a VPC endpoint need the endpoint policy too', () => {
    const endpointAllowsOthers = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 'secretsmanager:DescribeSecret',
      Resource: '*',
    });
    const prepared = prepareScenario(world(allowSecrets, endpointAllowsOthers));
    expect(prepared.evaluate(getSecret()).decision).toBe('Allow');
    const through = prepared.evaluate(getSecret({ vpcEndpoint: ENDPOINT }));
    expect(through.decision).toBe('ImplicitDeny');
    expect(through.steps.find((s) => s.id === 'vpc-endpoint')?.result).toBe('deny');
  });
});
