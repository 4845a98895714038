/**
 * What the evaluator needs to know about each KMS operation: where it can be granted (PERM "Policy type"),
 * whether it may be used across accounts (XA, PERM "Cross-account use"), whether a grant may allow it (GR),
 * how the key state affects it (KS) and whether it changes an AWS managed key (§6).
 * Access levels and condition keys live in src/engine/data (H3a); this table holds only authorization facts.
 */

/** Key-state behaviour classes of the KS table (kms-authorization.md §5). */
export type KeyStateClass =
  | 'crypto' // Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, CreateGrant
  | 'asymmetric' // Sign, Verify, GenerateMac, VerifyMac, GetPublicKey, DeriveSharedSecret
  | 'any-state' // DescribeKey, GetKeyPolicy, PutKeyPolicy, ListGrants, … RetireGrant, RevokeGrant, DeleteAlias
  | 'enable-disable' // EnableKey, DisableKey
  | 'cancel-deletion' // CancelKeyDeletion
  | 'schedule-deletion' // ScheduleKeyDeletion
  | 'manage' // CreateAlias, TagResource, UntagResource, UpdateKeyDescription, …
  | 'update-alias' // UpdateAlias: only a target key pending deletion fails
  | 'rotation' // Enable/DisableKeyRotation, RotateKeyOnDemand
  | 'rotation-status' // GetKeyRotationStatus
  | 'import'; // GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial

export interface KmsOperation {
  /** The operation name as AWS spells it, e.g. `GenerateDataKey`. The IAM action is `kms:<name>`. */
  name: string;
  /** The IAM action, `kms:<name>`, and lower-cased (built once: the evaluator looks them up per statement). */
  action: string;
  actionLower: string;
  /**
   * `key`: authorized on one key (key policy, or IAM when delegated); `iam-only`: identity policies only,
   * resource "*" (BP); `alias`: IAM on the alias plus key permission on the key (AL); `retire`: the grant decides (GM).
   */
  kind: 'key' | 'iam-only' | 'alias' | 'retire';
  /** XA/PERM: may be called on a key in another account. */
  crossAccount: boolean;
  /** GR: may be one of a grant's operations. */
  grantable: boolean;
  /** KS class; undefined for operations that use no key. */
  keyState?: KeyStateClass;
  /** §6: fails on AWS managed keys whatever the policy says (lab rule). */
  mutatesKey: boolean;
  /** Takes an encryption context that grant constraints check (GC). */
  usesEncryptionContext: boolean;
}

function op(
  name: string,
  kind: KmsOperation['kind'],
  keyState: KeyStateClass | undefined,
  flags: { cross?: boolean; grant?: boolean; mutates?: boolean; ec?: boolean } = {},
): KmsOperation {
  return {
    name,
    action: `kms:${name}`,
    actionLower: `kms:${name}`.toLowerCase(),
    kind,
    keyState,
    crossAccount: flags.cross ?? false,
    grantable: flags.grant ?? false,
    mutatesKey: flags.mutates ?? false,
    usesEncryptionContext: flags.ec ?? false,
  };
}

const CRYPTO = { cross: true, grant: true, ec: true };
const ASYM = { cross: true, grant: true };

/** Every KMS IAM action (PERM), in alphabetical order. `ReEncrypt` itself is an API, not an action (DEF). */
export const KMS_OPERATIONS: readonly KmsOperation[] = [
  op('CancelKeyDeletion', 'key', 'cancel-deletion', { mutates: true }),
  op('ConnectCustomKeyStore', 'iam-only', undefined),
  op('CreateAlias', 'alias', 'manage', { mutates: true }),
  op('CreateCustomKeyStore', 'iam-only', undefined),
  op('CreateGrant', 'key', 'crypto', { cross: true, grant: true, ec: true }),
  op('CreateKey', 'iam-only', undefined),
  op('Decrypt', 'key', 'crypto', CRYPTO),
  op('DeleteAlias', 'alias', 'any-state', { mutates: true }),
  op('DeleteCustomKeyStore', 'iam-only', undefined),
  op('DeleteImportedKeyMaterial', 'key', 'import', { mutates: true }),
  op('DeriveSharedSecret', 'key', 'asymmetric', ASYM),
  op('DescribeCustomKeyStores', 'iam-only', undefined),
  op('DescribeKey', 'key', 'any-state', { cross: true, grant: true }),
  op('DisableKey', 'key', 'enable-disable', { mutates: true }),
  op('DisableKeyRotation', 'key', 'rotation', { mutates: true }),
  op('DisconnectCustomKeyStore', 'iam-only', undefined),
  op('EnableKey', 'key', 'enable-disable', { mutates: true }),
  op('EnableKeyRotation', 'key', 'rotation', { mutates: true }),
  op('Encrypt', 'key', 'crypto', CRYPTO),
  op('GenerateDataKey', 'key', 'crypto', CRYPTO),
  op('GenerateDataKeyPair', 'key', 'crypto', CRYPTO),
  op('GenerateDataKeyPairWithoutPlaintext', 'key', 'crypto', CRYPTO),
  op('GenerateDataKeyWithoutPlaintext', 'key', 'crypto', CRYPTO),
  op('GenerateMac', 'key', 'asymmetric', ASYM),
  op('GenerateRandom', 'iam-only', undefined),
  op('GetKeyLastUsage', 'key', 'any-state'),
  op('GetKeyPolicy', 'key', 'any-state'),
  op('GetKeyRotationStatus', 'key', 'rotation-status', { cross: true }),
  op('GetParametersForImport', 'key', 'import'),
  op('GetPublicKey', 'key', 'asymmetric', { cross: true, grant: true }),
  op('ImportKeyMaterial', 'key', 'import', { mutates: true }),
  op('ListAliases', 'iam-only', undefined),
  op('ListGrants', 'key', 'any-state', { cross: true }),
  op('ListKeyPolicies', 'key', 'any-state'),
  op('ListKeyRotations', 'key', 'any-state'),
  op('ListKeys', 'iam-only', undefined),
  op('ListResourceTags', 'key', 'any-state'),
  op('ListRetirableGrants', 'iam-only', undefined),
  op('PutKeyPolicy', 'key', 'any-state', { mutates: true }),
  op('ReEncryptFrom', 'key', 'crypto', CRYPTO),
  op('ReEncryptTo', 'key', 'crypto', CRYPTO),
  op('ReplicateKey', 'key', 'manage', { mutates: true }),
  op('RetireGrant', 'retire', 'any-state', { cross: true, grant: true }),
  op('RevokeGrant', 'key', 'any-state', { cross: true }),
  op('RotateKeyOnDemand', 'key', 'rotation', { mutates: true }),
  op('ScheduleKeyDeletion', 'key', 'schedule-deletion', { mutates: true }),
  op('Sign', 'key', 'asymmetric', ASYM),
  op('SynchronizeMultiRegionKey', 'key', 'manage'),
  op('TagResource', 'key', 'manage', { mutates: true }),
  op('UntagResource', 'key', 'manage', { mutates: true }),
  op('UpdateAlias', 'alias', 'update-alias', { mutates: true }),
  op('UpdateCustomKeyStore', 'iam-only', undefined),
  op('UpdateKeyDescription', 'key', 'manage', { mutates: true }),
  op('UpdatePrimaryRegion', 'key', 'manage', { mutates: true }),
  op('Verify', 'key', 'asymmetric', ASYM),
  op('VerifyMac', 'key', 'asymmetric', ASYM),
];

const BY_LOWER_NAME = new Map(KMS_OPERATIONS.map((o) => [o.name.toLowerCase(), o]));

/** Looks up an operation by name or action, case-insensitively (`kms:decrypt`, `Decrypt`). */
export function kmsOperation(nameOrAction: string): KmsOperation | undefined {
  const lower = nameOrAction.toLowerCase();
  return BY_LOWER_NAME.get(lower.startsWith('kms:') ? lower.slice(4) : lower);
}

/** The IAM action of an operation, e.g. `kms:Decrypt`. */
export function actionOf(operation: KmsOperation): string {
  return operation.action;
}

/** The actions that make sense on a key of this spec and usage (KMS key-spec reference), for the access matrix. */
export function operationsForKeyType(
  keySpec: string,
  keyUsage: string,
  origin: string,
  multiRegion: boolean,
): KmsOperation[] {
  const symmetric = keySpec === 'SYMMETRIC_DEFAULT';
  const hmac = keySpec.startsWith('HMAC_');
  const usable = new Set<string>();
  if (keyUsage === 'ENCRYPT_DECRYPT') {
    ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo'].forEach((n) => usable.add(n));
    if (symmetric)
      [
        'GenerateDataKey',
        'GenerateDataKeyWithoutPlaintext',
        'GenerateDataKeyPair',
        'GenerateDataKeyPairWithoutPlaintext',
      ].forEach((n) => usable.add(n));
  } else if (keyUsage === 'SIGN_VERIFY') {
    ['Sign', 'Verify'].forEach((n) => usable.add(n));
  } else if (keyUsage === 'GENERATE_VERIFY_MAC') {
    ['GenerateMac', 'VerifyMac'].forEach((n) => usable.add(n));
  } else if (keyUsage === 'KEY_AGREEMENT') {
    usable.add('DeriveSharedSecret');
  }
  if (!symmetric && !hmac) usable.add('GetPublicKey');
  return KMS_OPERATIONS.filter((o) => {
    if (o.kind === 'iam-only') return false;
    if (o.keyState === 'crypto' && o.name !== 'CreateGrant') return usable.has(o.name);
    if (o.keyState === 'asymmetric') return usable.has(o.name);
    if (o.keyState === 'rotation' || o.keyState === 'rotation-status') return symmetric;
    if (o.keyState === 'import') return origin === 'EXTERNAL';
    if (
      o.name === 'ReplicateKey' ||
      o.name === 'UpdatePrimaryRegion' ||
      o.name === 'SynchronizeMultiRegionKey'
    )
      return multiRegion;
    return true;
  });
}
