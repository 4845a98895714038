/**
 * The simulated KMS's HSM. It holds key material by KeyMaterialId and does every cryptographic operation; the core
 * only ever sees material ids, blobs and public keys, as with AWS (the plain key bytes leave the HSM only sealed
 * in a snapshot). Pure TypeScript on WebCrypto (`globalThis.crypto.subtle`), with @noble/curves for secp256k1 and
 * digest signing, @noble/hashes for SHA-224 and MGF1, @noble/ciphers for AES key wrap with padding (RFC 5649).
 *
 * It implements the core's `Hsm` (../hsm.ts), whose comment lists the KmsErrors it throws. The core validates
 * requests first with the same tables (`specs.ts`); the checks here keep the HSM safe on its own.
 */
import { aeskwp } from '@noble/ciphers/aes.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { KmsError } from '../errors';
import type { Hsm, ImportTarget, MaterialId } from '../hsm';
import { blobHeader, freshIv, parseBlob } from './blob';
import { concat, constantTimeEqual, own, randomBytes, toHex, u32, utf8, type Bytes } from './bytes';
import { encodeEncryptionContext } from './context';
import { DerError, ecdsaDerToRaw, ecdsaRawToDer } from './der';
import { hash, hashFunction } from './hashes';
import {
  CURVE_BYTES,
  generateSecret,
  loadMaterial,
  MaterialError,
  rsaKey,
  type EcMaterial,
  type Material,
  type RsaMaterial,
} from './material';
import { signDigest, verifyDigest } from './rsa-digest';
import { openSnapshot, sealSnapshot, type SnapshotEntry } from './snapshot';
import {
  ALGORITHM_HASH,
  DATA_KEY_PAIR_SPECS,
  digestBytes,
  HASH_BYTES,
  incompatibleAlgorithmMessage,
  KEY_SPECS,
  macAlgorithmOf,
  maxOaepPlaintextBytes,
  signingAlgorithmsOf,
  WRAPPING_KEY_SPECS,
  wrappingAlgorithmAccepts,
  type EncryptionAlgorithm,
  type KeySpec,
  type MacAlgorithm,
  type MessageType,
  type RsaKeySpec,
  type SigningAlgorithm,
  type WrappingAlgorithm,
} from './specs';

export interface HsmOptions {
  /**
   * The key that seals snapshots: 32 bytes, or an AES-GCM CryptoKey. Give the same one to the HSM that restores a
   * snapshot (kept with `--state DIR`, or in IndexedDB as a non-extractable CryptoKey). Default: a random one,
   * so snapshots open only in this HSM.
   */
  domainKey?: Uint8Array | CryptoKey;
}

const INVALID_CIPHERTEXT = () => new KmsError('InvalidCiphertextException', '');
const subtle = () => globalThis.crypto.subtle;
const NOBLE_CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1 } as const;

export function createHsm(options: HsmOptions = {}): Hsm {
  const materials = new Map<MaterialId, Material>();
  const wrappingKeys = new Map<string, RsaMaterial>();
  const domainKey = importDomainKey(options.domainKey);

  const materialOf = (materialId: MaterialId): Material => {
    const material = materials.get(materialId);
    if (!material) throw new KmsError('KMSInternalException', `The HSM holds no key material ${materialId}.`);
    return material;
  };

  const asKind = <K extends Material['kind']>(material: Material, kind: K, operation: string) => {
    if (material.kind !== kind)
      throw new KmsError(
        'InvalidKeyUsageException',
        `Key material of key spec ${material.keySpec} cannot ${operation}.`,
      );
    return material as Extract<Material, { kind: K }>;
  };

  async function store(target: ImportTarget, secret: Uint8Array): Promise<MaterialId> {
    let material: Material;
    try {
      material = await loadMaterial(target.keySpec, secret);
    } catch (error) {
      if (error instanceof MaterialError)
        throw new KmsError('IncorrectKeyMaterialException', `${error.message}.`);
      throw error;
    }
    const materialId = await importedMaterialId(target.keyId, material.secret);
    materials.set(materialId, material);
    return materialId;
  }

  return {
    async generate(keySpec) {
      const material = await loadMaterial(keySpec, await generateSecret(keySpec));
      const materialId = toHex(randomBytes(32));
      materials.set(materialId, material);
      return materialId;
    },

    importMaterial: store,

    has: (materialId) => materials.has(materialId),

    destroy(id) {
      materials.delete(id);
      wrappingKeys.delete(id);
    },

    async encrypt(materialId, plaintext, encryptionContext) {
      const { key } = asKind(materialOf(materialId), 'symmetric', 'encrypt symmetrically');
      const header = blobHeader(materialId);
      const iv = freshIv();
      const additionalData = encodeEncryptionContext(encryptionContext, header);
      const sealed = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData }, key, own(plaintext));
      return concat(header, iv, new Uint8Array(sealed));
    },

    materialIdOf: (blob) => parseBlob(blob)?.materialId,

    async decrypt(materialId, blob, encryptionContext) {
      const parts = parseBlob(blob);
      if (!parts || parts.materialId !== materialId) throw INVALID_CIPHERTEXT();
      const { key } = asKind(materialOf(materialId), 'symmetric', 'decrypt symmetrically');
      const additionalData = encodeEncryptionContext(encryptionContext, parts.header);
      try {
        return new Uint8Array(
          await subtle().decrypt(
            { name: 'AES-GCM', iv: own(parts.iv), additionalData },
            key,
            own(parts.sealed),
          ),
        );
      } catch {
        throw INVALID_CIPHERTEXT();
      }
    },

    async encryptAsymmetric(materialId, algorithm, plaintext) {
      const material = asKind(materialOf(materialId), 'rsa', 'encrypt with RSA');
      const oaep = oaepAlgorithm(algorithm, material.keySpec);
      const limit = maxOaepPlaintextBytes(material.keySpec as RsaKeySpec, oaep);
      if (plaintext.length > limit)
        throw new KmsError(
          'ValidationException',
          `Algorithm ${algorithm} and key spec ${material.keySpec} cannot encrypt data larger than ${limit} bytes.`,
        );
      const key = await rsaKey(material, 'RSA-OAEP', ALGORITHM_HASH[oaep], 'public');
      return new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, key, own(plaintext)));
    },

    async decryptAsymmetric(materialId, algorithm, ciphertext) {
      const material = asKind(materialOf(materialId), 'rsa', 'decrypt with RSA');
      return oaepDecrypt(material, oaepAlgorithm(algorithm, material.keySpec), ciphertext);
    },

    async sign(materialId, algorithm, message, messageType) {
      const material = materialOf(materialId);
      const digest = digestFor(material, algorithm, message, messageType);
      if (material.kind === 'rsa') {
        const hashName = ALGORITHM_HASH[algorithm];
        const padding = algorithm.startsWith('RSASSA_PSS_') ? 'PSS' : 'PKCS1_V1_5';
        if (messageType === 'DIGEST') return signDigest(material.numbers, padding, hashName, digest!);
        const webAlgorithm = padding === 'PSS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
        const key = await rsaKey(material, webAlgorithm, hashName, 'private');
        // "Asymmetric key specs": PSS salt as long as the hash (256-bit salt for SHA-256, …).
        const params =
          padding === 'PSS'
            ? { name: webAlgorithm, saltLength: HASH_BYTES[hashName] }
            : { name: webAlgorithm };
        return new Uint8Array(await subtle().sign(params, key, own(message)));
      }
      const ec = asKind(material, 'ec', 'sign');
      if (ec.webCrypto && messageType === 'RAW') {
        const raw = await subtle().sign(
          { name: 'ECDSA', hash: ALGORITHM_HASH[algorithm] },
          ec.webCrypto.privateKey,
          own(message),
        );
        return ecdsaRawToDer(new Uint8Array(raw));
      }
      // KMS does not normalise ECDSA signatures to low S (secp256k1 users must do it themselves), so neither do we.
      const compact = NOBLE_CURVES[ec.curve].sign(digest!, ec.scalar, {
        prehash: false,
        lowS: false,
        extraEntropy: true,
      });
      return ecdsaRawToDer(compact);
    },

    async verify(materialId, algorithm, message, messageType, signature) {
      const material = materialOf(materialId);
      const digest = digestFor(material, algorithm, message, messageType);
      return signatureValid(material, algorithm, message, messageType, digest, signature);
    },

    async publicKey(materialId) {
      const material = materialOf(materialId);
      if (material.kind !== 'rsa' && material.kind !== 'ec')
        throw new KmsError(
          'UnsupportedOperationException',
          `Key material of key spec ${material.keySpec} has no public key.`,
        );
      return material.spki.slice();
    },

    async generateDataKeyPair(keyPairSpec) {
      if (!DATA_KEY_PAIR_SPECS.includes(keyPairSpec))
        throw new KmsError(
          'UnsupportedOperationException',
          `KeyPairSpec ${String(keyPairSpec)} is not supported.`,
        );
      const material = (await loadMaterial(keyPairSpec, await generateSecret(keyPairSpec))) as
        RsaMaterial | EcMaterial;
      return { privateKey: material.secret, publicKey: material.spki };
    },

    async generateMac(materialId, algorithm, message) {
      return computeMac(macMaterial(materialOf(materialId), algorithm), message);
    },

    async verifyMac(materialId, algorithm, message, mac) {
      const expected = await computeMac(macMaterial(materialOf(materialId), algorithm), message);
      return constantTimeEqual(expected, mac);
    },

    random: (numberOfBytes) => randomBytes(numberOfBytes),

    async createWrappingKey(wrappingKeySpec) {
      if (!WRAPPING_KEY_SPECS.includes(wrappingKeySpec))
        throw new KmsError(
          'UnsupportedOperationException',
          `WrappingKeySpec ${String(wrappingKeySpec)} is not supported.`,
        );
      const material = (await loadMaterial(
        wrappingKeySpec,
        await generateSecret(wrappingKeySpec),
      )) as RsaMaterial;
      const wrappingId = toHex(randomBytes(16));
      wrappingKeys.set(wrappingId, material);
      return { wrappingId, publicKey: material.spki.slice() };
    },

    async unwrapImport(wrappingId, algorithm, encryptedMaterial, target) {
      const wrapping = wrappingKeys.get(wrappingId);
      if (!wrapping)
        throw new KmsError('InvalidImportTokenException', 'The import token is not valid for this HSM.');
      if (!wrappingAlgorithmAccepts(algorithm, target.keySpec))
        // API GetParametersForImport: "To import an RSA private key, you must use an RSA_AES wrapping algorithm."
        throw new KmsError(
          'ValidationException',
          `Wrapping algorithm ${algorithm} cannot carry ${target.keySpec} key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`,
        );
      return store(target, await unwrap(wrapping, algorithm, encryptedMaterial));
    },

    cryptoKeyOf(materialId) {
      const material = materials.get(materialId);
      return material?.kind === 'symmetric' ? material.key : undefined;
    },

    async snapshot() {
      const entries: SnapshotEntry[] = [
        ...[...materials].map(([id, m]) => ({
          id,
          role: 'material' as const,
          keySpec: m.keySpec,
          secret: m.secret,
        })),
        ...[...wrappingKeys].map(([id, m]) => ({
          id,
          role: 'wrapping' as const,
          keySpec: m.keySpec,
          secret: m.secret,
        })),
      ];
      return sealSnapshot(await domainKey, entries);
    },

    async restore(snapshot) {
      let entries: SnapshotEntry[];
      try {
        entries = await openSnapshot(await domainKey, snapshot);
      } catch (error) {
        throw new KmsError('KMSInternalException', `Cannot restore the HSM: ${(error as Error).message}.`);
      }
      const loaded = await Promise.all(
        entries.map(async (entry) => [entry, await loadMaterial(entry.keySpec, entry.secret)] as const),
      );
      materials.clear();
      wrappingKeys.clear();
      for (const [entry, material] of loaded) {
        if (entry.role === 'wrapping') wrappingKeys.set(entry.id, material as RsaMaterial);
        else materials.set(entry.id, material);
      }
    },
  };
}

async function importDomainKey(domainKey: Uint8Array | CryptoKey | undefined): Promise<CryptoKey> {
  if (domainKey && !(domainKey instanceof Uint8Array)) return domainKey;
  const raw = domainKey ?? randomBytes(32);
  if (raw.length !== 32)
    throw new KmsError('KMSInternalException', `The HSM domain key must be 32 bytes, not ${raw.length}.`);
  return subtle().importKey('raw', own(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** Imported material's id: SHA-256 over the key id and the material, each length-prefixed (so ids are per key). */
async function importedMaterialId(keyId: string, secret: Uint8Array): Promise<MaterialId> {
  const id = utf8(keyId);
  const input = concat(
    utf8('kms-lab imported key material v1'),
    u32(id.length),
    id,
    u32(secret.length),
    secret,
  );
  return toHex(new Uint8Array(await subtle().digest('SHA-256', input)));
}

function oaepAlgorithm(
  algorithm: EncryptionAlgorithm,
  keySpec: KeySpec,
): 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' {
  if (algorithm !== 'RSAES_OAEP_SHA_1' && algorithm !== 'RSAES_OAEP_SHA_256')
    throw new KmsError('InvalidKeyUsageException', incompatibleAlgorithmMessage(algorithm, keySpec));
  return algorithm;
}

async function oaepDecrypt(
  material: RsaMaterial,
  algorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256',
  ciphertext: Uint8Array,
) {
  const key = await rsaKey(material, 'RSA-OAEP', ALGORITHM_HASH[algorithm], 'private');
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, key, own(ciphertext)));
  } catch {
    throw INVALID_CIPHERTEXT();
  }
}

/**
 * Checks the algorithm against the key spec and returns the digest to sign: the caller's DIGEST (whose length
 * must match the algorithm's hash) or the hash of a RAW message.
 */
function digestFor(
  material: Material,
  algorithm: SigningAlgorithm,
  message: Uint8Array,
  messageType: MessageType,
) {
  if (!signingAlgorithmsOf(material.keySpec).includes(algorithm))
    throw new KmsError('InvalidKeyUsageException', incompatibleAlgorithmMessage(algorithm, material.keySpec));
  if (messageType === 'DIGEST') {
    if (message.length !== digestBytes(algorithm))
      throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
    return message;
  }
  if (messageType !== 'RAW')
    throw new KmsError('ValidationException', `MessageType ${String(messageType)} is not supported.`);
  return hash(ALGORITHM_HASH[algorithm], message);
}

async function signatureValid(
  material: Material,
  algorithm: SigningAlgorithm,
  message: Uint8Array,
  messageType: MessageType,
  digest: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const hashName = ALGORITHM_HASH[algorithm];
  if (material.kind === 'rsa') {
    const padding = algorithm.startsWith('RSASSA_PSS_') ? 'PSS' : 'PKCS1_V1_5';
    if (messageType === 'DIGEST')
      return verifyDigest(material.numbers.n, material.numbers.e, padding, hashName, digest, signature);
    const webAlgorithm = padding === 'PSS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
    const key = await rsaKey(material, webAlgorithm, hashName, 'public');
    const params =
      padding === 'PSS' ? { name: webAlgorithm, saltLength: HASH_BYTES[hashName] } : { name: webAlgorithm };
    return subtle().verify(params, key, own(signature), own(message));
  }
  if (material.kind !== 'ec') return false;
  let raw: Bytes;
  try {
    raw = ecdsaDerToRaw(signature, CURVE_BYTES[material.curve]);
  } catch (error) {
    if (error instanceof DerError) return false;
    throw error;
  }
  if (material.webCrypto && messageType === 'RAW')
    return subtle().verify(
      { name: 'ECDSA', hash: hashName },
      material.webCrypto.publicKey,
      raw,
      own(message),
    );
  try {
    return NOBLE_CURVES[material.curve].verify(raw, digest, material.point, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}

function macMaterial(material: Material, algorithm: MacAlgorithm) {
  const hmacMaterial = asHmac(material);
  if (macAlgorithmOf(material.keySpec) !== algorithm)
    throw new KmsError('InvalidKeyUsageException', incompatibleAlgorithmMessage(algorithm, material.keySpec));
  return hmacMaterial;
}

function asHmac(material: Material) {
  if (material.kind !== 'hmac')
    throw new KmsError(
      'InvalidKeyUsageException',
      `Key material of key spec ${material.keySpec} cannot compute a MAC.`,
    );
  return material;
}

async function computeMac(material: ReturnType<typeof asHmac>, message: Uint8Array): Promise<Uint8Array> {
  if (!material.key) return hmac(hashFunction(material.hash), material.secret, message);
  return new Uint8Array(await subtle().sign('HMAC', material.key, own(message)));
}

/**
 * ImportKeyMaterial's unwrapping (API GetParametersForImport): RSAES_OAEP_* decrypts the material directly;
 * RSA_AES_KEY_WRAP_* is RSA-OAEP(256-bit AES key) ‖ AES-KWP(material) (RFC 5649), the first part as long as the
 * wrapping key's modulus.
 */
async function unwrap(
  wrapping: RsaMaterial,
  algorithm: WrappingAlgorithm,
  encrypted: Uint8Array,
): Promise<Bytes> {
  switch (algorithm) {
    case 'RSAES_OAEP_SHA_1':
    case 'RSAES_OAEP_SHA_256':
      return oaepDecrypt(wrapping, algorithm, encrypted) as Promise<Bytes>;
    case 'RSA_AES_KEY_WRAP_SHA_1':
    case 'RSA_AES_KEY_WRAP_SHA_256': {
      const modulusBytes = (KEY_SPECS[wrapping.keySpec] as { modulusBits: number }).modulusBits / 8;
      if (encrypted.length <= modulusBytes) throw INVALID_CIPHERTEXT();
      const oaep = algorithm === 'RSA_AES_KEY_WRAP_SHA_1' ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
      const aesKey = await oaepDecrypt(wrapping, oaep, encrypted.subarray(0, modulusBytes));
      if (aesKey.length !== 32) throw INVALID_CIPHERTEXT();
      try {
        return aeskwp(aesKey).decrypt(encrypted.subarray(modulusBytes)) as Bytes;
      } catch {
        throw INVALID_CIPHERTEXT();
      }
    }
    default:
      // RSAES_PKCS1_V1_5 is no longer accepted (API GetParametersForImport, since 2023-10-10).
      throw new KmsError('ValidationException', `Wrapping algorithm ${String(algorithm)} is not supported.`);
  }
}
