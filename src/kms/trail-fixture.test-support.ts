/**
 * A varied trail for the trail tests (trail-schema.test.ts, trail-replay.test.ts): successes and denials, another
 * account's key, a role session, a VPC endpoint, Secrets Manager and S3 calling KMS for their callers, and, in a
 * second part, the key lifecycle with KMS's own service events.
 */
import type { PolicyDocument, Scenario } from '../scenario/types';
import { utf8 } from './bytes';
import { createKms, type Kms } from './kms';
import { createS3 } from './services/s3';
import { createSecretsManager } from './services/secrets-manager';

export const A = '111122223333';
export const B = '444455556666';
const REGION = 'us-east-1';
const ADMIN = `arn:aws:iam::${A}:user/admin`;
const BOB = `arn:aws:iam::${A}:user/bob`;
const CAROL = `arn:aws:iam::${B}:user/carol`;
const APP = `arn:aws:sts::${A}:assumed-role/App/lab`;
export const KEY = `arn:aws:kms:${REGION}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ENDPOINT_KEY = `arn:aws:kms:${REGION}:${A}:key/11111111-1111-4111-8111-111111111111`;
const ENDPOINT = 'vpce-0aaa1111bbbb22220';

const policy = (...Statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement }) as PolicyDocument;
const enableIam = {
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${A}:root` },
  Action: 'kms:*',
  Resource: '*',
};

export const trailScenario: Scenario = {
  version: 2,
  principals: {
    [ADMIN]: {
      policies: [policy({ Effect: 'Allow', Action: ['kms:*', 'secretsmanager:*', 's3:*'], Resource: '*' })],
    },
    [BOB]: {
      policies: [policy({ Effect: 'Allow', Action: ['secretsmanager:*', 's3:GetObject'], Resource: '*' })],
    },
    [`arn:aws:iam::${A}:role/App`]: {
      policies: [policy({ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KEY })],
    },
    [CAROL]: {
      policies: [policy({ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: KEY })],
    },
  },
  keys: {
    [KEY]: {
      aliases: ['alias/app'],
      policy: policy(enableIam, {
        Sid: 'Account B may use the key',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      }),
    },
    [ENDPOINT_KEY]: {
      policy: policy(enableIam, {
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': ENDPOINT } },
      }),
    },
  },
  vpcEndpoints: { [ENDPOINT]: {} },
};

const internet = (principalArn: string) => ({
  principalArn,
  sourceIp: '198.51.100.7',
  userAgent: 'aws-cli/2.17',
});

async function refused(call: Promise<unknown>): Promise<void> {
  await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    () => undefined,
  );
}

/** Calls whose decisions stay the same until the end: the trail replays with the same answers. */
export async function stableTrail(): Promise<Kms> {
  const kms = createKms({ scenario: trailScenario, clock: new Date('2026-03-01T10:00:00Z') });
  const admin = internet(ADMIN);
  const { KeyMetadata } = (await kms.call('CreateKey', { Description: 'second' }, admin)) as {
    KeyMetadata: { Arn: string };
  };
  const context = { purpose: 'trail-test' };
  const { CiphertextBlob } = await kms.call(
    'Encrypt',
    { KeyId: 'alias/app', Plaintext: utf8('hello'), EncryptionContext: context },
    admin,
  );
  await kms.call('Decrypt', { CiphertextBlob, EncryptionContext: context }, admin);
  await refused(kms.call('Decrypt', { CiphertextBlob, EncryptionContext: context }, internet(BOB)));
  await refused(kms.call('DescribeKey', { KeyId: 'alias/missing' }, admin));
  await kms.call('Encrypt', { KeyId: KEY, Plaintext: utf8('from B') }, internet(CAROL)); // recorded in A and B
  await kms.call(
    'GenerateDataKey',
    { KeyId: KEY, KeySpec: 'AES_256' },
    { principalArn: APP, sourceIp: '10.1.2.3' },
  );
  await kms.call(
    'ReEncrypt',
    { CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: KeyMetadata.Arn },
    admin,
  );
  await kms.call('GenerateRandom', { NumberOfBytes: 16 }, admin);
  await kms.call('ListKeys', {}, admin);
  await kms.call(
    'Encrypt',
    { KeyId: ENDPOINT_KEY, Plaintext: utf8('x') },
    { principalArn: ADMIN, sourceIp: '10.0.1.5', vpcEndpointId: ENDPOINT },
  );
  await refused(kms.call('Encrypt', { KeyId: ENDPOINT_KEY, Plaintext: utf8('x') }, admin));

  const secrets = createSecretsManager(kms);
  await secrets.createSecret({ Name: 'app/db', SecretString: 'hunter2' }, admin);
  await secrets.getSecretValue({ SecretId: 'app/db' }, internet(BOB));
  await secrets.createSecret({ Name: 'app/cmk', KmsKeyId: 'alias/app', SecretString: 'x' }, admin);
  await refused(secrets.getSecretValue({ SecretId: 'app/cmk' }, internet(BOB))); // no kms:Decrypt for Bob

  const s3 = createS3(kms);
  await s3.createBucket({ Bucket: 'reports', KmsKeyId: KEY }, admin);
  await s3.putObject({ Bucket: 'reports', Key: 'q1.csv', Body: utf8('1,2') }, admin);
  await s3.getObject({ Bucket: 'reports', Key: 'q1.csv' }, admin);
  await refused(s3.getObject({ Bucket: 'reports', Key: 'q1.csv' }, internet(BOB)));
  return kms;
}

/** The stable calls, then the key lifecycle on the clock: grants, deletion, rotation, imported material expiry. */
export async function variedTrail(): Promise<Kms> {
  const kms = await stableTrail();
  const admin = internet(ADMIN);
  await kms.call(
    'CreateGrant',
    {
      KeyId: KEY,
      GranteePrincipal: BOB,
      Operations: ['Decrypt'],
      Constraints: { EncryptionContextSubset: { a: 'b' } },
    },
    admin,
  );
  await kms.call('ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 7 }, admin);
  await kms.call('CancelKeyDeletion', { KeyId: KEY }, admin);
  await kms.call('EnableKey', { KeyId: KEY }, admin);
  await kms.call('EnableKeyRotation', { KeyId: KEY, RotationPeriodInDays: 90 }, admin);

  const doomed = (await kms.call('CreateKey', {}, admin)) as { KeyMetadata: { KeyId: string } };
  await kms.call('ScheduleKeyDeletion', { KeyId: doomed.KeyMetadata.KeyId, PendingWindowInDays: 7 }, admin);

  const imported = (await kms.call('CreateKey', { Origin: 'EXTERNAL' }, admin)) as {
    KeyMetadata: { KeyId: string };
  };
  const params = (await kms.call(
    'GetParametersForImport',
    {
      KeyId: imported.KeyMetadata.KeyId,
      WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      WrappingKeySpec: 'RSA_2048',
    },
    admin,
  )) as { PublicKey: Uint8Array; ImportToken: Uint8Array };
  const wrappingKey = await globalThis.crypto.subtle.importKey(
    'spki',
    params.PublicKey as BufferSource,
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['encrypt'],
  );
  const material = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const wrapped = new Uint8Array(
    await globalThis.crypto.subtle.encrypt({ name: 'RSA-OAEP' }, wrappingKey, material),
  );
  await kms.call(
    'ImportKeyMaterial',
    {
      KeyId: imported.KeyMetadata.KeyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapped,
      ValidTo: new Date('2026-03-05T00:00:00Z'),
    },
    admin,
  );
  await kms.clock.advance({ days: 100 });
  return kms;
}
