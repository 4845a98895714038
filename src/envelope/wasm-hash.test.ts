import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { webCryptoBackend } from './crypto-backend';
import { randomBytes } from './bytes';
import { createDecryptor, createEncryptor, createRawAesKeyring, decrypt } from './index';
import { createWasmHashFactory } from './wasm-hash';

describe('WebAssembly signature hash', () => {
  it('gives the same SHA-256 and SHA-384 as @noble/hashes over odd chunks, and can hash two at once', async () => {
    const factory = await createWasmHashFactory();
    const data = randomBytes(100_003);
    for (const [name, reference] of [
      ['SHA-256', sha256],
      ['SHA-384', sha384],
    ] as const) {
      const first = factory(name);
      const second = factory(name); // while the first is in use: the JS fallback
      for (let at = 0; at < data.length; at += 7919) {
        first.update(data.subarray(at, at + 7919));
        second.update(data.subarray(at, at + 7919));
      }
      expect(await first.digest()).toEqual(reference(data));
      expect(await second.digest()).toEqual(reference(data));
    }
  });

  it('signs and verifies streamed 0x0578 messages that the default backend opens', async () => {
    const backend = { ...webCryptoBackend, createHash: await createWasmHashFactory() };
    const keyring = createRawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: randomBytes(32) });
    const plaintext = randomBytes(50_000);
    const encryptor = await createEncryptor({ keyring, backend, frameLength: 512 });
    const parts = [
      await encryptor.push(plaintext.subarray(0, 30_001)),
      await encryptor.push(plaintext.subarray(30_001)),
    ];
    parts.push(await encryptor.finish());
    const message = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (message.set(p, at), at + p.length), 0);
    expect((await decrypt(message, { keyring })).plaintext).toEqual(plaintext);
    const decryptor = createDecryptor({ keyring, backend });
    const out = [await decryptor.push(message), await decryptor.finish()];
    expect(out[0].length + out[1].length).toBe(plaintext.length);
    message[message.length - 10] ^= 1; // the signature
    const tampered = createDecryptor({ keyring, backend });
    await tampered.push(message);
    await expect(tampered.finish()).rejects.toMatchObject({ code: 'SIGNATURE' });
  });
});
