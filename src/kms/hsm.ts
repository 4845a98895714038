/**
 * The HSM as the core sees it: key material lives inside, named by an opaque KeyMaterialId (64 hex characters, as
 * DescribeKey's CurrentKeyMaterialId shows it); the core only ever holds ids and blobs, as with AWS. The crypto
 * module (`crypto/`) provides the real one; `test-hsm.ts` is a small stand-in for tests.
 */

/** A key material id: 64 lowercase hex characters (API DescribeKey, KeyMetadata.CurrentKeyMaterialId). */
export type MaterialId = string;

export type EncryptionContext = Record<string, string>;

/** Why the HSM refused: the core turns each into the AWS exception of the operation. */
export type HsmErrorCode =
  /** The blob is not one of ours, was altered, or the encryption context differs (InvalidCiphertextException). */
  | 'InvalidCiphertext'
  /** The material id is unknown or its material was deleted. */
  | 'UnknownMaterial'
  /** Imported material that does not fit the key spec (IncorrectKeyMaterialException). */
  | 'IncorrectKeyMaterial'
  /** The HSM cannot do this (algorithm, spec or message type). */
  | 'Unsupported';

export class HsmError extends Error {
  constructor(
    readonly code: HsmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HsmError';
  }
}

export const isHsmError = (value: unknown): value is HsmError => value instanceof HsmError;

export interface DataKeyPair {
  /** PKCS#8 DER. */
  privateKey: Uint8Array;
  /** SubjectPublicKeyInfo DER. */
  publicKey: Uint8Array;
}

export interface Hsm {
  /** New key material for a KeySpec (SYMMETRIC_DEFAULT, RSA_*, ECC_*, HMAC_*). */
  generate(keySpec: string): Promise<MaterialId>;
  /** A wrapping key pair for GetParametersForImport (RSA_2048/3072/4096): its id and its public key (SPKI DER). */
  createWrappingKey(wrappingKeySpec: string): Promise<{ wrappingKeyId: string; publicKey: Uint8Array }>;
  /**
   * Unwraps imported key material with the wrapping key and keeps it. Importing the same material again gives the
   * same id (so the core can refuse different material). Throws `InvalidCiphertext` when it cannot be unwrapped and
   * `IncorrectKeyMaterial` when the material does not fit the key spec.
   */
  importMaterial(
    keySpec: string,
    wrappingKeyId: string,
    wrappingAlgorithm: string,
    encryptedMaterial: Uint8Array,
  ): Promise<MaterialId>;
  /** Forgets imported material (DeleteImportedKeyMaterial, expiry). */
  deleteMaterial(materialId: MaterialId): Promise<void>;
  /** Symmetric ciphertext blob under this material, bound to the exact encryption context. */
  encrypt(materialId: MaterialId, plaintext: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
  /** The material a symmetric blob was made with, from its header; undefined when the blob is not one of ours. */
  materialIdOf(blob: Uint8Array): MaterialId | undefined;
  decrypt(
    blob: Uint8Array,
    context: EncryptionContext,
  ): Promise<{ materialId: MaterialId; plaintext: Uint8Array }>;
  encryptAsymmetric(materialId: MaterialId, algorithm: string, plaintext: Uint8Array): Promise<Uint8Array>;
  decryptAsymmetric(materialId: MaterialId, algorithm: string, ciphertext: Uint8Array): Promise<Uint8Array>;
  /** `messageType` RAW (the HSM hashes) or DIGEST (the message is the hash). Signatures as AWS gives them (ECDSA DER). */
  sign(
    materialId: MaterialId,
    algorithm: string,
    messageType: string,
    message: Uint8Array,
  ): Promise<Uint8Array>;
  verify(
    materialId: MaterialId,
    algorithm: string,
    messageType: string,
    message: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>;
  /** SubjectPublicKeyInfo DER of an asymmetric material. */
  publicKey(materialId: MaterialId): Promise<Uint8Array>;
  generateMac(materialId: MaterialId, algorithm: string, message: Uint8Array): Promise<Uint8Array>;
  verifyMac(
    materialId: MaterialId,
    algorithm: string,
    message: Uint8Array,
    mac: Uint8Array,
  ): Promise<boolean>;
  /** A fresh key pair for GenerateDataKeyPair (RSA_*, ECC_* pair specs). */
  generateDataKeyPair(keyPairSpec: string): Promise<DataKeyPair>;
  random(numberOfBytes: number): Uint8Array;
  /** Every material, sealed; JSON-serialisable. */
  snapshot(): Promise<unknown>;
  restore(snapshot: unknown): Promise<void>;
}
