/**
 * A small simulated Amazon S3 with SSE-KMS over the simulated KMS (S3 user guide "Using server-side encryption with
 * AWS KMS keys (SSE-KMS)", KMS developer guide "How Amazon S3 uses AWS KMS"): CreateBucket, PutObject, GetObject.
 *
 * PutObject has KMS generate a data key (GenerateDataKey, AES_256) and encrypts the object's bytes with it
 * (AES-256-GCM) outside KMS, keeping the encrypted data key with the object; GetObject has KMS Decrypt it. Both KMS
 * calls are made as the caller via `s3.<region>.amazonaws.com` with the encryption context
 * `{"aws:s3:arn": "arn:aws:s3:::<bucket>/<key>"}` (bucket keys off: the object ARN). The caller needs s3:PutObject /
 * s3:GetObject in IAM (decided by the engine) and kms:GenerateDataKey / kms:Decrypt on the key.
 *
 * Not modelled [lab choice]: bucket policies (so only the bucket's account can use it), S3 Bucket Keys, SSE-S3 and
 * SSE-C, multipart uploads, versioning and the other operations. Objects live in memory; `snapshot()` copies them (sealed under their
 * data keys, as S3 stores them) for the tab to keep beside the KMS snapshot.
 */
import { fromBase64, toBase64, bytesToHex } from '../bytes';
import { isKmsError, type KmsError } from '../errors';
import { accountOfPrincipal } from '../identity';
import type { Kms } from '../kms';
import { partitionOf } from '../kms-state';
import { awsManagedKeySpec } from './aws-managed-keys';
import { openWithDataKey, sealWithDataKey, type Sealed } from './data-key';
import { ServiceError } from './errors';
import { authorizeServiceAction, callerVia, type ServiceCaller } from './service-caller';

export interface CreateBucketRequest {
  Bucket: string;
  /** The bucket's default SSE-KMS key (its default encryption); absent: the AWS managed key `alias/aws/s3`. */
  KmsKeyId?: string;
}

export interface PutObjectRequest {
  Bucket: string;
  Key: string;
  Body: Uint8Array;
  /** Only `aws:kms` (the lab's S3 stores objects with SSE-KMS). Default: the bucket's default encryption. */
  ServerSideEncryption?: string;
  /** `x-amz-server-side-encryption-aws-kms-key-id`: default the bucket's key. */
  SSEKMSKeyId?: string;
  /** `x-amz-server-side-encryption-context`: base64 of a JSON object of strings, added to `aws:s3:arn`. */
  SSEKMSEncryptionContext?: string;
}

export interface PutObjectResponse {
  ETag: string;
  ServerSideEncryption: 'aws:kms';
  /** The key ARN. */
  SSEKMSKeyId: string;
  SSEKMSEncryptionContext?: string;
}

export interface GetObjectRequest {
  Bucket: string;
  Key: string;
}

export interface GetObjectResponse {
  Body: Uint8Array;
  ContentLength: number;
  ETag: string;
  ServerSideEncryption: 'aws:kms';
  SSEKMSKeyId: string;
}

/** What S3 keeps of an object encrypted with SSE-KMS (not an S3 API: the lab's look inside, for learners). */
export interface StoredObjectView {
  SSEKMSKeyId: string;
  EncryptionContext: Record<string, string>;
  /** The data key as KMS encrypted it (GenerateDataKey's CiphertextBlob). */
  EncryptedDataKey: Uint8Array;
  /** AES-256-GCM of the object's bytes under the data key: 12-byte IV, then ciphertext and 16-byte tag. */
  Iv: Uint8Array;
  Ciphertext: Uint8Array;
}

export interface S3 {
  createBucket(request: CreateBucketRequest, caller: ServiceCaller): Promise<{ Location: string }>;
  putObject(request: PutObjectRequest, caller: ServiceCaller): Promise<PutObjectResponse>;
  getObject(request: GetObjectRequest, caller: ServiceCaller): Promise<GetObjectResponse>;
  /** The stored form of an object, or undefined; no authorization (it is not a call to S3). */
  storedObject(bucket: string, key: string): StoredObjectView | undefined;
  /** Every bucket and object as stored, structured-clonable; no KMS call. */
  snapshot(): S3Snapshot;
  /** Replaces every bucket with a snapshot's; throws on an unknown snapshot version. */
  restore(snapshot: S3Snapshot): void;
}

export interface S3Snapshot {
  version: 1;
  buckets: Array<Omit<Bucket, 'objects'> & { objects: Array<[string, StoredObject]> }>;
}

export interface Bucket {
  name: string;
  account: string;
  region: string;
  kmsKeyId?: string;
  objects: Map<string, StoredObject>;
}

export interface StoredObject {
  etag: string;
  keyArn: string;
  encryptionContext: Record<string, string>;
  encryptedDataKey: Uint8Array;
  sealed: Sealed;
  size: number;
}

const MANAGED_KEY_ALIAS = 'alias/aws/s3';
/** S3 bucket naming rules (3–63 characters: lower-case letters, digits, dots and hyphens). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** S3 object key names: 1–1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

const s3Error = (code: string, message: string) => new ServiceError('s3', code, message);
const noSuchBucket = () => s3Error('NoSuchBucket', 'The specified bucket does not exist');

/**
 * What S3 answers when its KMS call fails [lab choice: S3 passes KMS's answer on]: a denial is S3's AccessDenied with
 * KMS's message; any other KMS failure is `KMS.<exception>` (e.g. KMS.DisabledException) with KMS's message.
 */
function kmsFailure(error: KmsError): ServiceError {
  return error.type === 'AccessDeniedException'
    ? s3Error('AccessDenied', error.message)
    : s3Error(`KMS.${error.type}`, error.message);
}

/** The caller's encryption context (base64 JSON of strings), without aws:s3:arn. */
function callerContext(encoded: string | undefined, objectArn: string): Record<string, string> {
  if (encoded === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(encoded)));
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((v) => typeof v !== 'string')
  )
    // The lab's own text.
    throw s3Error(
      'InvalidArgument',
      'SSEKMSEncryptionContext must be base64 of a JSON object of string values.',
    );
  const context = parsed as Record<string, string>;
  // S3 SSE-KMS "Encryption context": the full context is validated to have aws:s3:arn equal to the object's ARN.
  if ('aws:s3:arn' in context && context['aws:s3:arn'] !== objectArn)
    throw s3Error('InvalidArgument', `The aws:s3:arn of the encryption context must be ${objectArn}.`);
  return context;
}

export function createS3(kms: Kms): S3 {
  const buckets = new Map<string, Bucket>();

  const authorize = (caller: ServiceCaller, action: string, resource: string) =>
    authorizeServiceAction(kms, 's3', caller, action, resource, 'AccessDenied');

  /** The bucket, after IAM allowed `action` on `resource`; another account's bucket needs a bucket policy. */
  async function bucketFor(
    name: string,
    caller: ServiceCaller,
    action: string,
    resource: string,
  ): Promise<Bucket> {
    await authorize(caller, action, resource);
    const bucket = buckets.get(name);
    if (!bucket) throw noSuchBucket();
    if (bucket.account !== accountOfPrincipal(caller.principalArn))
      throw s3Error(
        'AccessDenied',
        `User: ${caller.principalArn} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
      );
    return bucket;
  }

  const objectArn = (bucket: string, key: string, region: string) =>
    `arn:${partitionOf(region)}:s3:::${bucket}/${key}`;

  function checkKey(key: unknown): string {
    if (typeof key !== 'string' || key === '' || new TextEncoder().encode(key).length > MAX_KEY_BYTES)
      throw s3Error('InvalidArgument', 'The object key must be 1 to 1024 bytes of UTF-8.'); // the lab's own text
    return key;
  }

  return {
    async createBucket(request, caller) {
      const name = request?.Bucket;
      if (typeof name !== 'string' || !BUCKET_NAME.test(name) || name.includes('..'))
        throw s3Error('InvalidBucketName', 'The specified bucket is not valid.');
      const region = caller.region ?? kms.region;
      await authorize(caller, 's3:CreateBucket', `arn:${partitionOf(region)}:s3:::${name}`);
      const account = accountOfPrincipal(caller.principalArn);
      const existing = buckets.get(name);
      if (existing)
        throw existing.account === account
          ? s3Error(
              'BucketAlreadyOwnedByYou',
              'Your previous request to create the named bucket succeeded and you already own it.',
            )
          : s3Error(
              'BucketAlreadyExists',
              'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
            );
      buckets.set(name, {
        name,
        account,
        region,
        ...(request.KmsKeyId ? { kmsKeyId: request.KmsKeyId } : {}),
        objects: new Map(),
      });
      return { Location: `/${name}` };
    },

    async putObject(request, caller) {
      const key = checkKey(request?.Key);
      if (!(request.Body instanceof Uint8Array)) throw s3Error('InvalidArgument', 'Body must be bytes.'); // lab's text
      const region = caller.region ?? kms.region;
      const arn = objectArn(String(request.Bucket), key, region);
      const bucket = await bucketFor(String(request.Bucket), caller, 's3:PutObject', arn);
      if (request.ServerSideEncryption !== undefined && request.ServerSideEncryption !== 'aws:kms')
        throw s3Error('InvalidArgument', "The lab's S3 stores objects with SSE-KMS only (aws:kms)."); // lab's text
      const context = { ...callerContext(request.SSEKMSEncryptionContext, arn), 'aws:s3:arn': arn };
      let keyId = request.SSEKMSKeyId ?? bucket.kmsKeyId;
      if (keyId === undefined) {
        // "If you don't specify a customer managed key, Amazon S3 automatically creates an AWS KMS key in your AWS
        // account the first time that you add an object encrypted with SSE-KMS to a bucket."
        await kms.integration.awsManagedKey(awsManagedKeySpec('s3', bucket.account, bucket.region));
        keyId = MANAGED_KEY_ALIAS;
      }
      let dataKey: { Plaintext: Uint8Array; CiphertextBlob: Uint8Array; KeyId: string };
      try {
        dataKey = (await kms.call(
          'GenerateDataKey',
          { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context },
          callerVia(caller, 's3', bucket.region),
        )) as typeof dataKey;
      } catch (error) {
        throw isKmsError(error) ? kmsFailure(error) : error;
      }
      const sealed = await sealWithDataKey(dataKey.Plaintext, request.Body);
      // With SSE-KMS the ETag is not the MD5 of the object (S3 "SSE-KMS highlights"): the lab's is random.
      const etag = `"${bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(16)))}"`;
      bucket.objects.set(key, {
        etag,
        keyArn: dataKey.KeyId,
        encryptionContext: context,
        encryptedDataKey: dataKey.CiphertextBlob,
        sealed,
        size: request.Body.length,
      });
      return {
        ETag: etag,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: dataKey.KeyId,
        ...(request.SSEKMSEncryptionContext !== undefined
          ? { SSEKMSEncryptionContext: toBase64(new TextEncoder().encode(JSON.stringify(context))) }
          : {}),
      };
    },

    async getObject(request, caller) {
      const key = checkKey(request?.Key);
      const region = caller.region ?? kms.region;
      const arn = objectArn(String(request.Bucket), key, region);
      const bucket = await bucketFor(String(request.Bucket), caller, 's3:GetObject', arn);
      const stored = bucket.objects.get(key);
      if (!stored) throw s3Error('NoSuchKey', 'The specified key does not exist.');
      let plaintext: Uint8Array;
      try {
        const response = await kms.call(
          'Decrypt',
          { CiphertextBlob: stored.encryptedDataKey, EncryptionContext: stored.encryptionContext },
          callerVia(caller, 's3', bucket.region),
        );
        plaintext = response.Plaintext as Uint8Array;
      } catch (error) {
        throw isKmsError(error) ? kmsFailure(error) : error;
      }
      const body = await openWithDataKey(plaintext, stored.sealed);
      return {
        Body: body,
        ContentLength: body.length,
        ETag: stored.etag,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: stored.keyArn,
      };
    },

    storedObject(bucket, key) {
      const stored = buckets.get(bucket)?.objects.get(key);
      return (
        stored && {
          SSEKMSKeyId: stored.keyArn,
          EncryptionContext: { ...stored.encryptionContext },
          EncryptedDataKey: stored.encryptedDataKey.slice(),
          Iv: stored.sealed.iv.slice(),
          Ciphertext: stored.sealed.ciphertext.slice(),
        }
      );
    },

    snapshot: () => ({
      version: 1,
      buckets: structuredClone([...buckets.values()].map((b) => ({ ...b, objects: [...b.objects] }))),
    }),

    restore(snapshot) {
      if (snapshot?.version !== 1) throw new Error('Unknown S3 snapshot version.');
      buckets.clear();
      for (const bucket of structuredClone(snapshot.buckets))
        buckets.set(bucket.name, { ...bucket, objects: new Map(bucket.objects) });
    },
  };
}
