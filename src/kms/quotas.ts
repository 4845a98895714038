/**
 * Request quotas (developer guide "Request quotas"; AWS General Reference "AWS Key Management Service endpoints
 * and quotas"): off unless `createKms({ quotas })` asks for them. Each quota counts the requests of one account in
 * one Region per one-second interval of the lab clock (so a learner sees throttling until the clock moves); a
 * request over it fails with ThrottlingException and AWS's text, and is recorded in CloudTrail like any failure.
 *
 * - The cryptographic operations share one quota per key type: symmetric (which HMAC keys and GenerateRandom use
 *   too), RSA, ECC. GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share a quota per KeyPairSpec
 *   instead. Every other operation has its own quota.
 * - "For cross-account requests, AWS KMS throttles the account that makes the requests": the caller's account.
 * - Quotas under one per second allow one request in each 1/rate-second interval ("0.25 (1 in each 4-second
 *   interval)").
 * Choices where the pages say nothing: a request counts before it is validated or authorized (throttling comes
 * first, so invalid and denied requests count too); ReEncrypt counts against its destination key's type; a
 * request whose key cannot be resolved counts as symmetric; RotateKeyOnDemand and ListKeyRotations (not in the
 * published table) are not throttled.
 */
import { KmsError } from './errors';

/** ThrottlingException's message (developer guide "Request quotas"; KMS's JSON answer as SDK users report it). */
export const THROTTLING_MESSAGE =
  'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

export const SYMMETRIC_QUOTA = 'Cryptographic operations (symmetric) request rate';
const RSA_QUOTA = 'Cryptographic operations (RSA) request rate';
const ECC_QUOTA = 'Cryptographic operations (ECC) request rate';

/**
 * The symmetric quota by Region: 10,000 by default, 20,000 in six Regions (developer guide), 100,000 in the three
 * largest (General Reference; Service Quotas shows 100,000 in us-east-1).
 */
const SYMMETRIC_BY_REGION: Readonly<Record<string, number>> = {
  'us-east-1': 100_000,
  'us-west-2': 100_000,
  'eu-west-1': 100_000,
  'us-east-2': 20_000,
  'ap-southeast-1': 20_000,
  'ap-southeast-2': 20_000,
  'ap-northeast-1': 20_000,
  'eu-central-1': 20_000,
  'eu-west-2': 20_000,
};

/** AWS's default request quotas other than the symmetric one, in requests per second, by Service Quotas name. */
const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  [RSA_QUOTA]: 500,
  [ECC_QUOTA]: 300,
  'CancelKeyDeletion request rate': 5,
  'CreateAlias request rate': 5,
  'CreateGrant request rate': 50,
  'CreateKey request rate': 5,
  'DeleteAlias request rate': 15,
  'DeleteImportedKeyMaterial request rate': 5,
  'DescribeKey request rate': 2000,
  'DisableKey request rate': 5,
  'DisableKeyRotation request rate': 5,
  'EnableKey request rate': 5,
  'EnableKeyRotation request rate': 15,
  'GenerateDataKeyPair (ECC_NIST_P256) request rate': 25,
  'GenerateDataKeyPair (ECC_NIST_P384) request rate': 10,
  'GenerateDataKeyPair (ECC_NIST_P521) request rate': 5,
  'GenerateDataKeyPair (ECC_SECG_P256K1) request rate': 25,
  'GenerateDataKeyPair (RSA_2048) request rate': 1,
  'GenerateDataKeyPair (RSA_3072) request rate': 0.5,
  'GenerateDataKeyPair (RSA_4096) request rate': 0.1,
  'GetKeyPolicy request rate': 1000,
  'GetKeyRotationStatus request rate': 1000,
  'GetParametersForImport request rate': 0.25,
  'GetPublicKey request rate': 2000,
  'ImportKeyMaterial request rate': 5,
  'ListAliases request rate': 500,
  'ListGrants request rate': 100,
  'ListKeyPolicies request rate': 100,
  'ListKeys request rate': 500,
  'ListResourceTags request rate': 2000,
  'ListRetirableGrants request rate': 100,
  'PutKeyPolicy request rate': 15,
  'RetireGrant request rate': 30,
  'RevokeGrant request rate': 30,
  'ScheduleKeyDeletion request rate': 15,
  'TagResource request rate': 10,
  'UntagResource request rate': 5,
  'UpdateAlias request rate': 5,
  'UpdateKeyDescription request rate': 5,
};

/** AWS's default quotas in a Region (requests per second, by Service Quotas name). */
export function defaultQuotas(region: string): Record<string, number> {
  return { [SYMMETRIC_QUOTA]: SYMMETRIC_BY_REGION[region] ?? 10_000, ...DEFAULT_QUOTAS };
}

/** The operations that share the quota of their key's type (developer guide "Shared quotas for cryptographic operations"). */
const CRYPTOGRAPHIC = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GenerateRandom',
  'ReEncrypt',
  'VerifyMac',
  'Sign',
  'Verify',
]);

/**
 * The quota a request counts against. `keySpecOf` resolves a KeyId as written to its key's spec (undefined when
 * it names no key).
 */
export function quotaOf(
  operation: string,
  request: Record<string, unknown>,
  keySpecOf: (written: string) => string | undefined,
): string {
  if (operation === 'GenerateDataKeyPair' || operation === 'GenerateDataKeyPairWithoutPlaintext')
    return `GenerateDataKeyPair (${String(request.KeyPairSpec)}) request rate`;
  if (!CRYPTOGRAPHIC.has(operation)) return `${operation} request rate`;
  const written = operation === 'ReEncrypt' ? request.DestinationKeyId : request.KeyId;
  const keySpec = typeof written === 'string' ? keySpecOf(written) : undefined;
  if (keySpec?.startsWith('RSA_')) return RSA_QUOTA;
  if (keySpec?.startsWith('ECC_')) return ECC_QUOTA;
  return SYMMETRIC_QUOTA;
}

/** The quotas of one KMS: which limits apply, and what each account has used in the current interval. */
export class RequestQuotas {
  private readonly used = new Map<string, { interval: number; count: number }>();
  private readonly limitsByRegion = new Map<string, Record<string, number>>();

  /** `overrides` change AWS's defaults by Service Quotas name, in every Region (an unknown name throws). */
  constructor(private readonly overrides: Readonly<Record<string, number>> = {}) {
    const known = defaultQuotas('us-east-1');
    for (const [name, value] of Object.entries(overrides)) {
      if (!Object.hasOwn(known, name))
        throw new KmsError(
          'ValidationException',
          `Unknown KMS request quota "${name}" in createKms({ quotas }).`,
        );
      if (!(typeof value === 'number' && value > 0))
        throw new KmsError(
          'ValidationException',
          `KMS request quota "${name}" must be a positive number of requests per second, not ${String(value)}.`,
        );
    }
  }

  private limitsIn(region: string): Record<string, number> {
    let limits = this.limitsByRegion.get(region);
    if (!limits) this.limitsByRegion.set(region, (limits = { ...defaultQuotas(region), ...this.overrides }));
    return limits;
  }

  /** Counts a request of `account` in `region` at lab time `now`; throws ThrottlingException when it is over. */
  admit(quota: string, account: string, region: string, now: number): void {
    const rate = this.limitsIn(region)[quota];
    if (rate === undefined) return;
    const intervalMs = rate >= 1 ? 1000 : Math.round(1000 / rate);
    const capacity = rate >= 1 ? Math.floor(rate) : 1;
    const interval = Math.floor(now / intervalMs);
    const key = `${account} ${region} ${quota}`;
    let entry = this.used.get(key);
    if (!entry || entry.interval !== interval) this.used.set(key, (entry = { interval, count: 0 }));
    if (entry.count >= capacity) throw new KmsError('ThrottlingException', THROTTLING_MESSAGE);
    entry.count++;
  }
}
