/**
 * The learner's side of importing key material (developer guide "Importing key material", steps 2–3): make the
 * material and wrap it under the public key GetParametersForImport returned, with RSAES_OAEP_SHA_256 (OAEP with
 * SHA-256 and MGF1-SHA-256), in WebCrypto as a client would. Pure (no DOM).
 */
import { KEY_SPECS, type KeySpec } from './crypto/specs';

/** Random material of the form KMS takes for `keySpec`: 32 bytes for SYMMETRIC_DEFAULT, the spec's length for HMAC. */
export function randomMaterial(keySpec: KeySpec): Uint8Array {
  const info = KEY_SPECS[keySpec];
  if (info.family !== 'symmetric' && info.family !== 'hmac')
    throw new Error(
      `The lab page makes symmetric and HMAC material only; ${keySpec} needs a PKCS#8 private key.`,
    );
  return globalThis.crypto.getRandomValues(new Uint8Array(info.keyBytes));
}

/** `material` encrypted under the SPKI public key with RSA-OAEP SHA-256 (WrappingAlgorithm RSAES_OAEP_SHA_256). */
export async function wrapMaterial(publicKeySpki: Uint8Array, material: Uint8Array): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey(
    'spki',
    publicKeySpki as BufferSource,
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['encrypt'],
  );
  return new Uint8Array(
    await globalThis.crypto.subtle.encrypt({ name: 'RSA-OAEP' }, key, material as BufferSource),
  );
}
