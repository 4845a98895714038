/**
 * Envelope encryption as the services do it outside KMS ("How AWS Secrets Manager uses AWS KMS", S3 "SSE-KMS"): the
 * plaintext data key from GenerateDataKey encrypts the data with AES-256-GCM and is wiped after use.
 */

export interface Sealed {
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

async function aesKey(dataKey: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  try {
    return await globalThis.crypto.subtle.importKey('raw', dataKey as BufferSource, 'AES-GCM', false, [
      usage,
    ]);
  } finally {
    dataKey.fill(0); // the service removes the plaintext key from memory as soon as it can
  }
}

export async function sealWithDataKey(dataKey: Uint8Array, plaintext: Uint8Array): Promise<Sealed> {
  const key = await aesKey(dataKey, 'encrypt');
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plaintext as BufferSource),
  );
  return { iv, ciphertext };
}

/** Throws when the data key or the bytes are not the ones sealed. */
export async function openWithDataKey(dataKey: Uint8Array, sealed: Sealed): Promise<Uint8Array> {
  const key = await aesKey(dataKey, 'decrypt');
  return new Uint8Array(
    await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv as BufferSource },
      key,
      sealed.ciphertext as BufferSource,
    ),
  );
}
