/**
 * The algorithm suites of the AWS Encryption SDK (ESDK Developer Guide, "Supported algorithm suites" and "Algorithms
 * reference"; facts §4.2). Every suite uses AES-GCM with a 12-byte IV and a 16-byte tag. Format 1 suites do not
 * commit to their key; the two format 2 suites derive the content key with HKDF-SHA512 and store a 32-byte key
 * commitment in the header. 0x0578 (committing, signed with ECDSA P-384) is the default of ESDK 2.x and later.
 */
export type SuiteId =
  0x0014 | 0x0046 | 0x0078 | 0x0114 | 0x0146 | 0x0178 | 0x0214 | 0x0346 | 0x0378 | 0x0478 | 0x0578;

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
/** The hashes the footer signatures use. */
export type SignatureHash = 'SHA-256' | 'SHA-384';
export type Curve = 'P-256' | 'P-384';

export interface Suite {
  id: SuiteId;
  /** The ESDK's name for it, e.g. ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384. */
  name: string;
  messageFormat: 1 | 2;
  /** Data key and content key length in bytes (16, 24 or 32). */
  keyLength: number;
  /** The key derivation hash; undefined for the three "identity KDF" suites that use the data key directly. */
  kdfHash?: HashName;
  /** True for the format 2 suites: the header carries a key commitment and the IVs of the header are zero. */
  committing: boolean;
  /** The footer signature, for signed suites. */
  signature?: { curve: Curve; hash: SignatureHash };
  ivLength: 12;
  tagLength: 16;
  /** Message ID length: 16 bytes in format 1, 32 in format 2 (where it is the HKDF salt). */
  messageIdLength: 16 | 32;
  /** Algorithm suite data in a format 2 header: the 32-byte commitment key. */
  suiteDataLength: 0 | 32;
}

const suite = (
  id: SuiteId,
  name: string,
  keyLength: number,
  kdfHash?: HashName,
  signature?: Suite['signature'],
): Suite => {
  const committing = id === 0x0478 || id === 0x0578;
  return {
    id,
    name,
    messageFormat: committing ? 2 : 1,
    keyLength,
    kdfHash,
    committing,
    signature,
    ivLength: 12,
    tagLength: 16,
    messageIdLength: committing ? 32 : 16,
    suiteDataLength: committing ? 32 : 0,
  };
};

const P256 = { curve: 'P-256', hash: 'SHA-256' } as const;
const P384 = { curve: 'P-384', hash: 'SHA-384' } as const;

export const SUITES: Readonly<Record<SuiteId, Suite>> = {
  0x0014: suite(0x0014, 'ALG_AES128_GCM_IV12_TAG16', 16),
  0x0046: suite(0x0046, 'ALG_AES192_GCM_IV12_TAG16', 24),
  0x0078: suite(0x0078, 'ALG_AES256_GCM_IV12_TAG16', 32),
  0x0114: suite(0x0114, 'ALG_AES128_GCM_IV12_TAG16_HKDF_SHA256', 16, 'SHA-256'),
  0x0146: suite(0x0146, 'ALG_AES192_GCM_IV12_TAG16_HKDF_SHA256', 24, 'SHA-256'),
  0x0178: suite(0x0178, 'ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256', 32, 'SHA-256'),
  0x0214: suite(0x0214, 'ALG_AES128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256', 16, 'SHA-256', P256),
  0x0346: suite(0x0346, 'ALG_AES192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384', 24, 'SHA-384', P384),
  0x0378: suite(0x0378, 'ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384', 32, 'SHA-384', P384),
  0x0478: suite(0x0478, 'ALG_AES256_GCM_HKDF_SHA512_COMMIT_KEY', 32, 'SHA-512'),
  0x0578: suite(0x0578, 'ALG_AES256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384', 32, 'SHA-512', P384),
};

export const SUITE_IDS = Object.keys(SUITES).map(Number) as SuiteId[];

/** The default suite of ESDK 2.x and later (ESDK Developer Guide, "Supported algorithm suites"). */
export const DEFAULT_SUITE: SuiteId = 0x0578;

export const suiteOf = (id: number): Suite | undefined => SUITES[id as SuiteId];

/** "0x0578", the way the ESDK documentation writes suite ids. */
export const suiteHex = (id: number) => `0x${id.toString(16).padStart(4, '0')}`;
