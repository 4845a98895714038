/**
 * From the data key to the content key (ESDK "Algorithms reference", "Key derivation"; facts §4.1), in WebCrypto:
 * - suites 0x0014, 0x0046, 0x0078: the data key is the content key;
 * - the other format 1 suites: HKDF with the suite's hash, no salt, info = suite ID (2) ‖ message ID (16);
 * - format 2 suites: HKDF-SHA512 with the 32-byte message ID as salt, info = suite ID (2) ‖ "DERIVEKEY" for the
 *   content key, and info = "COMMITKEY" for the 32-byte key commitment stored in the header.
 */
import { concat, own, u16, utf8 } from './bytes';
import { EnvelopeError } from './errors';
import { suiteHex, type Suite } from './suites';

const subtle = () => globalThis.crypto.subtle;
const KEY_LABEL = utf8('DERIVEKEY');
const COMMIT_LABEL = utf8('COMMITKEY');
const COMMITMENT_LENGTH = 32;

export interface ContentKey {
  key: CryptoKey;
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

export async function importAesKey(raw: Uint8Array, usages: KeyUsage[]): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', own(raw), 'AES-GCM', false, usages);
  } catch (error) {
    // Chromium's WebCrypto has no 192-bit AES (facts §4.1); say so instead of a DOMException.
    if (raw.length === 24)
      throw new EnvelopeError('UNSUPPORTED', "this platform's WebCrypto does not support 192-bit AES keys");
    throw error;
  }
}

export async function deriveContentKey(
  suite: Suite,
  dataKey: Uint8Array,
  messageId: Uint8Array,
): Promise<ContentKey> {
  if (dataKey.length !== suite.keyLength)
    throw new EnvelopeError(
      'NO_DATA_KEY',
      `the data key is ${dataKey.length} bytes; suite ${suiteHex(suite.id)} needs ${suite.keyLength}`,
    );
  const usages: KeyUsage[] = ['encrypt', 'decrypt'];
  if (!suite.kdfHash) return { key: await importAesKey(dataKey, usages) };
  if (!suite.committing) {
    const derived = await hkdf(
      suite.kdfHash,
      dataKey,
      new Uint8Array(0),
      concat(u16(suite.id), messageId),
      suite.keyLength,
    );
    return { key: await importAesKey(derived, usages) };
  }
  const [derived, commitment] = await Promise.all([
    hkdf(suite.kdfHash, dataKey, messageId, concat(u16(suite.id), KEY_LABEL), suite.keyLength),
    hkdf(suite.kdfHash, dataKey, messageId, COMMIT_LABEL, COMMITMENT_LENGTH),
  ]);
  return { key: await importAesKey(derived, usages), commitment };
}
