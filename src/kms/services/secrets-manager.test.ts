import { describe, expect, it } from 'vitest';
import type { PolicyDocument, Scenario } from '../../scenario/types';
import { createHsm } from '../crypto/hsm';
import { createKms, type Kms } from '../kms';
import type { TrailRecord } from '../trail';
import { ServiceError } from './errors';
import { createSecretsManager } from './secrets-manager';

/** One domain key for every KMS of a test, so a snapshot of one restores into another. */
const labHsm = () => createHsm({ domainKey: new Uint8Array(32).fill(7) });
const A = '111122223333';
const REGION = 'us-east-1';
const user = (name: string) => `arn:aws:iam::${A}:user/${name}`;
const ALICE = user('alice');
const BOB = user('bob');
const CAROL = user('carol');
const KEY = `arn:aws:kms:${REGION}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const VIA_SM = `secretsmanager.${REGION}.amazonaws.com`;

const policy = (...Statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement }) as PolicyDocument;

const scenario: Scenario = {
  version: 2,
  principals: {
    // Alice may use Secrets Manager and, by IAM, all of KMS.
    [ALICE]: {
      policies: [
        policy(
          {
            Effect: 'Allow',
            Action: 'secretsmanager:*',
            Resource: `arn:aws:secretsmanager:${REGION}:${A}:secret:*`,
          },
          { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
        ),
      ],
    },
    // Bob may use Secrets Manager, and no KMS at all by IAM.
    [BOB]: {
      policies: [
        policy({
          Effect: 'Allow',
          Action: 'secretsmanager:*',
          Resource: `arn:aws:secretsmanager:${REGION}:${A}:secret:*`,
        }),
      ],
    },
    // Carol may use KMS, not Secrets Manager.
    [CAROL]: { policies: [policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })] },
  },
  keys: {
    [KEY]: {
      aliases: ['alias/app-secrets'],
      policy: policy(
        {
          Sid: 'Enable IAM',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'Only through Secrets Manager',
          Effect: 'Deny',
          Principal: '*',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringNotEquals: { 'kms:ViaService': VIA_SM } },
        },
        {
          Sid: 'Bob reads the shared secrets',
          Effect: 'Allow',
          Principal: { AWS: BOB },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:ViaService': VIA_SM },
            StringLike: {
              'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:${REGION}:${A}:secret:shared/*`,
            },
          },
        },
      ),
    },
  },
};

const as = (principalArn: string, sourceIp = '198.51.100.7') => ({ principalArn, sourceIp });

function setup(): { kms: Kms; sm: ReturnType<typeof createSecretsManager> } {
  const kms = createKms({ scenario, clock: new Date('2026-03-01T10:00:00Z'), hsm: labHsm() });
  return { kms, sm: createSecretsManager(kms) };
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
}

const last = (kms: Kms, eventName: string): TrailRecord => {
  const records = kms.trail.query({ eventName });
  return records[records.length - 1];
};

describe('Secrets Manager over the simulated KMS', () => {
  it('stores a secret under the AWS managed key aws/secretsmanager, created on first use, and reads it back', async () => {
    const { kms, sm } = setup();
    const created = await sm.createSecret({ Name: 'app/db', SecretString: 'hunter2' }, as(BOB));
    expect(created.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:${REGION}:${A}:secret:app/db-[A-Za-z0-9]{6}$`),
    );
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    // Bob has no KMS permission in IAM: the AWS managed key's policy lets the account use it through the service.
    const read = await sm.getSecretValue({ SecretId: 'app/db' }, as(BOB));
    expect(read).toMatchObject({
      SecretString: 'hunter2',
      VersionId: created.VersionId,
      VersionStages: ['AWSCURRENT'],
    });

    const { KeyMetadata } = (await kms.call(
      'DescribeKey',
      { KeyId: 'alias/aws/secretsmanager' },
      as(ALICE),
    )) as {
      KeyMetadata: Record<string, unknown>;
    };
    expect(KeyMetadata).toMatchObject({ KeyManager: 'AWS', Enabled: true });
    const { Policy } = await kms.call('GetKeyPolicy', { KeyId: KeyMetadata.KeyId }, as(ALICE));
    expect(JSON.parse(Policy as string)).toMatchObject({
      Id: 'auto-secretsmanager-1',
      Statement: [{ Condition: { StringEquals: { 'kms:ViaService': VIA_SM, 'kms:CallerAccount': A } } }, {}],
    });
    // One key for every secret of the account and Region.
    await sm.createSecret({ Name: 'app/api', SecretString: 'x' }, as(BOB));
    const aliases = (await kms.call('ListAliases', {}, as(ALICE))).Aliases as { AliasName: string }[];
    expect(aliases.filter((a) => a.AliasName === 'alias/aws/secretsmanager')).toHaveLength(1);
    // Nobody uses an AWS managed key directly, even with kms:* in IAM.
    await expect(
      kms.call('GenerateDataKey', { KeyId: 'alias/aws/secretsmanager', KeySpec: 'AES_256' }, as(ALICE)),
    ).rejects.toMatchObject({ type: 'AccessDeniedException' });
  });

  it('calls KMS as the caller via secretsmanager.<region>.amazonaws.com with SecretARN and SecretVersionId, as CloudTrail shows', async () => {
    const { kms, sm } = setup();
    const { ARN, VersionId } = await sm.createSecret(
      { Name: 'app/db', KmsKeyId: 'alias/app-secrets', SecretString: 's3cr3t' },
      { ...as(ALICE), accessKeyId: 'AKIAALICEEXAMPLE0001' },
    );
    const context = { SecretARN: ARN, SecretVersionId: VersionId };
    const generate = last(kms, 'GenerateDataKey');
    expect(generate).toMatchObject({
      userIdentity: {
        type: 'IAMUser',
        arn: ALICE,
        accessKeyId: 'AKIAALICEEXAMPLE0001',
        invokedBy: 'secretsmanager.amazonaws.com',
      },
      sourceIPAddress: 'secretsmanager.amazonaws.com',
      userAgent: 'secretsmanager.amazonaws.com',
      requestParameters: { keyId: 'alias/app-secrets', keySpec: 'AES_256', encryptionContext: context },
      responseElements: null,
      resources: [{ ARN: KEY }],
    });
    expect(generate.errorCode).toBeUndefined();

    expect((await sm.getSecretValue({ SecretId: ARN }, as(ALICE))).SecretString).toBe('s3cr3t');
    const decrypt = last(kms, 'Decrypt');
    expect(decrypt.requestParameters).toEqual({
      encryptionContext: context,
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    expect(decrypt.userIdentity.invokedBy).toBe('secretsmanager.amazonaws.com');
    expect(decrypt.additionalEventData?.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a key policy on kms:ViaService lets the key be used through Secrets Manager and denies direct calls', async () => {
    const { kms, sm } = setup();
    await sm.createSecret({ Name: 'app/db', KmsKeyId: KEY, SecretString: 'v1' }, as(ALICE));
    expect((await sm.getSecretValue({ SecretId: 'app/db' }, as(ALICE))).SecretString).toBe('v1');
    await expect(
      kms.call('GenerateDataKey', { KeyId: KEY, KeySpec: 'AES_256' }, as(ALICE)),
    ).rejects.toMatchObject({
      type: 'AccessDeniedException',
    });
    const [viaService, direct] = kms.trail.query({ eventName: 'GenerateDataKey' });
    expect(viaService).toMatchObject({
      sourceIPAddress: 'secretsmanager.amazonaws.com',
      userIdentity: { invokedBy: 'secretsmanager.amazonaws.com' },
    });
    expect(viaService.errorCode).toBeUndefined();
    expect(direct).toMatchObject({ sourceIPAddress: '198.51.100.7', errorCode: 'AccessDenied' });
    expect(direct.userIdentity.invokedBy).toBeUndefined();
  });

  it('GetSecretValue needs secretsmanager:GetSecretValue in IAM; KMS is not asked without it', async () => {
    const { kms, sm } = setup();
    const { ARN } = await sm.createSecret({ Name: 'app/db', SecretString: 'v1' }, as(ALICE));
    const before = kms.trail.records.length;
    const denied = await failure(sm.getSecretValue({ SecretId: 'app/db' }, as(CAROL)));
    expect(denied.code).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: ${CAROL} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
    expect(kms.trail.records.length).toBe(before);
    // An unknown secret is reported only to a caller who may read it.
    expect((await failure(sm.getSecretValue({ SecretId: 'nope' }, as(CAROL)))).code).toBe(
      'AccessDeniedException',
    );
    expect(await failure(sm.getSecretValue({ SecretId: 'nope' }, as(ALICE)))).toMatchObject({
      code: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('answers "Access to KMS is not allowed" when KMS denies, and the encryption context decides what Bob may read', async () => {
    const { kms, sm } = setup();
    await sm.createSecret({ Name: 'app/db', KmsKeyId: KEY, SecretString: 'private' }, as(ALICE));
    await sm.createSecret({ Name: 'shared/motd', KmsKeyId: KEY, SecretString: 'hello' }, as(ALICE));
    expect((await sm.getSecretValue({ SecretId: 'shared/motd' }, as(BOB))).SecretString).toBe('hello');
    const denied = await failure(sm.getSecretValue({ SecretId: 'app/db' }, as(BOB)));
    expect(denied).toMatchObject({ code: 'AccessDeniedException', message: 'Access to KMS is not allowed' });
    const decrypt = last(kms, 'Decrypt');
    expect(decrypt).toMatchObject({
      errorCode: 'AccessDenied',
      userIdentity: { arn: BOB, invokedBy: 'secretsmanager.amazonaws.com' },
    });
    expect(decrypt.errorMessage).toContain('kms:Decrypt');
    // Writing needs kms:GenerateDataKey, which Bob's statement does not give.
    expect(
      await failure(sm.createSecret({ Name: 'shared/new', KmsKeyId: KEY, SecretString: 'x' }, as(BOB))),
    ).toMatchObject({
      code: 'AccessDeniedException',
      message: 'Access to KMS is not allowed',
    });
    await expect(sm.getSecretValue({ SecretId: 'shared/new' }, as(ALICE))).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });

  it('keeps versions: PutSecretValue makes AWSCURRENT, the old one AWSPREVIOUS; a retry with the same token changes nothing', async () => {
    const { kms, sm } = setup();
    const first = await sm.createSecret({ Name: 'app/db', KmsKeyId: KEY, SecretString: 'v1' }, as(ALICE));
    const token = 'a'.repeat(32);
    const put = await sm.putSecretValue(
      { SecretId: 'app/db', SecretString: 'v2', ClientRequestToken: token },
      as(ALICE),
    );
    expect(put).toMatchObject({ VersionId: token, VersionStages: ['AWSCURRENT'] });
    expect((await sm.getSecretValue({ SecretId: 'app/db' }, as(ALICE))).SecretString).toBe('v2');
    expect(
      await sm.getSecretValue({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' }, as(ALICE)),
    ).toMatchObject({
      SecretString: 'v1',
      VersionId: first.VersionId,
    });
    const generated = kms.trail.query({ eventName: 'GenerateDataKey' }).length;
    expect(
      await sm.putSecretValue(
        { SecretId: 'app/db', SecretString: 'v2', ClientRequestToken: token },
        as(ALICE),
      ),
    ).toMatchObject({ VersionId: token });
    expect(kms.trail.query({ eventName: 'GenerateDataKey' }).length).toBe(generated);
    expect(
      (
        await failure(
          sm.putSecretValue({ SecretId: 'app/db', SecretString: 'v3', ClientRequestToken: token }, as(ALICE)),
        )
      ).code,
    ).toBe('ResourceExistsException');
    await sm.putSecretValue({ SecretId: 'app/db', SecretBinary: new Uint8Array([1, 2, 3]) }, as(ALICE));
    const binary = await sm.getSecretValue({ SecretId: 'app/db' }, as(ALICE));
    expect(binary.SecretBinary).toEqual(new Uint8Array([1, 2, 3]));
    expect(binary.SecretString).toBeUndefined();
    expect(
      (await sm.getSecretValue({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' }, as(ALICE))).SecretString,
    ).toBe('v2');
    // A version without staging labels is deprecated, and still read by its id.
    expect(
      await sm.getSecretValue({ SecretId: 'app/db', VersionId: first.VersionId }, as(ALICE)),
    ).toMatchObject({
      SecretString: 'v1',
      VersionStages: [],
    });
    expect(
      await failure(sm.getSecretValue({ SecretId: 'app/db', VersionId: 'b'.repeat(32) }, as(ALICE))),
    ).toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('refuses bad requests with Secrets Manager errors', async () => {
    const { kms, sm } = setup();
    await sm.createSecret({ Name: 'app/db', SecretString: 'v1' }, as(ALICE));
    expect((await failure(sm.createSecret({ Name: 'app/db', SecretString: 'v2' }, as(ALICE)))).message).toBe(
      'The operation failed because the secret app/db already exists.',
    );
    expect((await failure(sm.createSecret({ Name: 'bad name!' }, as(ALICE)))).code).toBe(
      'InvalidParameterException',
    );
    expect(
      (
        await failure(
          sm.createSecret({ Name: 'both', SecretString: 'a', SecretBinary: new Uint8Array(1) }, as(ALICE)),
        )
      ).code,
    ).toBe('InvalidParameterException');
    expect((await failure(sm.putSecretValue({ SecretId: 'app/db' }, as(ALICE)))).code).toBe(
      'InvalidRequestException',
    );
    // A key KMS refuses for another reason than access: EncryptionFailure.
    await kms.call('DisableKey', { KeyId: KEY }, as(ALICE));
    expect(
      (await failure(sm.createSecret({ Name: 'app/x', KmsKeyId: KEY, SecretString: 'v' }, as(ALICE)))).code,
    ).toBe('EncryptionFailure');
    expect(last(kms, 'GenerateDataKey').errorCode).toBe('DisabledException');
  });
});

describe('Secrets Manager snapshots', () => {
  it('a restored copy reads the secrets through the restored KMS, and the snapshot is a copy', async () => {
    const { kms, sm } = setup();
    await sm.createSecret({ Name: 'app/db', SecretString: 'hunter2' }, as(BOB));
    const saved = structuredClone(sm.snapshot()); // as IndexedDB would keep it
    await sm.putSecretValue({ SecretId: 'app/db', SecretString: 'changed later' }, as(BOB));

    const kms2 = createKms({ scenario, hsm: labHsm() });
    await kms2.restore(await kms.snapshot());
    const sm2 = createSecretsManager(kms2);
    sm2.restore(saved);
    const read = await sm2.getSecretValue({ SecretId: 'app/db' }, as(BOB));
    expect(read.SecretString).toBe('hunter2');
    expect(last(kms2, 'Decrypt').userIdentity).toMatchObject({
      arn: BOB,
      invokedBy: 'secretsmanager.amazonaws.com',
    });
    expect(() => sm2.restore({ version: 2 } as never)).toThrow(/snapshot version/);
  });
});
