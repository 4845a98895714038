/**
 * node:crypto's AES-GCM and SHA-2 for the envelope messages (src/envelope/crypto-backend.ts): the same bytes as the
 * portable WebCrypto/@noble default, but each frame is one synchronous OpenSSL call instead of a WebCrypto job
 * handed to the thread pool, and the signature's hash is native. The CLI and the Node benchmarks use it.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject } from 'node:crypto';
import type { CryptoBackend, HashFactory } from '../envelope/index';

interface NodeKey {
  key: KeyObject;
  cipher: 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm';
}

const TAG_LENGTH = 16;
const bytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

const nodeHashFactory: HashFactory = (name) => {
  const hash = createHash(name === 'SHA-256' ? 'sha256' : 'sha384');
  return {
    update: (data) => void hash.update(data),
    digest: () => bytes(hash.digest()),
  };
};

export const nodeBackend: CryptoBackend = {
  async importKey(raw) {
    const cipher = `aes-${raw.length * 8}-gcm` as NodeKey['cipher'];
    return { key: createSecretKey(raw), cipher } satisfies NodeKey;
  },
  async seal(handle, iv, aad, plaintext) {
    const { key, cipher } = handle as NodeKey;
    const gcm = createCipheriv(cipher, key, iv, { authTagLength: TAG_LENGTH }).setAAD(aad);
    const ciphertext = gcm.update(plaintext);
    gcm.final();
    return [bytes(ciphertext), bytes(gcm.getAuthTag())];
  },
  async open(handle, iv, aad, sealed) {
    const { key, cipher } = handle as NodeKey;
    const gcm = createDecipheriv(cipher, key, iv, { authTagLength: TAG_LENGTH }).setAAD(aad);
    gcm.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    const plaintext = gcm.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
    gcm.final(); // throws when the tag does not verify
    return bytes(plaintext);
  },
  createHash: nodeHashFactory,
};
