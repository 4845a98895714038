/**
 * Where a call comes from: over the internet (aws:SourceIp) or through a VPC endpoint (aws:SourceVpce, no
 * aws:SourceIp, the endpoint policy applies), directly to KMS or through a service that calls KMS for the caller.
 */
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, Scenario } from '../../scenario/types';
import { createKms, type Kms } from '../kms';
import type { TrailRecord } from '../trail';
import { ServiceError } from './errors';
import { createSecretsManager } from './secrets-manager';

const A = '111122223333';
const REGION = 'us-east-1';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const ROOT = `arn:aws:iam::${A}:root`;
const KMS_ENDPOINT = 'vpce-0aaa1111bbbb22220';
const SM_ENDPOINT = 'vpce-0ccc3333dddd44440';
/** Its key policy denies every use that does not come through the KMS endpoint. */
const ENDPOINT_ONLY_KEY = `arn:aws:kms:${REGION}:${A}:key/11111111-1111-4111-8111-111111111111`;
/** The same, except for calls an AWS service makes for the caller (aws:ViaAWSService). */
const ENDPOINT_OR_SERVICE_KEY = `arn:aws:kms:${REGION}:${A}:key/22222222-2222-4222-8222-222222222222`;

const policy = (...Statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement }) as PolicyDocument;
const enableIam = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const denyOutsideEndpoint = (extra: Record<string, unknown> = {}) => ({
  Sid: 'Only through the KMS endpoint',
  Effect: 'Deny',
  Principal: '*',
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:SourceVpce': KMS_ENDPOINT }, ...extra },
});

const scenario: Scenario = {
  version: 2,
  principals: {
    [ALICE]: {
      policies: [
        policy(
          { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
        ),
      ],
    },
  },
  keys: {
    [ENDPOINT_ONLY_KEY]: { policy: policy(enableIam, denyOutsideEndpoint()) },
    [ENDPOINT_OR_SERVICE_KEY]: {
      policy: policy(enableIam, denyOutsideEndpoint({ Bool: { 'aws:ViaAWSService': 'false' } })),
    },
  },
  vpcEndpoints: {
    [KMS_ENDPOINT]: {}, // the default endpoint policy: everything
    [SM_ENDPOINT]: {
      policy: policy({
        Effect: 'Allow',
        Principal: '*',
        Action: 'secretsmanager:*',
        Resource: `arn:aws:secretsmanager:${REGION}:${A}:secret:app/*`,
      }),
    },
  },
};

const internet = { principalArn: ALICE, sourceIp: '198.51.100.7' };
const throughKmsEndpoint = { principalArn: ALICE, sourceIp: '10.0.1.5', vpcEndpointId: KMS_ENDPOINT };
const throughSmEndpoint = { principalArn: ALICE, sourceIp: '10.0.1.5', vpcEndpointId: SM_ENDPOINT };
const last = (kms: Kms, eventName: string): TrailRecord => kms.trail.query({ eventName }).at(-1)!;

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
}

describe('network origin of a call', () => {
  it('a key policy on aws:SourceVpce allows direct calls through the endpoint and denies them over the internet', async () => {
    const kms = createKms({ scenario });
    const encrypt = { KeyId: ENDPOINT_ONLY_KEY, Plaintext: new Uint8Array([1, 2, 3]) };
    await kms.call('Encrypt', encrypt, throughKmsEndpoint);
    expect(last(kms, 'Encrypt')).toMatchObject({ vpcEndpointId: KMS_ENDPOINT, sourceIPAddress: '10.0.1.5' });
    expect(last(kms, 'Encrypt').errorCode).toBeUndefined();
    await expect(kms.call('Encrypt', encrypt, internet)).rejects.toMatchObject({
      type: 'AccessDeniedException',
    });
    const denied = last(kms, 'Encrypt');
    expect(denied).toMatchObject({ errorCode: 'AccessDenied', sourceIPAddress: '198.51.100.7' });
    expect(denied.vpcEndpointId).toBeUndefined();
  });

  it("a service's KMS call carries no aws:SourceVpce, even when the caller reached the service through an endpoint", async () => {
    const kms = createKms({ scenario });
    const sm = createSecretsManager(kms);
    // The documented pitfall: an aws:SourceVpce condition on the key denies Secrets Manager's own KMS call.
    const broken = await failure(
      sm.createSecret({ Name: 'app/db', KmsKeyId: ENDPOINT_ONLY_KEY, SecretString: 'x' }, throughSmEndpoint),
    );
    expect(broken).toMatchObject({ code: 'AccessDeniedException', message: 'Access to KMS is not allowed' });
    const generate = last(kms, 'GenerateDataKey');
    expect(generate).toMatchObject({
      errorCode: 'AccessDenied',
      sourceIPAddress: 'secretsmanager.amazonaws.com',
    });
    expect(generate.vpcEndpointId).toBeUndefined();
    // Exempting calls made by AWS services (aws:ViaAWSService) keeps the integration working.
    await sm.createSecret(
      { Name: 'app/db', KmsKeyId: ENDPOINT_OR_SERVICE_KEY, SecretString: 'x' },
      throughSmEndpoint,
    );
    expect((await sm.getSecretValue({ SecretId: 'app/db' }, throughSmEndpoint)).SecretString).toBe('x');
    await expect(
      kms.call('GenerateDataKey', { KeyId: ENDPOINT_OR_SERVICE_KEY, KeySpec: 'AES_256' }, internet),
    ).rejects.toMatchObject({ type: 'AccessDeniedException' });
  });

  it("the service's VPC endpoint policy decides the service's own action", async () => {
    const kms = createKms({ scenario });
    const sm = createSecretsManager(kms);
    await sm.createSecret({ Name: 'app/db', KmsKeyId: ENDPOINT_OR_SERVICE_KEY, SecretString: 'a' }, internet);
    await sm.createSecret({ Name: 'ops/db', KmsKeyId: ENDPOINT_OR_SERVICE_KEY, SecretString: 'o' }, internet);
    expect((await sm.getSecretValue({ SecretId: 'ops/db' }, internet)).SecretString).toBe('o');
    const before = kms.trail.records.length;
    const denied = await failure(sm.getSecretValue({ SecretId: 'ops/db' }, throughSmEndpoint));
    expect(denied.code).toBe('AccessDeniedException');
    expect(kms.trail.records.length).toBe(before); // refused before KMS is called
    expect((await sm.getSecretValue({ SecretId: 'app/db' }, throughSmEndpoint)).SecretString).toBe('a');
  });
});
