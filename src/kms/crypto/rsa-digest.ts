/**
 * RSA signatures over a caller-supplied digest (MessageType DIGEST, API Sign). WebCrypto always hashes the message
 * itself, so this path encodes the digest by hand (RFC 8017 EMSA-PSS with MGF1 of the same hash and a salt as long
 * as the hash, as AWS uses: "Asymmetric key specs"; EMSA-PKCS1-v1_5 with the DigestInfo prefix) and does the RSA
 * arithmetic with BigInt. The RAW path stays on WebCrypto; tests check both against node:crypto.
 */
import { bigIntFromBytes, bigIntToBytes, concat, constantTimeEqual, randomBytes, type Bytes } from './bytes';
import { hash } from './hashes';
import { HASH_BYTES, type HashName } from './specs';

export interface RsaPrivateNumbers {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

export type RsaPadding = 'PSS' | 'PKCS1_V1_5';

/** DER of DigestInfo's AlgorithmIdentifier and OCTET STRING header for each hash (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Partial<Record<HashName, string>> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

const modulusBits = (n: bigint): number => n.toString(2).length;

function mgf1(hashName: HashName, seed: Uint8Array, length: number): Bytes {
  const blocks: Uint8Array[] = [];
  for (let counter = 0; blocks.length * HASH_BYTES[hashName] < length; counter++) {
    blocks.push(
      hash(hashName, concat(seed, Uint8Array.of(counter >>> 24, counter >>> 16, counter >>> 8, counter))),
    );
  }
  return concat(...blocks).subarray(0, length);
}

function pssEncode(hashName: HashName, digest: Uint8Array, emBits: number, salt: Uint8Array): Bytes {
  const emLength = Math.ceil(emBits / 8);
  const hLength = HASH_BYTES[hashName];
  const h = hash(hashName, concat(new Uint8Array(8), digest, salt));
  const db = new Uint8Array(emLength - hLength - 1);
  db[db.length - salt.length - 1] = 0x01;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(hashName, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >>> (8 * emLength - emBits);
  return concat(db, h, Uint8Array.of(0xbc));
}

/** EMSA-PSS-VERIFY with the salt length fixed to the hash length. */
function pssMatches(hashName: HashName, digest: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLength = HASH_BYTES[hashName];
  const emLength = Math.ceil(emBits / 8);
  if (em.length !== emLength || emLength < 2 * hLength + 2 || em[emLength - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLength - hLength - 1);
  const h = em.subarray(emLength - hLength - 1, emLength - 1);
  const topBits = 0xff >>> (8 * emLength - emBits);
  if ((maskedDb[0] & ~topBits) !== 0) return false;
  const mask = mgf1(hashName, h, maskedDb.length);
  const db = maskedDb.map((byte, i) => byte ^ mask[i]);
  db[0] &= topBits;
  const saltStart = db.length - hLength;
  for (let i = 0; i < saltStart - 1; i++) if (db[i] !== 0) return false;
  if (db[saltStart - 1] !== 0x01) return false;
  return constantTimeEqual(h, hash(hashName, concat(new Uint8Array(8), digest, db.subarray(saltStart))));
}

function pkcs1Encode(hashName: HashName, digest: Uint8Array, emLength: number): Bytes {
  const prefix = DIGEST_INFO_PREFIX[hashName];
  if (!prefix) throw new Error(`no PKCS#1 v1.5 DigestInfo for ${hashName}`);
  const t = concat(Uint8Array.from(prefix.match(/../g)!.map((pair) => parseInt(pair, 16))), digest);
  const padding = new Uint8Array(emLength - t.length - 3).fill(0xff);
  return concat(Uint8Array.of(0x00, 0x01), padding, Uint8Array.of(0x00), t);
}

export function signDigest(
  key: RsaPrivateNumbers,
  padding: RsaPadding,
  hashName: HashName,
  digest: Uint8Array,
): Bytes {
  const bits = modulusBits(key.n);
  const k = Math.ceil(bits / 8);
  const em =
    padding === 'PSS'
      ? pssEncode(hashName, digest, bits - 1, randomBytes(HASH_BYTES[hashName]))
      : pkcs1Encode(hashName, digest, k);
  const m = bigIntFromBytes(em);
  // CRT (RFC 8017 §5.1.2 2b): two half-size exponentiations instead of one full one.
  const m1 = modPow(m, key.dp, key.p);
  const m2 = modPow(m, key.dq, key.q);
  const h = ((((m1 - m2) % key.p) + key.p) * key.qi) % key.p;
  const s = m2 + h * key.q;
  // A fault in the arithmetic must not leak a bad signature (and with it the key): check before answering.
  if (modPow(s, key.e, key.n) !== m) throw new Error('RSA signature self-check failed');
  return bigIntToBytes(s, k);
}

export function verifyDigest(
  n: bigint,
  e: bigint,
  padding: RsaPadding,
  hashName: HashName,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const bits = modulusBits(n);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  const s = bigIntFromBytes(signature);
  if (s >= n) return false;
  const em = bigIntToBytes(modPow(s, e, n), k);
  if (padding === 'PKCS1_V1_5') return constantTimeEqual(em, pkcs1Encode(hashName, digest, k));
  // EMSA-PSS works on emBits = modBits − 1, so EM is one byte shorter when modBits is a multiple of 8.
  const emLength = Math.ceil((bits - 1) / 8);
  if (em.subarray(0, k - emLength).some((byte) => byte !== 0)) return false;
  return pssMatches(hashName, digest, em.subarray(k - emLength), bits - 1);
}
