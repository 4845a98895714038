/**
 * The encryption context as bytes bound into a ciphertext's authentication (API Encrypt: "you must specify the
 * same encryption context (a case-sensitive exact match)"; order does not matter). The encoding is injective:
 * pair count, then every pair as u32 length ‖ UTF-8 key ‖ u32 length ‖ UTF-8 value, sorted by the key's UTF-8
 * bytes. Lengths make `{"a":"bc"}` and `{"ab":"c"}` different (facts §1.1); sorting makes order irrelevant. An
 * absent context and an empty one encode alike, as KMS treats both as "no context".
 */
import { compareBytes, putU32, utf8, type Bytes } from './bytes';

export type EncryptionContext = Readonly<Record<string, string>>;

/** UTF-8 of a context key or value; short ASCII ones (the usual context) skip TextEncoder's per-call cost. */
function utf8Of(text: string): Bytes {
  if (text.length > 64) return utf8(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return utf8(text);
    out[i] = code;
  }
  return out;
}

/** The context's encoding, after `prefix` (a blob's header: both are the GCM additional data) in one buffer. */
export function encodeEncryptionContext(
  context: EncryptionContext | undefined,
  prefix: Uint8Array = new Uint8Array(0),
): Bytes {
  const pairs: [Bytes, Bytes][] = [];
  let length = prefix.length + 4;
  for (const key in context ?? {}) {
    if (!Object.hasOwn(context!, key)) continue;
    const value = context![key];
    if (typeof value !== 'string')
      throw new TypeError(`encryption context value of "${key}" is not a string`);
    const pair: [Bytes, Bytes] = [utf8Of(key), utf8Of(value)];
    length += 8 + pair[0].length + pair[1].length;
    pairs.push(pair);
  }
  if (pairs.length > 1) pairs.sort((a, b) => compareBytes(a[0], b[0]));
  // One buffer written in place: this runs on every Encrypt and Decrypt.
  const out = new Uint8Array(length);
  out.set(prefix);
  putU32(out, prefix.length, pairs.length);
  let offset = prefix.length + 4;
  for (const [key, value] of pairs) {
    putU32(out, offset, key.length);
    out.set(key, offset + 4);
    offset += 4 + key.length;
    putU32(out, offset, value.length);
    out.set(value, offset + 4);
    offset += 4 + value.length;
  }
  return out;
}
