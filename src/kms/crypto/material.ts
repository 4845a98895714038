/**
 * Key material inside the HSM: its secret form (raw bytes for AES and HMAC, PKCS#8 DER for RSA and EC keys, the
 * same forms ImportKeyMaterial takes), the public key, and the WebCrypto keys that do the work. Every material is
 * built by `loadMaterial` from its secret form, whether freshly generated, imported or restored from a snapshot,
 * so one validation path serves all three. Operation keys are non-extractable; the secret form stays in this
 * module's objects and leaves the HSM only sealed in a snapshot.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bigIntFromBytes, fromBase64Url, own, randomBytes, type Bytes } from './bytes';
import { DerError, ecPkcs8, ecSpki, readPkcs8, rsaSpki } from './der';
import type { RsaPrivateNumbers } from './rsa-digest';
import { KEY_SPECS, type EccCurve, type HashName, type KeySpec } from './specs';

const subtle = () => globalThis.crypto.subtle;

/** Key material that does not fit its key spec (wrong length, wrong curve, not PKCS#8 …). */
export class MaterialError extends Error {}

interface MaterialBase {
  keySpec: KeySpec;
  /** The secret form: raw key bytes, or PKCS#8 DER. */
  secret: Bytes;
}

export interface SymmetricMaterial extends MaterialBase {
  kind: 'symmetric';
  key: CryptoKey;
}

export interface HmacMaterial extends MaterialBase {
  kind: 'hmac';
  hash: HashName;
  /** WebCrypto HMAC key; absent for SHA-224, which WebCrypto lacks. */
  key?: CryptoKey;
}

export interface RsaMaterial extends MaterialBase {
  kind: 'rsa';
  spki: Bytes;
  numbers: RsaPrivateNumbers;
  /** Operation keys by "<algorithm>/<hash>/<private|public>", imported on first use (WebCrypto binds the hash). */
  keys: Map<string, Promise<CryptoKey>>;
}

export interface EcMaterial extends MaterialBase {
  kind: 'ec';
  curve: EccCurve;
  spki: Bytes;
  scalar: Bytes;
  /** Uncompressed public point 04 ‖ x ‖ y. */
  point: Bytes;
  /** WebCrypto ECDSA keys for the NIST curves (none for secp256k1). */
  webCrypto?: { privateKey: CryptoKey; publicKey: CryptoKey };
}

export type Material = SymmetricMaterial | HmacMaterial | RsaMaterial | EcMaterial;

/** Byte length of a curve's field elements (and of r and s in an ECDSA signature). */
export const CURVE_BYTES: Readonly<Record<EccCurve, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
  secp256k1: 32,
};

/** Fresh secret material for a key spec, in the form `loadMaterial` takes. */
export async function generateSecret(keySpec: KeySpec): Promise<Bytes> {
  const info = KEY_SPECS[keySpec];
  switch (info.family) {
    case 'symmetric':
    case 'hmac':
      return randomBytes(info.keyBytes);
    case 'rsa': {
      const pair = (await subtle().generateKey(
        {
          name: 'RSA-PSS',
          modulusLength: info.modulusBits,
          publicExponent: Uint8Array.of(1, 0, 1),
          hash: 'SHA-256',
        },
        true,
        ['sign', 'verify'],
      )) as CryptoKeyPair;
      return new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
    }
    case 'ecc': {
      if (info.curve === 'secp256k1') {
        const scalar = secp256k1.utils.randomSecretKey() as Bytes;
        return ecPkcs8('secp256k1', scalar, secp256k1.getPublicKey(scalar, false));
      }
      const pair = (await subtle().generateKey({ name: 'ECDSA', namedCurve: info.curve }, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      return new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
    }
  }
}

/** Builds the material from its secret form; throws MaterialError when the secret does not fit the key spec. */
export async function loadMaterial(keySpec: KeySpec, secret: Uint8Array): Promise<Material> {
  const info = KEY_SPECS[keySpec];
  const bytes = own(new Uint8Array(secret));
  switch (info.family) {
    case 'symmetric': {
      // Facts §2.8: symmetric material is a 256-bit AES key.
      if (bytes.length !== info.keyBytes)
        throw new MaterialError(
          `${keySpec} key material must be ${info.keyBytes} bytes, not ${bytes.length}`,
        );
      const key = await subtle().importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
      return { kind: 'symmetric', keySpec, secret: bytes, key };
    }
    case 'hmac': {
      // Chosen bounds: at least the spec's length and at most the hash's block size (longer keys get hashed).
      if (bytes.length < info.keyBytes || bytes.length > info.blockBytes)
        throw new MaterialError(
          `${keySpec} key material must be ${info.keyBytes} to ${info.blockBytes} bytes, not ${bytes.length}`,
        );
      const key =
        info.hash === 'SHA-224'
          ? undefined
          : await subtle().importKey('raw', bytes, { name: 'HMAC', hash: info.hash }, false, ['sign']);
      return { kind: 'hmac', keySpec, secret: bytes, hash: info.hash, key };
    }
    case 'rsa':
      return loadRsa(keySpec, info.modulusBits, bytes);
    case 'ecc':
      return loadEc(keySpec, info.curve, bytes);
  }
}

function summarise(pkcs8: Bytes, keySpec: KeySpec) {
  try {
    return readPkcs8(pkcs8);
  } catch (error) {
    if (error instanceof DerError)
      throw new MaterialError(`${keySpec} key material is not PKCS#8 DER: ${error.message}`);
    throw error;
  }
}

async function loadRsa(keySpec: KeySpec, modulusBits: number, pkcs8: Bytes): Promise<RsaMaterial> {
  if (summarise(pkcs8, keySpec).kind !== 'rsa')
    throw new MaterialError(`${keySpec} key material is not an RSA key`);
  let jwk: JsonWebKey;
  try {
    const probe = await subtle().importKey('pkcs8', pkcs8, { name: 'RSA-PSS', hash: 'SHA-256' }, true, [
      'sign',
    ]);
    jwk = await subtle().exportKey('jwk', probe);
  } catch {
    throw new MaterialError(`${keySpec} key material is not a valid RSA private key`);
  }
  const field = (name: keyof JsonWebKey): Bytes => fromBase64Url(jwk[name] as string);
  const modulus = field('n');
  const numbers: RsaPrivateNumbers = {
    n: bigIntFromBytes(modulus),
    e: bigIntFromBytes(field('e')),
    d: bigIntFromBytes(field('d')),
    p: bigIntFromBytes(field('p')),
    q: bigIntFromBytes(field('q')),
    dp: bigIntFromBytes(field('dp')),
    dq: bigIntFromBytes(field('dq')),
    qi: bigIntFromBytes(field('qi')),
  };
  if (numbers.n.toString(2).length !== modulusBits)
    throw new MaterialError(`${keySpec} key material must have a ${modulusBits}-bit modulus`);
  return {
    kind: 'rsa',
    keySpec,
    secret: pkcs8,
    spki: rsaSpki(modulus, field('e')),
    numbers,
    keys: new Map(),
  };
}

async function loadEc(keySpec: KeySpec, curve: EccCurve, pkcs8: Bytes): Promise<EcMaterial> {
  const summary = summarise(pkcs8, keySpec);
  if (summary.kind !== 'ec' || summary.curve !== curve)
    throw new MaterialError(`${keySpec} key material is not a private key on the ${curve} curve`);
  if (curve === 'secp256k1') {
    const scalar = own(new Uint8Array(summary.privateScalar));
    let point: Bytes;
    try {
      point = secp256k1.getPublicKey(scalar, false) as Bytes;
    } catch {
      throw new MaterialError(`${keySpec} key material holds an invalid private scalar`);
    }
    if (summary.publicPoint && !sameBytes(summary.publicPoint, point))
      throw new MaterialError(`${keySpec} key material's public key does not match its private key`);
    return { kind: 'ec', keySpec, curve, secret: pkcs8, spki: ecSpki(curve, point), scalar, point };
  }
  let jwk: JsonWebKey;
  let privateKey: CryptoKey;
  try {
    // WebCrypto checks the scalar and the embedded public point against the curve.
    jwk = await subtle().exportKey(
      'jwk',
      await subtle().importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve }, true, ['sign']),
    );
    privateKey = await subtle().importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve }, false, [
      'sign',
    ]);
  } catch {
    throw new MaterialError(`${keySpec} key material is not a valid ${curve} private key`);
  }
  const point = own(Uint8Array.of(4, ...fromBase64Url(jwk.x!), ...fromBase64Url(jwk.y!)));
  const spki = ecSpki(curve, point);
  const publicKey = await subtle().importKey('spki', spki, { name: 'ECDSA', namedCurve: curve }, false, [
    'verify',
  ]);
  return {
    kind: 'ec',
    keySpec,
    curve,
    secret: pkcs8,
    spki,
    scalar: fromBase64Url(jwk.d!),
    point,
    webCrypto: { privateKey, publicKey },
  };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

export type RsaWebCryptoAlgorithm = 'RSA-OAEP' | 'RSA-PSS' | 'RSASSA-PKCS1-v1_5';

/** The WebCrypto key of an RSA material for one algorithm and hash (imported once, then reused). */
export function rsaKey(
  material: RsaMaterial,
  algorithm: RsaWebCryptoAlgorithm,
  hash: HashName,
  side: 'private' | 'public',
): Promise<CryptoKey> {
  const cacheKey = `${algorithm}/${hash}/${side}`;
  let key = material.keys.get(cacheKey);
  if (!key) {
    const usages: KeyUsage[] =
      algorithm === 'RSA-OAEP'
        ? [side === 'private' ? 'decrypt' : 'encrypt']
        : [side === 'private' ? 'sign' : 'verify'];
    key =
      side === 'private'
        ? subtle().importKey('pkcs8', material.secret, { name: algorithm, hash }, false, usages)
        : subtle().importKey('spki', material.spki, { name: algorithm, hash }, false, usages);
    material.keys.set(cacheKey, key);
  }
  return key;
}
