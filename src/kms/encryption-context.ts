/**
 * The encryption context as authenticated data, encoded injectively (facts §1.1): a pair count, then each pair as
 * u16-length-prefixed UTF-8 key and value, sorted by the key's UTF-8 bytes. `{"a":"bc"}` and `{"ab":"c"}` differ.
 */
import { concatBytes, utf8 } from './bytes';

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const u16 = (n: number) => new Uint8Array([n >>> 8, n & 0xff]);

export function encodeEncryptionContext(context: Record<string, string> | undefined): Uint8Array {
  const pairs = Object.entries(context ?? {}).map(([k, v]) => [utf8(k), utf8(v)] as const);
  pairs.sort((x, y) => compareBytes(x[0], y[0]));
  const parts: Uint8Array[] = [u16(pairs.length)];
  for (const [k, v] of pairs) parts.push(u16(k.length), k, u16(v.length), v);
  return concatBytes(...parts);
}
