/**
 * A small, real HSM for the core's tests and until the crypto module's Hsm is wired in: AES-256-GCM through
 * WebCrypto (non-extractable CryptoKeys), RSA through WebCrypto (OAEP) and BigInt (signatures, so DIGEST works),
 * ECDSA through @noble/curves (DER signatures, RAW and DIGEST), HMAC through @noble/hashes. It is not hardened:
 * its snapshot holds the key bytes in base64, unsealed. The crypto module (`crypto/`) is the HSM the lab ships.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { aeskwp } from '@noble/ciphers/aes.js';
import { HsmError, type DataKeyPair, type Hsm, type MaterialId } from './hsm';
import { encodeEncryptionContext } from './encryption-context';
import { bytesToHex, concatBytes, equalBytes, fromBase64, hexToBytes, toBase64 } from './bytes';

const subtle = () => globalThis.crypto.subtle;
/** WebCrypto's types want an ArrayBuffer-backed view; ours always are. */
const bs = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;
const BLOB_VERSION = 1;
const HEADER_LENGTH = 1 + 32;
const IV_LENGTH = 12;

type Curve = typeof p256;
interface CurveInfo {
  curve: Curve;
  oid: string;
  hash: (m: Uint8Array) => Uint8Array;
  digestLength: number;
}
const CURVES: Record<string, CurveInfo> = {
  ECC_NIST_P256: { curve: p256, oid: '06082a8648ce3d030107', hash: sha256, digestLength: 32 },
  ECC_NIST_P384: { curve: p384 as unknown as Curve, oid: '06052b81040022', hash: sha384, digestLength: 48 },
  ECC_NIST_P521: { curve: p521 as unknown as Curve, oid: '06052b81040023', hash: sha512, digestLength: 64 },
  ECC_SECG_P256K1: {
    curve: secp256k1 as unknown as Curve,
    oid: '06052b8104000a',
    hash: sha256,
    digestLength: 32,
  },
};
const EC_PUBLIC_KEY_OID = '06072a8648ce3d0201';
const RSA_BITS: Record<string, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const HMAC_HASH: Record<
  string,
  { hash: typeof sha256 | typeof sha384 | typeof sha512 | typeof sha224; bytes: number }
> = {
  HMAC_224: { hash: sha224, bytes: 28 },
  HMAC_256: { hash: sha256, bytes: 32 },
  HMAC_384: { hash: sha384, bytes: 48 },
  HMAC_512: { hash: sha512, bytes: 64 },
};
const HASHES: Record<string, { fn: (m: Uint8Array) => Uint8Array; digestInfo: string }> = {
  SHA_256: { fn: sha256, digestInfo: '3031300d060960864801650304020105000420' },
  SHA_384: { fn: sha384, digestInfo: '3041300d060960864801650304020205000430' },
  SHA_512: { fn: sha512, digestInfo: '3051300d060960864801650304020305000440' },
};

type Material =
  | { kind: 'aes'; spec: string; bytes: Uint8Array; key: CryptoKey; imported: boolean }
  | {
      kind: 'rsa';
      spec: string;
      pkcs8: Uint8Array;
      spki: Uint8Array;
      n: bigint;
      e: bigint;
      d: bigint;
      imported: boolean;
    }
  | { kind: 'ec'; spec: string; secret: Uint8Array; imported: boolean }
  | { kind: 'hmac'; spec: string; bytes: Uint8Array; imported: boolean };

export function createTestHsm(): Hsm {
  const materials = new Map<MaterialId, Material>();
  const wrappingKeys = new Map<string, { pkcs8: Uint8Array; bits: number }>();
  const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));

  function get(materialId: MaterialId): Material {
    const material = materials.get(materialId);
    if (!material) throw new HsmError('UnknownMaterial', `No key material ${materialId}`);
    return material;
  }

  async function materialFromBytes(spec: string, bytes: Uint8Array, imported: boolean): Promise<Material> {
    if (spec === 'SYMMETRIC_DEFAULT') {
      if (bytes.length !== 32)
        throw new HsmError('IncorrectKeyMaterial', 'Symmetric key material must be 32 bytes');
      const key = await subtle().importKey('raw', bs(bytes), 'AES-GCM', false, ['encrypt', 'decrypt']);
      return { kind: 'aes', spec, bytes, key, imported };
    }
    if (HMAC_HASH[spec]) {
      if (bytes.length < HMAC_HASH[spec].bytes || bytes.length > 64)
        throw new HsmError('IncorrectKeyMaterial', `HMAC key material for ${spec} has the wrong length`);
      return { kind: 'hmac', spec, bytes, imported };
    }
    if (CURVES[spec]) return { kind: 'ec', spec, secret: ecSecretFromPkcs8(spec, bytes), imported };
    if (RSA_BITS[spec]) return rsaMaterial(spec, bytes, imported);
    throw new HsmError('Unsupported', `The test HSM has no key spec ${spec}`);
  }

  async function rsaMaterial(spec: string, pkcs8: Uint8Array, imported: boolean): Promise<Material> {
    let key: CryptoKey;
    try {
      key = await subtle().importKey('pkcs8', bs(pkcs8), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, [
        'decrypt',
      ]);
    } catch {
      throw new HsmError('IncorrectKeyMaterial', 'The key material is not an RSA private key');
    }
    const jwk = await subtle().exportKey('jwk', key);
    const n = b64urlToBigInt(jwk.n!);
    if (n.toString(2).length !== RSA_BITS[spec])
      throw new HsmError('IncorrectKeyMaterial', `The RSA key is not ${RSA_BITS[spec]} bits`);
    const publicKey = await subtle().importKey(
      'jwk',
      { kty: 'RSA', n: jwk.n, e: jwk.e, ext: true },
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      true,
      ['encrypt'],
    );
    const spki = new Uint8Array(await subtle().exportKey('spki', publicKey));
    return {
      kind: 'rsa',
      spec,
      pkcs8,
      spki,
      n,
      e: b64urlToBigInt(jwk.e!),
      d: b64urlToBigInt(jwk.d!),
      imported,
    };
  }

  async function newRsaPkcs8(bits: number): Promise<Uint8Array> {
    const pair = (await subtle().generateKey(
      { name: 'RSA-OAEP', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['encrypt', 'decrypt'],
    )) as CryptoKeyPair;
    return new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
  }

  async function freshBytes(spec: string): Promise<Uint8Array> {
    if (spec === 'SYMMETRIC_DEFAULT') return random(32);
    if (HMAC_HASH[spec]) return random(HMAC_HASH[spec].bytes);
    if (CURVES[spec]) return ecPkcs8(spec, CURVES[spec].curve.utils.randomSecretKey());
    if (RSA_BITS[spec]) return newRsaPkcs8(RSA_BITS[spec]);
    throw new HsmError('Unsupported', `The test HSM has no key spec ${spec}`);
  }

  async function rsaOaep(
    pkcs8OrSpki: Uint8Array,
    format: 'pkcs8' | 'spki',
    hash: string,
  ): Promise<CryptoKey> {
    return subtle().importKey(format, bs(pkcs8OrSpki), { name: 'RSA-OAEP', hash }, false, [
      format === 'pkcs8' ? 'decrypt' : 'encrypt',
    ]);
  }

  const oaepHash = (algorithm: string) => (algorithm.endsWith('SHA_1') ? 'SHA-1' : 'SHA-256');

  const hsm: Hsm = {
    async generate(keySpec) {
      const id = bytesToHex(random(32));
      materials.set(id, await materialFromBytes(keySpec, await freshBytes(keySpec), false));
      return id;
    },

    async createWrappingKey(wrappingKeySpec) {
      const bits = RSA_BITS[wrappingKeySpec];
      if (!bits) throw new HsmError('Unsupported', `Wrapping key spec ${wrappingKeySpec}`);
      const pkcs8 = await newRsaPkcs8(bits);
      const wrappingKeyId = bytesToHex(random(16));
      wrappingKeys.set(wrappingKeyId, { pkcs8, bits });
      const material = await rsaMaterial(`RSA_${bits}`, pkcs8, false);
      return { wrappingKeyId, publicKey: (material as { spki: Uint8Array }).spki };
    },

    async importMaterial(keySpec, wrappingKeyId, wrappingAlgorithm, encrypted) {
      const wrapping = wrappingKeys.get(wrappingKeyId);
      if (!wrapping) throw new HsmError('InvalidCiphertext', 'Unknown wrapping key');
      let plain: Uint8Array;
      try {
        if (wrappingAlgorithm.startsWith('RSA_AES_KEY_WRAP')) {
          const split = wrapping.bits / 8;
          const key = await rsaOaep(wrapping.pkcs8, 'pkcs8', oaepHash(wrappingAlgorithm));
          const kek = new Uint8Array(
            await subtle().decrypt({ name: 'RSA-OAEP' }, key, bs(encrypted.slice(0, split))),
          );
          plain = aeskwp(kek).decrypt(encrypted.slice(split));
        } else {
          const key = await rsaOaep(wrapping.pkcs8, 'pkcs8', oaepHash(wrappingAlgorithm));
          plain = new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, key, bs(encrypted)));
        }
      } catch {
        throw new HsmError('InvalidCiphertext', 'The key material could not be unwrapped');
      }
      // The same material gets the same id, so a re-import is recognised (API ImportKeyMaterial).
      const id = bytesToHex(sha256(concatBytes(new TextEncoder().encode(`${keySpec}\0`), plain)));
      materials.set(id, await materialFromBytes(keySpec, plain, true));
      return id;
    },

    async deleteMaterial(materialId) {
      materials.delete(materialId);
    },

    async encrypt(materialId, plaintext, context) {
      const material = get(materialId);
      if (material.kind !== 'aes') throw new HsmError('Unsupported', 'Not a symmetric key');
      const header = concatBytes(new Uint8Array([BLOB_VERSION]), hexToBytes(materialId));
      const iv = random(IV_LENGTH);
      const sealed = await subtle().encrypt(
        { name: 'AES-GCM', iv, additionalData: bs(concatBytes(header, encodeEncryptionContext(context))) },
        material.key,
        bs(plaintext),
      );
      return concatBytes(header, iv, new Uint8Array(sealed));
    },

    materialIdOf(blob) {
      if (blob.length < HEADER_LENGTH + IV_LENGTH + 16 || blob[0] !== BLOB_VERSION) return undefined;
      return bytesToHex(blob.subarray(1, HEADER_LENGTH));
    },

    async decrypt(blob, context) {
      const materialId = hsm.materialIdOf(blob);
      const material = materialId ? materials.get(materialId) : undefined;
      if (!materialId || !material || material.kind !== 'aes') throw new HsmError('InvalidCiphertext', '');
      try {
        const plain = await subtle().decrypt(
          {
            name: 'AES-GCM',
            iv: bs(blob.subarray(HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH)),
            additionalData: bs(
              concatBytes(blob.subarray(0, HEADER_LENGTH), encodeEncryptionContext(context)),
            ),
          },
          material.key,
          bs(blob.subarray(HEADER_LENGTH + IV_LENGTH)),
        );
        return { materialId, plaintext: new Uint8Array(plain) };
      } catch {
        throw new HsmError('InvalidCiphertext', '');
      }
    },

    async encryptAsymmetric(materialId, algorithm, plaintext) {
      const material = get(materialId);
      if (material.kind !== 'rsa') throw new HsmError('Unsupported', 'Not an RSA key');
      const key = await rsaOaep(material.spki, 'spki', oaepHash(algorithm));
      return new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, key, bs(plaintext)));
    },

    async decryptAsymmetric(materialId, algorithm, ciphertext) {
      const material = get(materialId);
      if (material.kind !== 'rsa') throw new HsmError('Unsupported', 'Not an RSA key');
      try {
        const key = await rsaOaep(material.pkcs8, 'pkcs8', oaepHash(algorithm));
        return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, key, bs(ciphertext)));
      } catch {
        throw new HsmError('InvalidCiphertext', '');
      }
    },

    async sign(materialId, algorithm, messageType, message) {
      const material = get(materialId);
      if (material.kind === 'ec') {
        const info = CURVES[material.spec];
        const digest = messageType === 'DIGEST' ? message : info.hash(message);
        return info.curve.sign(digest, material.secret, { prehash: false, format: 'der' });
      }
      if (material.kind !== 'rsa') throw new HsmError('Unsupported', 'Not a signing key');
      const hash = hashOf(algorithm);
      const digest = messageType === 'DIGEST' ? message : hash.fn(message);
      const bits = material.n.toString(2).length;
      const encoded = algorithm.includes('_PSS_')
        ? pssEncode(digest, bits - 1, hash.fn, random(digest.length))
        : pkcs1Encode(digest, Math.ceil(bits / 8), hash.digestInfo);
      return bigIntToBytes(modPow(bytesToBigInt(encoded), material.d, material.n), Math.ceil(bits / 8));
    },

    async verify(materialId, algorithm, messageType, message, signature) {
      const material = get(materialId);
      if (material.kind === 'ec') {
        const info = CURVES[material.spec];
        const digest = messageType === 'DIGEST' ? message : info.hash(message);
        try {
          const publicKey = info.curve.getPublicKey(material.secret, false);
          return info.curve.verify(signature, digest, publicKey, { prehash: false, format: 'der' });
        } catch {
          return false;
        }
      }
      if (material.kind !== 'rsa') throw new HsmError('Unsupported', 'Not a signing key');
      const hash = hashOf(algorithm);
      const digest = messageType === 'DIGEST' ? message : hash.fn(message);
      const bits = material.n.toString(2).length;
      const s = bytesToBigInt(signature);
      if (s >= material.n) return false;
      const encoded = bigIntToBytes(modPow(s, material.e, material.n), Math.ceil(bits / 8));
      if (algorithm.includes('_PSS_')) return pssVerify(digest, encoded, bits - 1, hash.fn);
      return equalBytes(encoded, pkcs1Encode(digest, Math.ceil(bits / 8), hash.digestInfo));
    },

    async publicKey(materialId) {
      const material = get(materialId);
      if (material.kind === 'rsa') return material.spki;
      if (material.kind === 'ec')
        return ecSpki(material.spec, CURVES[material.spec].curve.getPublicKey(material.secret, false));
      throw new HsmError('Unsupported', 'Not an asymmetric key');
    },

    async generateMac(materialId, algorithm, message) {
      const material = get(materialId);
      if (material.kind !== 'hmac') throw new HsmError('Unsupported', 'Not an HMAC key');
      return hmac(HMAC_HASH[`HMAC_${algorithm.slice('HMAC_SHA_'.length)}`].hash, material.bytes, message);
    },

    async verifyMac(materialId, algorithm, message, mac) {
      return equalBytes(await hsm.generateMac(materialId, algorithm, message), mac);
    },

    async generateDataKeyPair(keyPairSpec): Promise<DataKeyPair> {
      const bytes = await freshBytes(keyPairSpec);
      const material = await materialFromBytes(keyPairSpec, bytes, false);
      if (material.kind === 'rsa') return { privateKey: material.pkcs8, publicKey: material.spki };
      if (material.kind === 'ec')
        return {
          privateKey: bytes,
          publicKey: ecSpki(keyPairSpec, CURVES[keyPairSpec].curve.getPublicKey(material.secret, false)),
        };
      throw new HsmError('Unsupported', `Key pair spec ${keyPairSpec}`);
    },

    random,

    async snapshot() {
      const entries = [...materials].map(([id, m]) => ({
        id,
        spec: m.spec,
        imported: m.imported,
        bytes: toBase64(m.kind === 'rsa' ? m.pkcs8 : m.kind === 'ec' ? ecPkcs8(m.spec, m.secret) : m.bytes),
      }));
      const wrapping = [...wrappingKeys].map(([id, w]) => ({ id, bits: w.bits, pkcs8: toBase64(w.pkcs8) }));
      return { version: 1, materials: entries, wrapping };
    },

    async restore(snapshot) {
      const data = snapshot as {
        materials: { id: string; spec: string; imported: boolean; bytes: string }[];
        wrapping: { id: string; bits: number; pkcs8: string }[];
      };
      materials.clear();
      wrappingKeys.clear();
      for (const m of data.materials)
        materials.set(m.id, await materialFromBytes(m.spec, fromBase64(m.bytes), m.imported));
      for (const w of data.wrapping) wrappingKeys.set(w.id, { bits: w.bits, pkcs8: fromBase64(w.pkcs8) });
    },
  };
  return hsm;
}

function hashOf(algorithm: string) {
  const hash = HASHES[algorithm.slice(-7)];
  if (!hash) throw new HsmError('Unsupported', `Signing algorithm ${algorithm}`);
  return hash;
}

// --- RSA signatures (RFC 8017 §9.1, §9.2) ---------------------------------------------------------------

function pkcs1Encode(digest: Uint8Array, length: number, digestInfo: string): Uint8Array {
  const t = concatBytes(hexToBytes(digestInfo), digest);
  const out = new Uint8Array(length).fill(0xff);
  out[0] = 0;
  out[1] = 1;
  out[length - t.length - 1] = 0;
  out.set(t, length - t.length);
  return out;
}

function mgf1(seed: Uint8Array, length: number, hash: (m: Uint8Array) => Uint8Array): Uint8Array {
  const out = new Uint8Array(length);
  for (let counter = 0, offset = 0; offset < length; counter++) {
    const block = hash(
      concatBytes(seed, new Uint8Array([counter >>> 24, counter >>> 16, counter >>> 8, counter])),
    );
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  return out;
}

/** EMSA-PSS with a salt as long as the hash, which is what KMS uses (facts §2.4). */
function pssEncode(
  digest: Uint8Array,
  emBits: number,
  hash: (m: Uint8Array) => Uint8Array,
  salt: Uint8Array,
): Uint8Array {
  const emLength = Math.ceil(emBits / 8);
  const h = hash(concatBytes(new Uint8Array(8), digest, salt));
  const db = new Uint8Array(emLength - h.length - 1);
  db[db.length - salt.length - 1] = 1;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >>> (8 * emLength - emBits);
  return concatBytes(db, h, new Uint8Array([0xbc]));
}

function pssVerify(
  digest: Uint8Array,
  encodedFull: Uint8Array,
  emBits: number,
  hash: (m: Uint8Array) => Uint8Array,
): boolean {
  const emLength = Math.ceil(emBits / 8);
  const em = encodedFull.subarray(encodedFull.length - emLength);
  const hLength = digest.length;
  if (em[em.length - 1] !== 0xbc) return false;
  const db = em.slice(0, emLength - hLength - 1);
  const h = em.subarray(emLength - hLength - 1, emLength - 1);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >>> (8 * emLength - emBits);
  const saltStart = db.length - hLength;
  if (db[saltStart - 1] !== 1 || db.subarray(0, saltStart - 1).some((b) => b !== 0)) return false;
  return equalBytes(hash(concatBytes(new Uint8Array(8), digest, db.subarray(saltStart))), h);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

const bytesToBigInt = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`));
function bigIntToBytes(value: bigint, length: number): Uint8Array {
  return hexToBytes(value.toString(16).padStart(length * 2, '0'));
}
const b64urlToBigInt = (text: string) =>
  bytesToBigInt(fromBase64(text.replace(/-/g, '+').replace(/_/g, '/')));

// --- EC keys in DER (RFC 5480 SPKI, RFC 5915 ECPrivateKey inside PKCS#8) --------------------------------

function derLength(length: number): Uint8Array {
  if (length < 0x80) return new Uint8Array([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}
const der = (tag: number, ...content: Uint8Array[]) => {
  const body = concatBytes(...content);
  return concatBytes(new Uint8Array([tag]), derLength(body.length), body);
};

function ecSpki(spec: string, point: Uint8Array): Uint8Array {
  const algorithm = der(0x30, hexToBytes(EC_PUBLIC_KEY_OID), hexToBytes(CURVES[spec].oid));
  return der(0x30, algorithm, der(0x03, new Uint8Array([0]), point));
}

function ecPkcs8(spec: string, secret: Uint8Array): Uint8Array {
  const point = CURVES[spec].curve.getPublicKey(secret, false);
  const ecPrivateKey = der(
    0x30,
    hexToBytes('020101'),
    der(0x04, secret),
    der(0xa1, der(0x03, new Uint8Array([0]), point)),
  );
  const algorithm = der(0x30, hexToBytes(EC_PUBLIC_KEY_OID), hexToBytes(CURVES[spec].oid));
  return der(0x30, hexToBytes('020100'), algorithm, der(0x04, ecPrivateKey));
}

interface Tlv {
  tag: number;
  body: Uint8Array;
  whole: Uint8Array;
}
function readTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    const tag = bytes[i++];
    let length = bytes[i++];
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let k = 0; k < count; k++) length = length * 256 + bytes[i++];
    }
    if (i + length > bytes.length) throw new Error('truncated DER');
    out.push({ tag, body: bytes.subarray(i, i + length), whole: bytes.subarray(start, i + length) });
    i += length;
  }
  return out;
}

function ecSecretFromPkcs8(spec: string, pkcs8: Uint8Array): Uint8Array {
  try {
    const [outer] = readTlvs(pkcs8);
    const [, algorithm, privateKey] = readTlvs(outer.body);
    const [, curveOid] = readTlvs(algorithm.body);
    if (bytesToHex(curveOid.whole) !== CURVES[spec].oid) throw new Error('curve');
    const [ecPrivateKey] = readTlvs(privateKey.body);
    const [, secret] = readTlvs(ecPrivateKey.body);
    return secret.body.slice();
  } catch {
    throw new HsmError('IncorrectKeyMaterial', `The key material is not an ${spec} private key`);
  }
}
