import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, SUITE_IDS, SUITES, suiteHex, webCryptoBackend } from '../envelope/index';
import { createRawAesKeyring } from '../envelope/raw-aes-keyring';
import { nodeBackend } from './node-backend';

const keyring = createRawAesKeyring({
  keyNamespace: 'n',
  keyName: 'k',
  wrappingKey: new Uint8Array(32).fill(3),
});
const plaintext = Uint8Array.from({ length: 9000 }, (_, i) => i % 251);

describe('the node:crypto backend', () => {
  it.each(SUITE_IDS.map((id) => [suiteHex(id), id] as const))(
    '%s: its messages open with WebCrypto and back',
    async (_hex, suiteId) => {
      const commitmentPolicy = SUITES[suiteId].committing
        ? 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT'
        : 'FORBID_ENCRYPT_ALLOW_DECRYPT';
      for (const [writer, reader] of [
        [nodeBackend, webCryptoBackend],
        [webCryptoBackend, nodeBackend],
      ]) {
        const { message } = await encrypt(plaintext, {
          keyring,
          suiteId,
          commitmentPolicy,
          frameLength: 1000,
          backend: writer,
        });
        expect((await decrypt(message, { keyring, commitmentPolicy, backend: reader })).plaintext).toEqual(
          plaintext,
        );
      }
    },
  );

  it('refuses a changed frame and a changed signature', async () => {
    const { message } = await encrypt(plaintext, { keyring, backend: nodeBackend, frameLength: 1000 });
    const frame = message.slice();
    frame[message.length - 300] ^= 1;
    await expect(decrypt(frame, { keyring, backend: nodeBackend })).rejects.toMatchObject({
      code: 'FRAME_AUTH',
    });
    const signature = message.slice();
    signature[message.length - 1] ^= 1;
    await expect(decrypt(signature, { keyring, backend: nodeBackend })).rejects.toMatchObject({
      code: 'SIGNATURE',
    });
  });
});
