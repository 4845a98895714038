/**
 * The primitives a message's body needs, behind one small interface: AES-GCM with a 16-byte tag for the header
 * and every frame, and the incremental hash the signature runs over the message. The default is portable (WebCrypto
 * AES-GCM, @noble/hashes SHA-2) and is what the tab and the Worker use. Node callers (the CLI, the benchmarks) may
 * pass node:crypto's (src/cli/node-backend.ts): the same bytes, without WebCrypto's per-call hop into the thread
 * pool, which dominates with 4 KB frames (docs/envelope.md, "Figures"). Key derivation (HKDF, once per message),
 * the raw AES keyring and the signature's curve arithmetic stay on WebCrypto and @noble/curves.
 */
import { concat, own } from './bytes';
import { EnvelopeError } from './errors';
import { nobleHashFactory, type HashFactory } from './signature';

/** An AES-GCM key as the backend holds it (a CryptoKey, a node KeyObject …). */
export type ContentKeyHandle = unknown;

export interface CryptoBackend {
  importKey(raw: Uint8Array): Promise<ContentKeyHandle>;
  /** The encrypted content, then the 16-byte tag, in one or more pieces (so no backend copies them together). */
  seal(key: ContentKeyHandle, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array[]>;
  /** The plaintext; rejects when the tag does not verify. */
  open(key: ContentKeyHandle, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
  createHash: HashFactory;
}

const subtle = () => globalThis.crypto.subtle;

export async function importWebCryptoAesKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', own(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
  } catch (error) {
    // Chromium's WebCrypto has no 192-bit AES (facts §4.1): say so instead of a DOMException.
    if (raw.length === 24)
      throw new EnvelopeError('UNSUPPORTED', "this platform's WebCrypto does not support 192-bit AES keys");
    throw error;
  }
}

/**
 * For whole-buffer calls: the signature's hash only collects the bytes and digests them in one WebCrypto call at
 * the end (WebCrypto cannot hash incrementally), so a signed message held in memory costs a native SHA-384 instead
 * of the JS one (docs/envelope.md, "Figures"). It holds a second copy of the message while it digests.
 */
export const oneShotHashFactory: HashFactory = (name) => {
  const pieces: Uint8Array[] = [];
  return {
    update: (bytes) => void pieces.push(bytes),
    digest: async () =>
      new Uint8Array(await subtle().digest(name, pieces.length === 1 ? own(pieces[0]) : concat(...pieces))),
  };
};

export const webCryptoBackend: CryptoBackend = {
  importKey: importWebCryptoAesKey,
  seal: async (key, iv, aad, plaintext) => [
    new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-GCM', iv: own(iv), additionalData: own(aad), tagLength: 128 },
        key as CryptoKey,
        own(plaintext),
      ),
    ),
  ],
  open: async (key, iv, aad, sealed) =>
    new Uint8Array(
      await subtle().decrypt(
        { name: 'AES-GCM', iv: own(iv), additionalData: own(aad), tagLength: 128 },
        key as CryptoKey,
        own(sealed),
      ),
    ),
  createHash: nobleHashFactory,
};
