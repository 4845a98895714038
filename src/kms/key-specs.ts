/**
 * Key specs as data (facts §2.4, API CreateKey "KeySpec", developer guide "Key spec reference"): the key usages
 * each spec allows and the algorithms DescribeKey lists. The crypto module's `crypto/specs.ts` holds the same
 * facts for the HSM; when it lands, this table should read from it.
 */

export interface KeySpecInfo {
  usages: string[];
  encryption?: string[];
  signing?: string[];
  mac?: string[];
  keyAgreement?: string[];
}

const RSA: KeySpecInfo = {
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  signing: [
    'RSASSA_PSS_SHA_256',
    'RSASSA_PSS_SHA_384',
    'RSASSA_PSS_SHA_512',
    'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384',
    'RSASSA_PKCS1_V1_5_SHA_512',
  ],
};
const ecc = (signing: string, agreement: boolean): KeySpecInfo => ({
  usages: agreement ? ['SIGN_VERIFY', 'KEY_AGREEMENT'] : ['SIGN_VERIFY'],
  signing: [signing],
  keyAgreement: agreement ? ['ECDH'] : undefined,
});

/** The key specs the simulator creates keys with. */
export const KEY_SPECS: Record<string, KeySpecInfo> = {
  SYMMETRIC_DEFAULT: { usages: ['ENCRYPT_DECRYPT'], encryption: ['SYMMETRIC_DEFAULT'] },
  RSA_2048: RSA,
  RSA_3072: RSA,
  RSA_4096: RSA,
  ECC_NIST_P256: ecc('ECDSA_SHA_256', true),
  ECC_NIST_P384: ecc('ECDSA_SHA_384', true),
  ECC_NIST_P521: ecc('ECDSA_SHA_512', true),
  ECC_SECG_P256K1: ecc('ECDSA_SHA_256', false),
  HMAC_224: { usages: ['GENERATE_VERIFY_MAC'], mac: ['HMAC_SHA_224'] },
  HMAC_256: { usages: ['GENERATE_VERIFY_MAC'], mac: ['HMAC_SHA_256'] },
  HMAC_384: { usages: ['GENERATE_VERIFY_MAC'], mac: ['HMAC_SHA_384'] },
  HMAC_512: { usages: ['GENERATE_VERIFY_MAC'], mac: ['HMAC_SHA_512'] },
};

/** Largest RSA plaintext per spec and OAEP hash (API Encrypt, "Plaintext"). */
export const RSA_MAX_PLAINTEXT: Record<string, Record<string, number>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};

/** Digest length a DIGEST message must have, per signing algorithm (API Sign, "MessageType"). */
export function digestLength(signingAlgorithm: string): number | undefined {
  const bits = /_SHA_(256|384|512)$/.exec(signingAlgorithm)?.[1];
  return bits ? Number(bits) / 8 : undefined;
}

/** The key-pair specs GenerateDataKeyPair makes (API GenerateDataKeyPair, "KeyPairSpec"). */
export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
];

export const isSymmetricEncryption = (keySpec: string) => keySpec === 'SYMMETRIC_DEFAULT';
