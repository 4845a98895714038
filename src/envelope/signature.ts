/**
 * The footer signature of signed suites (ESDK message format reference, "Footer structure"; "Digital signatures";
 * facts §4.1-4.2): ECDSA with the suite's curve and hash over the header and body, DER-encoded, preceded by its
 * length (2). The verification key is the compressed public point, base64, in the encryption context under
 * `aws-crypto-public-key`; a fresh key pair is made for every message.
 *
 * The hash runs over the message as it streams (WebCrypto can only sign a message it holds whole), so the curve
 * arithmetic is @noble/curves' ECDSA over that digest (prehash off). The hash comes from the crypto backend
 * (crypto-backend.ts): @noble/hashes when streaming, one WebCrypto digest for whole buffers, node:crypto in Node.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { fromBase64, toBase64, u16 } from './bytes';
import { EnvelopeError } from './errors';
import type { Curve, SignatureHash } from './suites';

export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  /** May be asynchronous: a hash that only collects the bytes digests them with WebCrypto at the end. */
  digest(): Uint8Array | Promise<Uint8Array>;
}

/** Makes an incremental hash for the signature (SHA-256 for 0x0214, SHA-384 for the P-384 suites). */
export type HashFactory = (name: SignatureHash) => IncrementalHash;

export const nobleHashFactory: HashFactory = (name) => {
  const hash = (name === 'SHA-256' ? sha256 : sha384).create();
  return {
    update: (bytes) => void hash.update(bytes),
    digest: () => hash.digest(),
  };
};

const CURVES = { 'P-256': p256, 'P-384': p384 } as const;

export interface SigningKey {
  secretKey: Uint8Array;
  /** The compressed public point, base64: the value of `aws-crypto-public-key`. */
  publicKeyBase64: string;
}

export function generateSigningKey(curve: Curve): SigningKey {
  const secretKey = CURVES[curve].utils.randomSecretKey();
  return { secretKey, publicKeyBase64: toBase64(CURVES[curve].getPublicKey(secretKey, true)) };
}

/** The footer: signature length (2) and the DER signature of the digest. */
export function signFooter(curve: Curve, digest: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const signature = CURVES[curve].sign(digest, secretKey, { prehash: false, format: 'der' });
  const footer = new Uint8Array(2 + signature.length);
  footer.set(u16(signature.length), 0);
  footer.set(signature, 2);
  return footer;
}

/** Decodes and checks the verification key from the encryption context, before any body byte is trusted. */
export function parseVerificationKey(curve: Curve, base64: string | undefined): Uint8Array {
  if (base64 === undefined)
    throw new EnvelopeError(
      'SIGNATURE',
      'the suite is signed but the encryption context has no aws-crypto-public-key to verify with',
    );
  try {
    const point = fromBase64(base64);
    CURVES[curve].Point.fromBytes(point).assertValidity();
    return point;
  } catch {
    throw new EnvelopeError('SIGNATURE', `aws-crypto-public-key is not a ${curve} public key`);
  }
}

/**
 * Verifies a DER signature of the digest. High-S signatures are accepted: OpenSSL-based SDKs produce them, and
 * ECDSA itself allows them.
 */
export function verifySignature(
  curve: Curve,
  digest: Uint8Array,
  der: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  try {
    return CURVES[curve].verify(der, digest, publicKey, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false;
  }
}
