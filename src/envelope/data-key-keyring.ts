/**
 * A keyring that knows the plaintext data key (the conformance vectors carry theirs; the CLI's --data-key). It
 * ignores the encrypted data keys, as the ESDK's own tests do with their static keyrings, and cannot encrypt: a
 * message needs an encrypted data key someone else can open.
 */
import { EnvelopeError } from './errors';
import type { Keyring } from './keyring';

export function createDataKeyKeyring(dataKey: Uint8Array): Keyring {
  const key = new Uint8Array(dataKey);
  return {
    async onEncrypt() {
      throw new EnvelopeError(
        'BAD_OPTION',
        'a known data key can only decrypt; encrypt with a raw AES or a KMS keyring',
      );
    },
    async onDecrypt() {
      return new Uint8Array(key);
    },
  };
}
