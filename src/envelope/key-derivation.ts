/**
 * From the data key to the content key (ESDK "Algorithms reference", "Key derivation"; facts §4.1), in WebCrypto:
 * - suites 0x0014, 0x0046, 0x0078: the data key is the content key;
 * - the other format 1 suites: HKDF with the suite's hash, no salt, info = suite ID (2) ‖ message ID (16);
 * - format 2 suites: HKDF-SHA512 with the 32-byte message ID as salt, info = suite ID (2) ‖ "DERIVEKEY" for the
 *   content key, and info = "COMMITKEY" for the 32-byte key commitment stored in the header.
 */
import { concat, own, u16, utf8 } from './bytes';
import type { ContentKeyHandle, CryptoBackend } from './crypto-backend';
import { EnvelopeError } from './errors';
import { suiteHex, type Suite } from './suites';

const subtle = () => globalThis.crypto.subtle;
const KEY_LABEL = utf8('DERIVEKEY');
const COMMIT_LABEL = utf8('COMMITKEY');
const COMMITMENT_LENGTH = 32;

export interface ContentKey {
  key: ContentKeyHandle;
  /** Format 2: the key commitment the header must carry. */
  commitment?: Uint8Array;
}

async function hkdf(hash: string, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) {
  const base = await subtle().importKey('raw', own(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash, salt: own(salt), info: own(info) },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

export async function deriveContentKey(
  suite: Suite,
  dataKey: Uint8Array,
  messageId: Uint8Array,
  backend: CryptoBackend,
): Promise<ContentKey> {
  if (dataKey.length !== suite.keyLength)
    throw new EnvelopeError(
      'NO_DATA_KEY',
      `the data key is ${dataKey.length} bytes; suite ${suiteHex(suite.id)} needs ${suite.keyLength}`,
    );
  if (!suite.kdfHash) return { key: await backend.importKey(dataKey) };
  if (!suite.committing) {
    const derived = await hkdf(
      suite.kdfHash,
      dataKey,
      new Uint8Array(0),
      concat(u16(suite.id), messageId),
      suite.keyLength,
    );
    return { key: await backend.importKey(derived) };
  }
  const [derived, commitment] = await Promise.all([
    hkdf(suite.kdfHash, dataKey, messageId, concat(u16(suite.id), KEY_LABEL), suite.keyLength),
    hkdf(suite.kdfHash, dataKey, messageId, COMMIT_LABEL, COMMITMENT_LENGTH),
  ]);
  return { key: await backend.importKey(derived), commitment };
}
