/**
 * The HSM as the core sees it: key material lives inside, named by an opaque KeyMaterialId (64 hex characters, as
 * DescribeKey's CurrentKeyMaterialId shows it); the core only ever holds ids, blobs and public keys, as with AWS.
 * `createHsm` (crypto/hsm.ts) is the implementation: non-extractable WebCrypto keys, plain key bytes leave it only
 * sealed in a snapshot.
 *
 * Failures are KmsErrors with AWS's exception names and texts, so the core passes them on unchanged:
 * InvalidCiphertextException (empty message) for any ciphertext that does not open, IncorrectKeyMaterialException
 * for imported material that does not fit the key spec, ValidationException for a DIGEST of the wrong length or an
 * RSA plaintext over the OAEP limit, InvalidKeyUsageException for an algorithm the key spec does not support,
 * InvalidImportTokenException for an unknown wrapping key, KMSInternalException for an unknown material id (the
 * core never asks for one). A signature or MAC that does not check out is an answer (`false`), not a failure.
 */
import type { EncryptionContext } from './crypto/context';
import type { HsmSnapshot } from './crypto/snapshot';
import type {
  DataKeyPairSpec,
  EncryptionAlgorithm,
  KeySpec,
  MacAlgorithm,
  MessageType,
  SigningAlgorithm,
  WrappingAlgorithm,
  WrappingKeySpec,
} from './crypto/specs';

export type { EncryptionContext } from './crypto/context';
export type { HsmSnapshot } from './crypto/snapshot';

/** A KeyMaterialId: 64 lowercase hex characters (API RotationsListEntry: fixed length 64, ^[a-f0-9]+$). */
export type MaterialId = string;

/** The key that imported material belongs to: its spec, and its key id (part of the imported material's id). */
export interface ImportTarget {
  keySpec: KeySpec;
  keyId: string;
}

export interface WrappingKey {
  /** The HSM's handle for the wrapping key pair (the core keeps it with the import token). */
  wrappingId: string;
  /** The RSA public key as DER SubjectPublicKeyInfo (GetParametersForImport PublicKey). */
  publicKey: Uint8Array;
}

export interface DataKeyPair {
  /** PKCS#8 DER (GenerateDataKeyPair PrivateKeyPlaintext). */
  privateKey: Uint8Array;
  /** DER SubjectPublicKeyInfo (GenerateDataKeyPair PublicKey). */
  publicKey: Uint8Array;
}

export interface Hsm {
  /** New key material for a key spec (CreateKey, rotation); returns its random KeyMaterialId. */
  generate(keySpec: KeySpec): Promise<MaterialId>;
  /**
   * Stores imported plaintext material (32 bytes for SYMMETRIC_DEFAULT, raw HMAC key bytes, PKCS#8 DER for RSA and
   * EC keys). Its id is a hash of the key id and the material, so re-importing the same material into the same key
   * gives the same id and the core can refuse different material (IncorrectKeyMaterialException) by comparing ids.
   */
  importMaterial(target: ImportTarget, material: Uint8Array): Promise<MaterialId>;
  has(materialId: MaterialId): boolean;
  /** Forgets a key material or a wrapping key (DeleteImportedKeyMaterial, key deletion, refused imports). */
  destroy(id: string): void;

  /** SYMMETRIC_DEFAULT encryption: a blob naming the material, bound to the exact encryption context. */
  encrypt(
    materialId: MaterialId,
    plaintext: Uint8Array,
    encryptionContext?: EncryptionContext,
  ): Promise<Uint8Array>;
  /** The material a symmetric blob names, from its header; undefined when the blob cannot be one of ours. */
  materialIdOf(blob: Uint8Array): MaterialId | undefined;
  /** Opens a symmetric blob made with `materialId` (InvalidCiphertextException otherwise). */
  decrypt(
    materialId: MaterialId,
    blob: Uint8Array,
    encryptionContext?: EncryptionContext,
  ): Promise<Uint8Array>;
  encryptAsymmetric(
    materialId: MaterialId,
    algorithm: EncryptionAlgorithm,
    plaintext: Uint8Array,
  ): Promise<Uint8Array>;
  decryptAsymmetric(
    materialId: MaterialId,
    algorithm: EncryptionAlgorithm,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array>;

  /** RSA (PKCS#1 signature bytes) or ECDSA (DER) signature over a RAW message or a DIGEST the caller made. */
  sign(
    materialId: MaterialId,
    algorithm: SigningAlgorithm,
    message: Uint8Array,
    messageType: MessageType,
  ): Promise<Uint8Array>;
  /** Whether the signature is valid (malformed DER is simply invalid). */
  verify(
    materialId: MaterialId,
    algorithm: SigningAlgorithm,
    message: Uint8Array,
    messageType: MessageType,
    signature: Uint8Array,
  ): Promise<boolean>;
  /** DER SubjectPublicKeyInfo of an asymmetric material (GetPublicKey). */
  publicKey(materialId: MaterialId): Promise<Uint8Array>;
  /** A fresh key pair that the HSM does not keep (GenerateDataKeyPair; the core encrypts the private key). */
  generateDataKeyPair(keyPairSpec: DataKeyPairSpec): Promise<DataKeyPair>;

  generateMac(materialId: MaterialId, algorithm: MacAlgorithm, message: Uint8Array): Promise<Uint8Array>;
  /** Whether the MAC is right (compared in constant time). */
  verifyMac(
    materialId: MaterialId,
    algorithm: MacAlgorithm,
    message: Uint8Array,
    mac: Uint8Array,
  ): Promise<boolean>;
  /** GenerateRandom, data keys, grant ids and tokens. */
  random(numberOfBytes: number): Uint8Array;

  /** An RSA wrapping key pair for GetParametersForImport. */
  createWrappingKey(wrappingKeySpec: WrappingKeySpec): Promise<WrappingKey>;
  /** Unwraps EncryptedKeyMaterial (ImportKeyMaterial) and stores it as `importMaterial` does. */
  unwrapImport(
    wrappingId: string,
    algorithm: WrappingAlgorithm,
    encryptedMaterial: Uint8Array,
    target: ImportTarget,
  ): Promise<MaterialId>;

  /**
   * The WebCrypto key behind a SYMMETRIC_DEFAULT material: non-extractable, so even holding it one cannot export the
   * key (the lab shows it; the browser can keep it in IndexedDB).
   */
  cryptoKeyOf(materialId: MaterialId): CryptoKey | undefined;
  /** Every material and wrapping key, sealed under the domain key; JSON-serialisable. */
  snapshot(): Promise<HsmSnapshot>;
  /** Replaces the HSM's contents with a snapshot sealed under the same domain key. */
  restore(snapshot: HsmSnapshot): Promise<void>;
}
