import { describe, expect, it } from 'vitest';
import { openWithDataKey, sealWithDataKey } from './data-key';

const dataKey = () => globalThis.crypto.getRandomValues(new Uint8Array(32));

describe('data-key envelope (AES-256-GCM outside KMS)', () => {
  it('opens what it sealed, only with the same key and unchanged bytes, and wipes the plaintext key', async () => {
    const key = dataKey();
    const copy = key.slice();
    const message = new TextEncoder().encode('object bytes');
    const sealed = await sealWithDataKey(key, message);
    expect(key.every((b) => b === 0)).toBe(true);
    expect(sealed.ciphertext.length).toBe(message.length + 16);
    expect(sealed.ciphertext.slice(0, message.length)).not.toEqual(message);
    expect(await openWithDataKey(copy.slice(), sealed)).toEqual(message);

    const tampered = { ...sealed, ciphertext: sealed.ciphertext.slice() };
    tampered.ciphertext[0] ^= 1;
    await expect(openWithDataKey(copy.slice(), tampered)).rejects.toThrow();
    await expect(openWithDataKey(dataKey(), sealed)).rejects.toThrow();
  });
});
