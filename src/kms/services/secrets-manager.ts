/**
 * A small simulated AWS Secrets Manager over the simulated KMS, to teach kms:ViaService and the encryption context
 * (Secrets Manager user guide "Secret encryption and decryption", KMS developer guide "How AWS Secrets Manager uses
 * AWS KMS"): CreateSecret, PutSecretValue and GetSecretValue.
 *
 * Each secret value is encrypted outside KMS with a fresh 256-bit data key from GenerateDataKey, and the encrypted
 * data key is kept with it; GetSecretValue has KMS Decrypt it. Both KMS calls are made as the caller via
 * `secretsmanager.<region>.amazonaws.com` with the encryption context `{SecretARN, SecretVersionId}`, so the key
 * policy, IAM, grants and the trail see them as AWS's do. The caller also needs the Secrets Manager action itself in
 * IAM (`secretsmanager:GetSecretValue` on the secret), decided by the engine.
 *
 * Not modelled [lab choice]: secret resource policies and cross-account secrets, rotation, replication, the other
 * operations, the key-access validation calls Secrets Manager makes when a secret's key changes
 * (`SecretVersionId: RequestToValidateKeyAccess`). Secrets live in memory; `snapshot()` copies them (values stay
 * sealed under their data keys, as Secrets Manager stores them) for the tab to keep beside the KMS snapshot.
 */
import { accountOfPrincipal } from '../identity';
import { isKmsError, type KmsError } from '../errors';
import type { Kms } from '../kms';
import { equalBytes, utf8 } from '../bytes';
import { partitionOf } from '../kms-state';
import { awsManagedKeySpec } from './aws-managed-keys';
import { openWithDataKey, sealWithDataKey, type Sealed } from './data-key';
import { ServiceError } from './errors';
import { authorizeServiceAction, callerVia, type ServiceCaller } from './service-caller';

export interface CreateSecretRequest {
  Name: string;
  /** Key id, key ARN, alias name or alias ARN; default the AWS managed key `alias/aws/secretsmanager`. */
  KmsKeyId?: string;
  SecretString?: string;
  SecretBinary?: Uint8Array;
  /** Becomes the first version's id. */
  ClientRequestToken?: string;
}

export interface CreateSecretResponse {
  ARN: string;
  Name: string;
  /** Present when the request had a value. */
  VersionId?: string;
}

export interface PutSecretValueRequest {
  /** The secret's name or ARN. */
  SecretId: string;
  SecretString?: string;
  SecretBinary?: Uint8Array;
  ClientRequestToken?: string;
}

export interface PutSecretValueResponse {
  ARN: string;
  Name: string;
  VersionId: string;
  VersionStages: string[];
}

export interface GetSecretValueRequest {
  SecretId: string;
  VersionId?: string;
  /** Default AWSCURRENT. */
  VersionStage?: string;
}

export interface GetSecretValueResponse {
  ARN: string;
  Name: string;
  VersionId: string;
  SecretString?: string;
  SecretBinary?: Uint8Array;
  VersionStages: string[];
  CreatedDate: Date;
}

export interface SecretsManager {
  createSecret(request: CreateSecretRequest, caller: ServiceCaller): Promise<CreateSecretResponse>;
  putSecretValue(request: PutSecretValueRequest, caller: ServiceCaller): Promise<PutSecretValueResponse>;
  getSecretValue(request: GetSecretValueRequest, caller: ServiceCaller): Promise<GetSecretValueResponse>;
  /** Every secret as stored (encrypted data keys and sealed values), structured-clonable; no KMS call. */
  snapshot(): SecretsManagerSnapshot;
  /** Replaces every secret with a snapshot's; throws on an unknown snapshot version. */
  restore(snapshot: SecretsManagerSnapshot): void;
}

export interface SecretsManagerSnapshot {
  version: 1;
  secrets: Secret[];
}

export interface SecretVersion {
  id: string;
  stages: string[];
  created: number;
  /** The data key as GenerateDataKey encrypted it (CiphertextBlob). */
  encryptedDataKey: Uint8Array;
  sealed: Sealed;
  binary: boolean;
}

export interface Secret {
  arn: string;
  name: string;
  account: string;
  region: string;
  /** As the caller gave it; absent for the AWS managed key. */
  kmsKeyId?: string;
  versions: SecretVersion[];
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const MANAGED_KEY_ALIAS = 'alias/aws/secretsmanager';
/** API CreateSecret, Name: 1–512 characters of ASCII letters, digits and /_+=.@- */
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** API CreateSecret, ClientRequestToken: 32–64 characters. */
const TOKEN = /^[A-Za-z0-9-]{32,64}$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const smError = (code: string, message: string) => new ServiceError('secretsmanager', code, message);
const invalid = (message: string) => smError('InvalidParameterException', message);
const NOT_FOUND = () =>
  smError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** A secret's ARN ends in a hyphen and six random characters (Secrets Manager "Secret ARN"). */
function secretArn(region: string, account: string, name: string): string {
  const random = globalThis.crypto.getRandomValues(new Uint8Array(6));
  let suffix = '';
  for (const byte of random) suffix += SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length];
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

/**
 * What Secrets Manager answers when its KMS call fails: a KMS denial is AccessDeniedException "Access to KMS is not
 * allowed" (AWS's answer in public reports); any other KMS failure is EncryptionFailure or DecryptionFailure with
 * the API reference's description [lab choice: AWS's exact answer per KMS exception is not documented].
 */
function kmsFailure(error: KmsError, writing: boolean): ServiceError {
  if (error.type === 'AccessDeniedException')
    return smError('AccessDeniedException', 'Access to KMS is not allowed');
  return writing
    ? smError(
        'EncryptionFailure',
        "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
      )
    : smError(
        'DecryptionFailure',
        "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
      );
}

function secretValue(request: { SecretString?: string; SecretBinary?: Uint8Array }): {
  bytes: Uint8Array;
  binary: boolean;
} {
  if (request.SecretString !== undefined && request.SecretBinary !== undefined)
    // The lab's own text.
    throw invalid(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  if (request.SecretString !== undefined) {
    if (typeof request.SecretString !== 'string') throw invalid('SecretString must be a string.');
    return { bytes: utf8(request.SecretString), binary: false };
  }
  if (!(request.SecretBinary instanceof Uint8Array)) throw invalid('SecretBinary must be bytes.');
  return { bytes: request.SecretBinary.slice(), binary: true };
}

const hasValue = (request: { SecretString?: string; SecretBinary?: Uint8Array }) =>
  request.SecretString !== undefined || request.SecretBinary !== undefined;

function versionToken(token: string | undefined): string {
  if (token === undefined) return globalThis.crypto.randomUUID();
  if (typeof token !== 'string' || !TOKEN.test(token))
    throw invalid('ClientRequestToken must be 32 to 64 letters, digits or hyphens.');
  return token;
}

export function createSecretsManager(kms: Kms): SecretsManager {
  /** By ARN. */
  const secrets = new Map<string, Secret>();

  const regionOf = (caller: ServiceCaller) => caller.region ?? kms.region;

  /** A secret of the caller's account and Region, by name or full ARN. */
  function find(secretId: string, caller: ServiceCaller): Secret | undefined {
    const account = accountOfPrincipal(caller.principalArn);
    const region = regionOf(caller);
    for (const secret of secrets.values())
      if (
        secret.account === account &&
        secret.region === region &&
        (secret.name === secretId || secret.arn === secretId)
      )
        return secret;
    return undefined;
  }

  /** The resource IAM decides on: the secret's ARN, or for an unknown name the ARN it would have without a suffix. */
  function resourceOf(secretId: string, secret: Secret | undefined, caller: ServiceCaller): string {
    if (secret) return secret.arn;
    if (secretId.startsWith('arn:')) return secretId;
    const region = regionOf(caller);
    return `arn:${partitionOf(region)}:secretsmanager:${region}:${accountOfPrincipal(caller.principalArn)}:secret:${secretId}`;
  }

  const authorize = (caller: ServiceCaller, action: string, resource: string) =>
    authorizeServiceAction(kms, 'secretsmanager', caller, action, resource, 'AccessDeniedException');

  async function keyIdFor(secret: Secret): Promise<string> {
    if (secret.kmsKeyId !== undefined) return secret.kmsKeyId;
    // "If you choose the AWS managed key aws/secretsmanager and it doesn't already exist, Secrets Manager creates it."
    await kms.integration.awsManagedKey(awsManagedKeySpec('secretsmanager', secret.account, secret.region));
    return MANAGED_KEY_ALIAS;
  }

  const encryptionContext = (secret: Secret, versionId: string) => ({
    SecretARN: secret.arn,
    SecretVersionId: versionId,
  });

  /** GenerateDataKey via Secrets Manager, then the value sealed under the data key outside KMS. */
  async function encryptValue(
    secret: Secret,
    versionId: string,
    value: { bytes: Uint8Array; binary: boolean },
    caller: ServiceCaller,
  ): Promise<SecretVersion> {
    const keyId = await keyIdFor(secret);
    let dataKey: { Plaintext: Uint8Array; CiphertextBlob: Uint8Array };
    try {
      dataKey = (await kms.call(
        'GenerateDataKey',
        { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext(secret, versionId) },
        callerVia(caller, 'secretsmanager', secret.region),
      )) as typeof dataKey;
    } catch (error) {
      throw isKmsError(error) ? kmsFailure(error, true) : error;
    }
    const sealed = await sealWithDataKey(dataKey.Plaintext, value.bytes);
    value.bytes.fill(0);
    return {
      id: versionId,
      stages: [CURRENT],
      created: kms.clock.now().getTime(),
      encryptedDataKey: dataKey.CiphertextBlob,
      sealed,
      binary: value.binary,
    };
  }

  /** Decrypt via Secrets Manager (no KeyId: KMS finds the key in the blob, as Secrets Manager's calls show). */
  async function decryptValue(
    secret: Secret,
    version: SecretVersion,
    caller: ServiceCaller,
  ): Promise<Uint8Array> {
    let plaintext: Uint8Array;
    try {
      const response = await kms.call(
        'Decrypt',
        {
          CiphertextBlob: version.encryptedDataKey,
          EncryptionContext: encryptionContext(secret, version.id),
        },
        callerVia(caller, 'secretsmanager', secret.region),
      );
      plaintext = response.Plaintext as Uint8Array;
    } catch (error) {
      throw isKmsError(error) ? kmsFailure(error, false) : error;
    }
    return openWithDataKey(plaintext, version.sealed);
  }

  /** The new version becomes AWSCURRENT, the current one AWSPREVIOUS; the label moves off the one before. */
  function makeCurrent(secret: Secret, version: SecretVersion): void {
    for (const other of secret.versions) {
      other.stages = other.stages.filter((stage) => stage !== PREVIOUS);
      if (other.stages.includes(CURRENT))
        other.stages = [...other.stages.filter((stage) => stage !== CURRENT), PREVIOUS];
    }
    secret.versions.push(version);
  }

  return {
    async createSecret(request, caller) {
      const name = request?.Name;
      if (typeof name !== 'string' || !NAME.test(name))
        throw invalid(
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      const region = regionOf(caller);
      const account = accountOfPrincipal(caller.principalArn);
      const existing = find(name, caller);
      const secret: Secret = {
        arn: existing?.arn ?? secretArn(region, account, name),
        name,
        account,
        region,
        ...(request.KmsKeyId !== undefined && request.KmsKeyId !== '' ? { kmsKeyId: request.KmsKeyId } : {}),
        versions: [],
      };
      await authorize(caller, 'secretsmanager:CreateSecret', secret.arn);
      const taken = () =>
        smError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      if (existing) throw taken();
      let versionId: string | undefined;
      if (hasValue(request)) {
        versionId = versionToken(request.ClientRequestToken);
        secret.versions.push(await encryptValue(secret, versionId, secretValue(request), caller));
      }
      if (find(name, caller)) throw taken(); // created meanwhile
      secrets.set(secret.arn, secret);
      return { ARN: secret.arn, Name: name, ...(versionId ? { VersionId: versionId } : {}) };
    },

    async putSecretValue(request, caller) {
      const secretId = request?.SecretId;
      if (typeof secretId !== 'string' || secretId === '') throw invalid('SecretId is required.');
      const secret = find(secretId, caller);
      await authorize(caller, 'secretsmanager:PutSecretValue', resourceOf(secretId, secret, caller));
      if (!secret) throw NOT_FOUND();
      if (!hasValue(request))
        // The lab's own text.
        throw smError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
      const value = secretValue(request);
      const versionId = versionToken(request.ClientRequestToken);
      const same = secret.versions.find((v) => v.id === versionId);
      if (same) {
        // API PutSecretValue: a retry with the same token and value changes nothing; Secrets Manager decrypts the
        // stored value to compare ("How Secrets Manager uses your KMS key").
        const stored = await decryptValue(secret, same, caller);
        if (same.binary === value.binary && equalBytes(stored, value.bytes))
          return { ARN: secret.arn, Name: secret.name, VersionId: same.id, VersionStages: [...same.stages] };
        throw smError(
          'ResourceExistsException',
          "You can't modify an existing version, you can only create new versions.",
        );
      }
      const version = await encryptValue(secret, versionId, value, caller);
      makeCurrent(secret, version);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        VersionStages: [...version.stages],
      };
    },

    async getSecretValue(request, caller) {
      const secretId = request?.SecretId;
      if (typeof secretId !== 'string' || secretId === '') throw invalid('SecretId is required.');
      const secret = find(secretId, caller);
      await authorize(caller, 'secretsmanager:GetSecretValue', resourceOf(secretId, secret, caller));
      if (!secret) throw NOT_FOUND();
      const stage = request.VersionStage ?? (request.VersionId === undefined ? CURRENT : undefined);
      const version = secret.versions.find(
        (v) =>
          (request.VersionId === undefined || v.id === request.VersionId) &&
          (stage === undefined || v.stages.includes(stage)),
      );
      if (!version)
        throw smError(
          'ResourceNotFoundException',
          request.VersionId !== undefined
            ? `Secrets Manager can't find the specified secret value for VersionId: ${request.VersionId}`
            : `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        );
      const bytes = await decryptValue(secret, version, caller);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        ...(version.binary ? { SecretBinary: bytes } : { SecretString: new TextDecoder().decode(bytes) }),
        VersionStages: [...version.stages],
        CreatedDate: new Date(version.created),
      };
    },

    snapshot: () => ({ version: 1, secrets: structuredClone([...secrets.values()]) }),

    restore(snapshot) {
      if (snapshot?.version !== 1) throw new Error('Unknown Secrets Manager snapshot version.');
      secrets.clear();
      for (const secret of structuredClone(snapshot.secrets)) secrets.set(secret.arn, secret);
    },
  };
}
