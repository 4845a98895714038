import { describe, expect, it } from 'vitest';
import type { PolicyDocument, Scenario } from '../../scenario/types';
import { toBase64 } from '../bytes';
import { createHsm } from '../crypto/hsm';
import { createKms, type Kms } from '../kms';
import type { TrailRecord } from '../trail';
import { openWithDataKey } from './data-key';
import { ServiceError } from './errors';
import { createS3 } from './s3';

/** One domain key for every KMS of a test, so a snapshot of one restores into another. */
const labHsm = () => createHsm({ domainKey: new Uint8Array(32).fill(7) });
const A = '111122223333';
const B = '444455556666';
const REGION = 'us-east-1';
const WRITER = `arn:aws:sts::${A}:assumed-role/Writer/lab`;
const READER = `arn:aws:iam::${A}:user/reader`;
const OUTSIDER = `arn:aws:iam::${B}:user/outsider`;
const KEY = `arn:aws:kms:${REGION}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const policy = (...Statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement }) as PolicyDocument;
const s3Everything = { Effect: 'Allow', Action: 's3:*', Resource: '*' };

const scenario: Scenario = {
  version: 2,
  principals: {
    [`arn:aws:iam::${A}:role/Writer`]: {
      policies: [
        policy(s3Everything, {
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: KEY,
        }),
      ],
    },
    // The reader may read objects, and has no KMS permission.
    [READER]: {
      policies: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' })],
    },
    [OUTSIDER]: { policies: [policy(s3Everything, { Effect: 'Allow', Action: 'kms:*', Resource: '*' })] },
  },
  keys: { [KEY]: { aliases: ['alias/reports'] } }, // the default key policy: IAM decides
};

const as = (principalArn: string) => ({ principalArn, sourceIp: '198.51.100.7' });
const bytes = (text: string) => new TextEncoder().encode(text);

async function setup() {
  const kms = createKms({ scenario, clock: new Date('2026-03-01T10:00:00Z'), hsm: labHsm() });
  const s3 = createS3(kms);
  await s3.createBucket({ Bucket: 'reports', KmsKeyId: KEY }, as(WRITER));
  return { kms, s3 };
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

const last = (kms: Kms, eventName: string): TrailRecord => kms.trail.query({ eventName }).at(-1)!;

describe('S3 with SSE-KMS over the simulated KMS', () => {
  it('PutObject → GenerateDataKey and GetObject → Decrypt via s3.<region>.amazonaws.com with the aws:s3:arn context', async () => {
    const { kms, s3 } = await setup();
    const put = await s3.putObject(
      { Bucket: 'reports', Key: 'q1/sales.csv', Body: bytes('a,b\n1,2\n') },
      as(WRITER),
    );
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY });
    const context = { 'aws:s3:arn': 'arn:aws:s3:::reports/q1/sales.csv' };
    expect(last(kms, 'GenerateDataKey')).toMatchObject({
      userIdentity: { type: 'AssumedRole', arn: WRITER, invokedBy: 's3.amazonaws.com' },
      sourceIPAddress: 's3.amazonaws.com',
      requestParameters: { keyId: KEY, keySpec: 'AES_256', encryptionContext: context },
      resources: [{ ARN: KEY }],
    });

    const got = await s3.getObject({ Bucket: 'reports', Key: 'q1/sales.csv' }, as(WRITER));
    expect(new TextDecoder().decode(got.Body)).toBe('a,b\n1,2\n');
    expect(got).toMatchObject({ ContentLength: 8, ETag: put.ETag, SSEKMSKeyId: KEY });
    expect(last(kms, 'Decrypt')).toMatchObject({
      userIdentity: { invokedBy: 's3.amazonaws.com' },
      requestParameters: { encryptionContext: context, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    });
  });

  it('encrypts the bytes for real: the stored data key opens only with its object ARN, and then the ciphertext', async () => {
    const { kms, s3 } = await setup();
    const body = bytes('quarterly numbers, quarterly numbers');
    await s3.putObject({ Bucket: 'reports', Key: 'q1.txt', Body: body }, as(WRITER));
    await s3.putObject({ Bucket: 'reports', Key: 'q2.txt', Body: body }, as(WRITER));
    const q1 = s3.storedObject('reports', 'q1.txt')!;
    const q2 = s3.storedObject('reports', 'q2.txt')!;
    expect(q1.Ciphertext.length).toBe(body.length + 16);
    expect(toBase64(q1.Ciphertext)).not.toContain(toBase64(body).slice(0, 12));
    expect(toBase64(q1.Ciphertext)).not.toBe(toBase64(q2.Ciphertext)); // a data key per object
    // The writer may Decrypt directly (IAM allows it without a ViaService condition): the data key opens the bytes.
    await expect(
      kms.call(
        'Decrypt',
        { CiphertextBlob: q1.EncryptedDataKey, EncryptionContext: q2.EncryptionContext },
        as(WRITER),
      ),
    ).rejects.toMatchObject({ type: 'InvalidCiphertextException' });
    const { Plaintext } = await kms.call(
      'Decrypt',
      { CiphertextBlob: q1.EncryptedDataKey, EncryptionContext: q1.EncryptionContext },
      as(WRITER),
    );
    expect(await openWithDataKey(Plaintext as Uint8Array, { iv: q1.Iv, ciphertext: q1.Ciphertext })).toEqual(
      body,
    );
  });

  it('needs s3:GetObject in IAM and kms:Decrypt on the key; the AWS managed key aws/s3 needs only S3 permission', async () => {
    const { kms, s3 } = await setup();
    await s3.putObject(
      { Bucket: 'reports', Key: 'cmk.txt', Body: bytes('under the customer key') },
      as(WRITER),
    );
    // The reader has no kms:Decrypt: S3 passes KMS's denial on.
    const denied = await failure(s3.getObject({ Bucket: 'reports', Key: 'cmk.txt' }, as(READER)));
    expect(denied.code).toBe('AccessDenied');
    expect(denied.message).toContain(
      `${READER} is not authorized to perform: kms:Decrypt on resource: ${KEY}`,
    );
    expect(last(kms, 'Decrypt')).toMatchObject({
      errorCode: 'AccessDenied',
      userIdentity: { arn: READER, invokedBy: 's3.amazonaws.com' },
    });

    // A bucket without a default key: its objects go under the AWS managed key aws/s3, created on first use, whose
    // key policy lets the account use it through S3.
    await s3.createBucket({ Bucket: 'scratch' }, as(WRITER));
    const managed = await s3.putObject({ Bucket: 'scratch', Key: 'note.txt', Body: bytes('hi') }, as(WRITER));
    expect(last(kms, 'GenerateDataKey').requestParameters).toMatchObject({ keyId: 'alias/aws/s3' });
    const { KeyMetadata } = (await kms.call(
      'DescribeKey',
      { KeyId: managed.SSEKMSKeyId },
      { principalArn: `arn:aws:iam::${A}:root` },
    )) as {
      KeyMetadata: Record<string, unknown>;
    };
    expect(KeyMetadata.KeyManager).toBe('AWS');
    const readerScratch = await failure(s3.getObject({ Bucket: 'scratch', Key: 'note.txt' }, as(READER)));
    expect(readerScratch.message).toContain('s3:GetObject on resource: arn:aws:s3:::scratch/note.txt'); // IAM: reports/* only
    expect(
      new TextDecoder().decode((await s3.getObject({ Bucket: 'scratch', Key: 'note.txt' }, as(WRITER))).Body),
    ).toBe('hi');
  });

  it('adds the caller’s encryption context to aws:s3:arn and refuses another aws:s3:arn', async () => {
    const { kms, s3 } = await setup();
    const encoded = toBase64(bytes(JSON.stringify({ project: 'atlas' })));
    const put = await s3.putObject(
      { Bucket: 'reports', Key: 'atlas.txt', Body: bytes('x'), SSEKMSEncryptionContext: encoded },
      as(WRITER),
    );
    expect(JSON.parse(atob(put.SSEKMSEncryptionContext!))).toEqual({
      project: 'atlas',
      'aws:s3:arn': 'arn:aws:s3:::reports/atlas.txt',
    });
    expect(last(kms, 'GenerateDataKey').requestParameters?.encryptionContext).toEqual({
      project: 'atlas',
      'aws:s3:arn': 'arn:aws:s3:::reports/atlas.txt',
    });
    const wrong = toBase64(bytes(JSON.stringify({ 'aws:s3:arn': 'arn:aws:s3:::reports/other.txt' })));
    expect(
      (
        await failure(
          s3.putObject(
            { Bucket: 'reports', Key: 'atlas.txt', Body: bytes('x'), SSEKMSEncryptionContext: wrong },
            as(WRITER),
          ),
        )
      ).code,
    ).toBe('InvalidArgument');
  });

  it('answers S3 errors: unknown bucket and key, names, another account, a disabled key', async () => {
    const { kms, s3 } = await setup();
    expect((await failure(s3.getObject({ Bucket: 'nope', Key: 'k' }, as(WRITER)))).code).toBe('NoSuchBucket');
    expect((await failure(s3.getObject({ Bucket: 'reports', Key: 'k' }, as(WRITER)))).code).toBe('NoSuchKey');
    expect((await failure(s3.createBucket({ Bucket: 'Bad_Name' }, as(WRITER)))).code).toBe(
      'InvalidBucketName',
    );
    expect((await failure(s3.createBucket({ Bucket: 'reports' }, as(WRITER)))).code).toBe(
      'BucketAlreadyOwnedByYou',
    );
    expect((await failure(s3.createBucket({ Bucket: 'reports' }, as(OUTSIDER)))).code).toBe(
      'BucketAlreadyExists',
    );
    // Without a bucket policy another account cannot use the bucket, whatever its IAM says.
    expect(
      (await failure(s3.putObject({ Bucket: 'reports', Key: 'k', Body: bytes('x') }, as(OUTSIDER)))).code,
    ).toBe('AccessDenied');
    await s3.putObject({ Bucket: 'reports', Key: 'k', Body: bytes('x') }, as(WRITER));
    await kms.call('DisableKey', { KeyId: KEY }, { principalArn: `arn:aws:iam::${A}:root` });
    expect(await failure(s3.getObject({ Bucket: 'reports', Key: 'k' }, as(WRITER)))).toMatchObject({
      code: 'KMS.DisabledException',
      message: `${KEY} is disabled.`,
    });
  });
});

describe('S3 snapshots', () => {
  it('a restored copy reads the objects through the restored KMS, and the snapshot is a copy', async () => {
    const { kms, s3 } = await setup();
    await s3.putObject({ Bucket: 'reports', Key: 'q1.csv', Body: bytes('a,b') }, as(WRITER));
    const saved = structuredClone(s3.snapshot()); // as IndexedDB would keep it
    await s3.putObject({ Bucket: 'reports', Key: 'q1.csv', Body: bytes('changed later') }, as(WRITER));

    const kms2 = createKms({ scenario, hsm: labHsm() });
    await kms2.restore(await kms.snapshot());
    const s3again = createS3(kms2);
    s3again.restore(saved);
    const got = await s3again.getObject({ Bucket: 'reports', Key: 'q1.csv' }, as(WRITER));
    expect(new TextDecoder().decode(got.Body)).toBe('a,b');
    expect(last(kms2, 'Decrypt').userIdentity).toMatchObject({ invokedBy: 's3.amazonaws.com' });
    expect(() => s3again.restore({ version: 2 } as never)).toThrow(/snapshot version/);
  });
});
