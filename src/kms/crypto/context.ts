/**
 * The encryption context as bytes bound into a ciphertext's authentication (API Encrypt: "you must specify the
 * same encryption context (a case-sensitive exact match)"; order does not matter). The encoding is injective:
 * pair count, then every pair as u32 length ‖ UTF-8 key ‖ u32 length ‖ UTF-8 value, sorted by the key's UTF-8
 * bytes. Lengths make `{"a":"bc"}` and `{"ab":"c"}` different (facts §1.1); sorting makes order irrelevant. An
 * absent context and an empty one encode alike, as KMS treats both as "no context".
 */
import { compareBytes, concat, u32, utf8, type Bytes } from './bytes';

export type EncryptionContext = Readonly<Record<string, string>>;

export function encodeEncryptionContext(context: EncryptionContext | undefined): Bytes {
  const pairs = Object.entries(context ?? {}).map(([key, value]) => {
    if (typeof value !== 'string')
      throw new TypeError(`encryption context value of "${key}" is not a string`);
    return [utf8(key), utf8(value)] as const;
  });
  pairs.sort((a, b) => compareBytes(a[0], b[0]));
  return concat(
    u32(pairs.length),
    ...pairs.flatMap(([key, value]) => [u32(key.length), key, u32(value.length), value]),
  );
}
