/**
 * The request members of every operation the simulator serves, with the AWS API model's constraints (facts §2.2,
 * botocore kms 2014-11-01): type, required, length or value range, enum. `validate.ts` turns a violation into
 * AWS's ValidationException text.
 */

export type MemberShape =
  | { type: 'string'; min?: number; max?: number; enum?: string[]; pattern?: string }
  | { type: 'blob'; min?: number; max?: number }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | { type: 'map'; key?: MemberShape; value?: MemberShape; max?: number }
  | { type: 'list'; member: MemberShape; min?: number; max?: number }
  | { type: 'structure'; members: Record<string, Member> };

export type Member = MemberShape & { required?: boolean };

const str = (min: number, max: number, extra: Partial<{ enum: string[]; pattern: string }> = {}): Member => ({
  type: 'string',
  min,
  max,
  ...extra,
});
const req = (member: Member): Member => ({ ...member, required: true });
const blob = (min: number, max: number): Member => ({ type: 'blob', min, max });
const int = (min: number, max: number): Member => ({ type: 'integer', min, max });
const bool: Member = { type: 'boolean' };
const timestamp: Member = { type: 'timestamp' };
const enumOf = (...values: string[]): Member => ({ type: 'string', enum: values });

export const KEY_SPEC_ENUM = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ECC_NIST_EDWARDS25519',
];
const CUSTOMER_MASTER_KEY_SPEC_ENUM = KEY_SPEC_ENUM.slice(0, 13);
const KEY_USAGE = enumOf('SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT');
const ENCRYPTION_ALGORITHM = enumOf('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE');
const SIGNING_ALGORITHM = enumOf(
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
);
// The order AWS prints this set in (conformance generatemac-unknown-algorithm).
const MAC_ALGORITHM = enumOf('HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512');
const MESSAGE_TYPE = enumOf('RAW', 'DIGEST', 'EXTERNAL_MU');
const DATA_KEY_PAIR_SPEC = enumOf(
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SM2',
  'ECC_NIST_EDWARDS25519',
);
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
];

const keyId = req(str(1, 2048));
const optionalKeyId = str(1, 2048);
const grantTokens: Member = { type: 'list', member: str(1, 8192), min: 0, max: 10 };
const encryptionContext: Member = { type: 'map' };
const tags: Member = {
  type: 'list',
  member: {
    type: 'structure',
    members: { TagKey: req(str(1, 128)), TagValue: req(str(0, 256)) },
  },
};
const recipient: Member = {
  type: 'structure',
  members: { KeyEncryptionAlgorithm: enumOf('RSAES_OAEP_SHA_256'), AttestationDocument: blob(1, 262144) },
};
const limit = int(1, 1000);
const marker = str(1, 1024, { pattern: '[\\u0020-\\u00FF]*' });
const dryRun = bool;
const dryRunModifiers: Member = { type: 'list', member: enumOf('IGNORE_CIPHERTEXT') };
const grantConstraints: Member = {
  type: 'structure',
  members: {
    EncryptionContextSubset: { type: 'map' },
    EncryptionContextEquals: { type: 'map' },
    SourceArn: str(1, 2048),
  },
};
const aliasName = str(1, 256, { pattern: '^[a-zA-Z0-9:/_-]+$' });
const keyMaterialId = str(64, 64);

export const OPERATIONS: Record<string, Record<string, Member>> = {
  CreateKey: {
    Policy: str(1, 131072),
    Description: str(0, 8192),
    KeyUsage: KEY_USAGE,
    CustomerMasterKeySpec: enumOf(...CUSTOMER_MASTER_KEY_SPEC_ENUM),
    KeySpec: enumOf(...KEY_SPEC_ENUM),
    Origin: enumOf('AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'),
    CustomKeyStoreId: str(1, 64),
    BypassPolicyLockoutSafetyCheck: bool,
    Tags: tags,
    MultiRegion: bool,
    XksKeyId: str(1, 128),
  },
  DescribeKey: { KeyId: keyId, GrantTokens: grantTokens },
  ListKeys: { Limit: limit, Marker: marker },
  UpdateKeyDescription: { KeyId: keyId, Description: req(str(0, 8192)) },
  EnableKey: { KeyId: keyId },
  DisableKey: { KeyId: keyId },
  ScheduleKeyDeletion: { KeyId: keyId, PendingWindowInDays: int(1, 365) },
  CancelKeyDeletion: { KeyId: keyId },
  EnableKeyRotation: { KeyId: keyId, RotationPeriodInDays: int(90, 2560) },
  DisableKeyRotation: { KeyId: keyId },
  GetKeyRotationStatus: { KeyId: keyId },
  RotateKeyOnDemand: { KeyId: keyId },
  ListKeyRotations: {
    KeyId: keyId,
    IncludeKeyMaterial: enumOf('ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'),
    Limit: limit,
    Marker: marker,
  },
  Encrypt: {
    KeyId: keyId,
    Plaintext: req(blob(1, 4096)),
    EncryptionContext: encryptionContext,
    GrantTokens: grantTokens,
    EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    DryRun: dryRun,
  },
  Decrypt: {
    CiphertextBlob: req(blob(1, 6144)),
    EncryptionContext: encryptionContext,
    GrantTokens: grantTokens,
    KeyId: optionalKeyId,
    EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    Recipient: recipient,
    DryRun: dryRun,
    DryRunModifiers: dryRunModifiers,
  },
  ReEncrypt: {
    CiphertextBlob: req(blob(1, 6144)),
    SourceEncryptionContext: encryptionContext,
    SourceKeyId: optionalKeyId,
    DestinationKeyId: keyId,
    DestinationEncryptionContext: encryptionContext,
    SourceEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    DestinationEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    GrantTokens: grantTokens,
    DryRun: dryRun,
    DryRunModifiers: dryRunModifiers,
  },
  GenerateDataKey: {
    KeyId: keyId,
    EncryptionContext: encryptionContext,
    NumberOfBytes: int(1, 1024),
    KeySpec: enumOf('AES_256', 'AES_128'),
    GrantTokens: grantTokens,
    Recipient: recipient,
    DryRun: dryRun,
  },
  GenerateDataKeyWithoutPlaintext: {
    KeyId: keyId,
    EncryptionContext: encryptionContext,
    KeySpec: enumOf('AES_256', 'AES_128'),
    NumberOfBytes: int(1, 1024),
    GrantTokens: grantTokens,
    DryRun: dryRun,
  },
  GenerateDataKeyPair: {
    EncryptionContext: encryptionContext,
    KeyId: keyId,
    KeyPairSpec: req(DATA_KEY_PAIR_SPEC),
    GrantTokens: grantTokens,
    Recipient: recipient,
    DryRun: dryRun,
  },
  GenerateDataKeyPairWithoutPlaintext: {
    EncryptionContext: encryptionContext,
    KeyId: keyId,
    KeyPairSpec: req(DATA_KEY_PAIR_SPEC),
    GrantTokens: grantTokens,
    DryRun: dryRun,
  },
  GenerateRandom: { NumberOfBytes: int(1, 1024), CustomKeyStoreId: str(1, 64), Recipient: recipient },
  Sign: {
    KeyId: keyId,
    Message: req(blob(1, 4096)),
    MessageType: MESSAGE_TYPE,
    GrantTokens: grantTokens,
    SigningAlgorithm: req(SIGNING_ALGORITHM),
    DryRun: dryRun,
  },
  Verify: {
    KeyId: keyId,
    Message: req(blob(1, 4096)),
    MessageType: MESSAGE_TYPE,
    Signature: req(blob(1, 6144)),
    SigningAlgorithm: req(SIGNING_ALGORITHM),
    GrantTokens: grantTokens,
    DryRun: dryRun,
  },
  GetPublicKey: { KeyId: keyId, GrantTokens: grantTokens },
  GenerateMac: {
    Message: req(blob(1, 4096)),
    KeyId: keyId,
    MacAlgorithm: req(MAC_ALGORITHM),
    GrantTokens: grantTokens,
    DryRun: dryRun,
  },
  VerifyMac: {
    Message: req(blob(1, 4096)),
    KeyId: keyId,
    MacAlgorithm: req(MAC_ALGORITHM),
    Mac: req(blob(1, 6144)),
    GrantTokens: grantTokens,
    DryRun: dryRun,
  },
  GetParametersForImport: {
    KeyId: keyId,
    WrappingAlgorithm: req(
      enumOf(
        'RSAES_PKCS1_V1_5',
        'RSAES_OAEP_SHA_1',
        'RSAES_OAEP_SHA_256',
        'RSA_AES_KEY_WRAP_SHA_1',
        'RSA_AES_KEY_WRAP_SHA_256',
        'SM2PKE',
      ),
    ),
    WrappingKeySpec: req(enumOf('RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2')),
  },
  ImportKeyMaterial: {
    KeyId: keyId,
    ImportToken: req(blob(1, 6144)),
    EncryptedKeyMaterial: req(blob(1, 6144)),
    ValidTo: timestamp,
    ExpirationModel: enumOf('KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'),
    ImportType: enumOf('NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'),
    KeyMaterialDescription: str(0, 256),
    KeyMaterialId: keyMaterialId,
  },
  DeleteImportedKeyMaterial: { KeyId: keyId, KeyMaterialId: keyMaterialId },
  CreateGrant: {
    KeyId: keyId,
    GranteePrincipal: str(1, 256),
    RetiringPrincipal: str(1, 256),
    Operations: req({ type: 'list', member: enumOf(...GRANT_OPERATIONS) }),
    Constraints: grantConstraints,
    GrantTokens: grantTokens,
    Name: str(1, 256, { pattern: '^[a-zA-Z0-9:/_-]+$' }),
    DryRun: dryRun,
    GranteeServicePrincipal: str(1, 128),
    RetiringServicePrincipal: str(1, 128),
  },
  ListGrants: {
    Limit: limit,
    Marker: marker,
    KeyId: keyId,
    GrantId: str(1, 128),
    GranteePrincipal: str(1, 256),
    GranteeServicePrincipal: str(1, 128),
  },
  ListRetirableGrants: { Limit: limit, Marker: marker, RetiringPrincipal: req(str(1, 256)) },
  RetireGrant: { GrantToken: str(1, 8192), KeyId: optionalKeyId, GrantId: str(1, 128), DryRun: dryRun },
  RevokeGrant: { KeyId: keyId, GrantId: req(str(1, 128)), DryRun: dryRun },
  GetKeyPolicy: { KeyId: keyId, PolicyName: str(1, 128, { pattern: '[\\w]+' }) },
  PutKeyPolicy: {
    KeyId: keyId,
    PolicyName: str(1, 128, { pattern: '[\\w]+' }),
    Policy: req(str(1, 131072)),
    BypassPolicyLockoutSafetyCheck: bool,
  },
  ListKeyPolicies: { KeyId: keyId, Limit: limit, Marker: marker },
  CreateAlias: { AliasName: req(aliasName), TargetKeyId: keyId },
  UpdateAlias: { AliasName: req(aliasName), TargetKeyId: keyId },
  DeleteAlias: { AliasName: req(aliasName) },
  ListAliases: { KeyId: optionalKeyId, Limit: limit, Marker: marker },
  TagResource: { KeyId: keyId, Tags: req(tags) },
  UntagResource: { KeyId: keyId, TagKeys: req({ type: 'list', member: str(1, 128) }) },
  ListResourceTags: { KeyId: keyId, Limit: limit, Marker: marker },
};
