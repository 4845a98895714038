/**
 * The key-spec and algorithm tables of AWS KMS, as data. The core validates requests with them (which usages a
 * key spec allows, which algorithms a key of that spec and usage accepts, what DescribeKey and GetPublicKey list);
 * the HSM uses the same tables to pick its primitives. Sources: AWS KMS Developer Guide "Asymmetric key specs"
 * (RSA and ECC tables, OAEP plaintext limits, PSS salt = hash length), "HMAC keys in AWS KMS" (key spec → MAC
 * algorithm), API GetParametersForImport (wrapping algorithms per material), facts §2.4.
 */

export type SymmetricKeySpec = 'SYMMETRIC_DEFAULT';
export type RsaKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
export type EccKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export type HmacKeySpec = 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512';
/** The key specs this HSM implements (SM2, Ed25519 and ML-DSA are not implemented). */
export type KeySpec = SymmetricKeySpec | RsaKeySpec | EccKeySpec | HmacKeySpec;
/** GenerateDataKeyPair's KeyPairSpec values this HSM implements. */
export type DataKeyPairSpec = RsaKeySpec | EccKeySpec;
export type WrappingKeySpec = RsaKeySpec;

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
export type EncryptionAlgorithm = 'SYMMETRIC_DEFAULT' | 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';
export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512';
export type MacAlgorithm = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';
export type KeyAgreementAlgorithm = 'ECDH';
export type MessageType = 'RAW' | 'DIGEST';
export type WrappingAlgorithm =
  'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';

export type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Output length in bytes of each hash. */
export const HASH_BYTES: Readonly<Record<HashName, number>> = {
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

export type KeySpecInfo =
  | { family: 'symmetric'; usages: readonly KeyUsage[]; keyBytes: 32 }
  | { family: 'rsa'; usages: readonly KeyUsage[]; modulusBits: 2048 | 3072 | 4096 }
  | { family: 'ecc'; usages: readonly KeyUsage[]; curve: EccCurve }
  | { family: 'hmac'; usages: readonly KeyUsage[]; keyBytes: number; hash: HashName; blockBytes: number };

export type EccCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

/** "Asymmetric key specs": RSA keys encrypt or sign (not both); NIST curves sign or agree; secp256k1 only signs. */
export const KEY_SPECS: Readonly<Record<KeySpec, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'], keyBytes: 32 },
  RSA_2048: { family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], modulusBits: 2048 },
  RSA_3072: { family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], modulusBits: 3072 },
  RSA_4096: { family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], modulusBits: 4096 },
  ECC_NIST_P256: { family: 'ecc', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'P-256' },
  ECC_NIST_P384: { family: 'ecc', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'P-384' },
  ECC_NIST_P521: { family: 'ecc', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'P-521' },
  ECC_SECG_P256K1: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'secp256k1' },
  // Generated HMAC keys are as long as the spec's name says (HMAC_224: 28 bytes); the block size bounds imports.
  HMAC_224: {
    family: 'hmac',
    usages: ['GENERATE_VERIFY_MAC'],
    keyBytes: 28,
    hash: 'SHA-224',
    blockBytes: 64,
  },
  HMAC_256: {
    family: 'hmac',
    usages: ['GENERATE_VERIFY_MAC'],
    keyBytes: 32,
    hash: 'SHA-256',
    blockBytes: 64,
  },
  HMAC_384: {
    family: 'hmac',
    usages: ['GENERATE_VERIFY_MAC'],
    keyBytes: 48,
    hash: 'SHA-384',
    blockBytes: 128,
  },
  HMAC_512: {
    family: 'hmac',
    usages: ['GENERATE_VERIFY_MAC'],
    keyBytes: 64,
    hash: 'SHA-512',
    blockBytes: 128,
  },
};

export const isKeySpec = (value: unknown): value is KeySpec =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(KEY_SPECS, value);

export const DATA_KEY_PAIR_SPECS: readonly DataKeyPairSpec[] = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
];

export const WRAPPING_KEY_SPECS: readonly WrappingKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];

/** The hash inside each encryption, signing and MAC algorithm (OAEP and PSS use it for MGF1 too). */
export const ALGORITHM_HASH: Readonly<
  Record<Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'> | SigningAlgorithm | MacAlgorithm, HashName>
> = {
  RSAES_OAEP_SHA_1: 'SHA-1',
  RSAES_OAEP_SHA_256: 'SHA-256',
  RSASSA_PSS_SHA_256: 'SHA-256',
  RSASSA_PSS_SHA_384: 'SHA-384',
  RSASSA_PSS_SHA_512: 'SHA-512',
  RSASSA_PKCS1_V1_5_SHA_256: 'SHA-256',
  RSASSA_PKCS1_V1_5_SHA_384: 'SHA-384',
  RSASSA_PKCS1_V1_5_SHA_512: 'SHA-512',
  ECDSA_SHA_256: 'SHA-256',
  ECDSA_SHA_384: 'SHA-384',
  ECDSA_SHA_512: 'SHA-512',
  HMAC_SHA_224: 'SHA-224',
  HMAC_SHA_256: 'SHA-256',
  HMAC_SHA_384: 'SHA-384',
  HMAC_SHA_512: 'SHA-512',
};

/** Length a DIGEST message must have for each signing algorithm ("Digest is invalid length for algorithm …"). */
export const digestBytes = (algorithm: SigningAlgorithm): number => HASH_BYTES[ALGORITHM_HASH[algorithm]];

const RSA_SIGNING: readonly SigningAlgorithm[] = [
  // The order AWS lists them in GetPublicKey/DescribeKey responses (API GetPublicKey example).
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];

const ECDSA_BY_CURVE: Readonly<Record<EccCurve, SigningAlgorithm>> = {
  'P-256': 'ECDSA_SHA_256',
  'P-384': 'ECDSA_SHA_384',
  'P-521': 'ECDSA_SHA_512',
  secp256k1: 'ECDSA_SHA_256',
};

const MAC_BY_SPEC: Readonly<Record<HmacKeySpec, MacAlgorithm>> = {
  HMAC_224: 'HMAC_SHA_224',
  HMAC_256: 'HMAC_SHA_256',
  HMAC_384: 'HMAC_SHA_384',
  HMAC_512: 'HMAC_SHA_512',
};

/** What DescribeKey and GetPublicKey list for a key of this spec and usage (members absent when undefined). */
export interface KeyAlgorithms {
  EncryptionAlgorithms?: EncryptionAlgorithm[];
  SigningAlgorithms?: SigningAlgorithm[];
  MacAlgorithms?: MacAlgorithm[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithm[];
}

export function algorithmsFor(keySpec: KeySpec, keyUsage: KeyUsage): KeyAlgorithms {
  const info = KEY_SPECS[keySpec];
  if (!info.usages.includes(keyUsage)) return {};
  switch (keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return info.family === 'symmetric'
        ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }
        : { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
    case 'SIGN_VERIFY':
      return {
        SigningAlgorithms:
          info.family === 'rsa' ? [...RSA_SIGNING] : [ECDSA_BY_CURVE[(info as { curve: EccCurve }).curve]],
      };
    case 'GENERATE_VERIFY_MAC':
      return { MacAlgorithms: [MAC_BY_SPEC[keySpec as HmacKeySpec]] };
    case 'KEY_AGREEMENT':
      return { KeyAgreementAlgorithms: ['ECDH'] };
  }
}

export const signingAlgorithmsOf = (keySpec: KeySpec): readonly SigningAlgorithm[] =>
  algorithmsFor(keySpec, 'SIGN_VERIFY').SigningAlgorithms ?? [];

export const macAlgorithmOf = (keySpec: KeySpec): MacAlgorithm | undefined =>
  keySpec in MAC_BY_SPEC ? MAC_BY_SPEC[keySpec as HmacKeySpec] : undefined;

/**
 * Largest plaintext RSAES-OAEP can encrypt: k − 2·hLen − 2 ("Asymmetric key specs": RSA_2048 214/190,
 * RSA_3072 342/318, RSA_4096 470/446 for SHA-1/SHA-256).
 */
export function maxOaepPlaintextBytes(
  keySpec: RsaKeySpec,
  algorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256',
): number {
  const info = KEY_SPECS[keySpec] as { modulusBits: number };
  return info.modulusBits / 8 - 2 * HASH_BYTES[ALGORITHM_HASH[algorithm]] - 2;
}

/**
 * Which wrapping algorithms can carry which material (API GetParametersForImport): RSA private keys only with
 * RSA_AES_KEY_WRAP_*; everything else with any of the four. RSAES_OAEP with an RSA_2048 wrapping key cannot carry a
 * P-521 key (its PKCS#8 is longer than OAEP allows); that limit follows from the sizes and needs no rule here.
 */
export function wrappingAlgorithmAccepts(algorithm: WrappingAlgorithm, keySpec: KeySpec): boolean {
  if (KEY_SPECS[keySpec].family === 'rsa') return algorithm.startsWith('RSA_AES_KEY_WRAP_');
  return true;
}

/** The message AWS gives when an algorithm does not fit the key spec (conformance: GenerateMac HMAC_224). */
export const incompatibleAlgorithmMessage = (algorithm: string, keySpec: KeySpec): string =>
  `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`;
