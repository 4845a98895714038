/**
 * The envelope module: AWS Encryption SDK messages (format 1 and 2, every suite), streaming and whole-buffer
 * encrypt/decrypt, keyrings (raw AES, known data key, KMS over the lab's KmsApi), and the inspector. Pure
 * TypeScript over WebCrypto: it runs unchanged in the tab, in a Web Worker and in Node. See docs/envelope.md.
 */
import { createDecryptor, type DecryptOptions } from './decryptor';
import { createEncryptor, encryptNonFramed, type EncryptOptions } from './encryptor';
import { concat } from './bytes';
import type { ContentType, MessageHeader } from './header';
import { oneShotHashFactory, webCryptoBackend, type CryptoBackend } from './crypto-backend';

export { createDecryptor, type DecryptOptions, type Decryptor } from './decryptor';
export { createEncryptor, DEFAULT_FRAME_LENGTH, type EncryptOptions, type Encryptor } from './encryptor';
export { createRawAesKeyring, type RawAesKeyringOptions } from './raw-aes-keyring';
export { createDataKeyKeyring } from './data-key-keyring';
export { createKmsKeyring, KMS_PROVIDER_ID, type KmsKeyringOptions } from './kms-keyring';
export type { Keyring, EncryptionRequest, EncryptionMaterials, DecryptionRequest } from './keyring';
export { EnvelopeError, isEnvelopeError, type EnvelopeErrorCode } from './errors';
export { SUITES, SUITE_IDS, DEFAULT_SUITE, suiteHex, suiteOf, type Suite, type SuiteId } from './suites';
export { COMMITMENT_POLICIES, DEFAULT_COMMITMENT_POLICY, type CommitmentPolicy } from './commitment-policy';
export { PUBLIC_KEY_CONTEXT_KEY, type EncryptionContext } from './encryption-context';
export {
  parseHeader,
  type MessageHeader,
  type EncryptedDataKey,
  type ContentType,
  type FieldSpan,
} from './header';
export type { HashFactory, IncrementalHash } from './signature';
export { webCryptoBackend, type CryptoBackend, type ContentKeyHandle } from './crypto-backend';

/** The portable backend, with the signature hashed in one WebCrypto call: the whole message is at hand. */
const wholeBufferBackend: CryptoBackend = { ...webCryptoBackend, createHash: oneShotHashFactory };

/** Slices the convenience calls feed the streaming core: progress and cancel act at least this often. */
const SLICE = 1 << 20;

export interface EncryptResult {
  message: Uint8Array;
  header: MessageHeader;
}

/**
 * Encrypts a whole plaintext. Framed by default (through the streaming encryptor); `contentType: 'non-framed'`
 * writes one AES-GCM body, as the C, Java and Python SDKs can (the JS SDK only decrypts those).
 */
export async function encrypt(
  plaintext: Uint8Array,
  options: EncryptOptions & { contentType?: ContentType },
): Promise<EncryptResult> {
  options = { ...options, backend: options.backend ?? wholeBufferBackend };
  if (options.contentType === 'non-framed') return encryptNonFramed(plaintext, options);
  const encryptor = await createEncryptor({
    ...options,
    plaintextLength: options.plaintextLength ?? plaintext.length,
  });
  const parts: Uint8Array[] = [];
  for (let at = 0; at < plaintext.length; at += SLICE)
    parts.push(await encryptor.push(plaintext.subarray(at, at + SLICE)));
  parts.push(await encryptor.finish());
  return { message: concat(...parts), header: encryptor.header };
}

export interface DecryptResult {
  plaintext: Uint8Array;
  header: MessageHeader;
}

/** Decrypts a whole message; resolves only when every check passed, so a failure releases no plaintext at all. */
export async function decrypt(message: Uint8Array, options: DecryptOptions): Promise<DecryptResult> {
  const decryptor = createDecryptor({
    ...options,
    backend: options.backend ?? wholeBufferBackend,
    messageLength: options.messageLength ?? message.length,
  });
  const parts: Uint8Array[] = [];
  for (let at = 0; at < message.length; at += SLICE)
    parts.push(await decryptor.push(message.subarray(at, at + SLICE)));
  parts.push(await decryptor.finish());
  return { plaintext: concat(...parts), header: decryptor.header! };
}
