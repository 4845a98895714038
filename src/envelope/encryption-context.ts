/**
 * The encryption context in the header (ESDK message format reference, "AAD"; facts §4.2): a count (2 bytes) and
 * that many key-value pairs, each a 2-byte length and UTF-8 bytes, sorted by the UTF-8 bytes of the keys (the
 * message format's rule; the JS SDK's raw keyrings sort their AAD with `localeCompare` unless `utf8Sorting` is
 * set, which already differs for ASCII: "B" < "a" in bytes, "a" < "B" in a locale). An empty context is no bytes
 * at all: the header's AAD length is 0 and the count is left out.
 */
import { byteCount, compareBytes, concat, decodeUtf8, u16, utf8, view } from './bytes';
import { EnvelopeError } from './errors';

export type EncryptionContext = Record<string, string>;

/** The reserved key under which signed suites store the verification key (ESDK "Digital signatures"). */
export const PUBLIC_KEY_CONTEXT_KEY = 'aws-crypto-public-key';

const MAX_U16 = 0xffff;

/** Sets a key without the prototype setter, so a key named "__proto__" is an ordinary pair. */
export function setPair(context: EncryptionContext, key: string, value: string): void {
  Object.defineProperty(context, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The pairs field (count and pairs), as the header's AAD holds it and the raw AES keyring uses as AAD. */
export function serializeContextPairs(context: EncryptionContext): Uint8Array {
  const pairs = Object.entries(context).map(([key, value]) => [utf8(key), utf8(value), key] as const);
  if (pairs.length === 0) return new Uint8Array(0);
  if (pairs.length > MAX_U16)
    throw new EnvelopeError('LIMIT', `the encryption context has ${pairs.length} pairs; at most 65535 fit`);
  pairs.sort(([a], [b]) => compareBytes(a, b));
  const parts: Uint8Array[] = [u16(pairs.length)];
  for (const [key, value, name] of pairs) {
    if (key.length > MAX_U16 || value.length > MAX_U16)
      throw new EnvelopeError('LIMIT', `encryption context pair ${JSON.stringify(name)} is over 65535 bytes`);
    parts.push(u16(key.length), key, u16(value.length), value);
  }
  const bytes = concat(...parts);
  if (bytes.length > MAX_U16)
    throw new EnvelopeError(
      'LIMIT',
      `the serialized encryption context is ${bytes.length} bytes; the header's AAD length field holds at most 65535`,
    );
  return bytes;
}

/**
 * Parses the pairs field of a header. `start` is its offset in the message, for errors. Refuses what the ESDK
 * refuses: pairs that run past the field, bytes left over, a key given twice, strings that are not UTF-8.
 */
export function parseContextPairs(bytes: Uint8Array, start: number): EncryptionContext {
  const context: EncryptionContext = {};
  if (bytes.length === 0) return context;
  if (bytes.length < 2)
    throw new EnvelopeError('MALFORMED', 'the encryption context is 1 byte; it needs a 2-byte count', start);
  const data = view(bytes);
  const count = data.getUint16(0);
  let at = 2;
  const readString = (what: string): string => {
    if (at + 2 > bytes.length)
      throw new EnvelopeError('MALFORMED', `${what} length runs past the encryption context`, start + at);
    const length = data.getUint16(at);
    if (at + 2 + length > bytes.length)
      throw new EnvelopeError(
        'MALFORMED',
        `${what} is ${length} bytes but the encryption context ends ${bytes.length - at - 2} bytes later`,
        start + at,
      );
    const text = decodeUtf8(bytes.subarray(at + 2, at + 2 + length));
    if (text === undefined) throw new EnvelopeError('MALFORMED', `${what} is not UTF-8`, start + at + 2);
    at += 2 + length;
    return text;
  };
  for (let pair = 1; pair <= count; pair++) {
    const keyAt = start + at;
    const key = readString(`encryption context key ${pair}`);
    const value = readString(`encryption context value ${pair}`);
    if (Object.prototype.hasOwnProperty.call(context, key))
      throw new EnvelopeError(
        'MALFORMED',
        `encryption context key ${JSON.stringify(key)} appears twice`,
        keyAt,
      );
    setPair(context, key, value);
  }
  if (at !== bytes.length)
    throw new EnvelopeError(
      'MALFORMED',
      `the encryption context has ${byteCount(bytes.length - at)} after its ${count} pairs`,
      start + at,
    );
  return context;
}

/** Checks a caller's context before encryption: strings only, and not the reserved key the CMM adds itself. */
export function checkCallerContext(context: unknown): EncryptionContext {
  if (context === undefined) return {};
  if (typeof context !== 'object' || context === null || Array.isArray(context))
    throw new EnvelopeError('ENCRYPTION_CONTEXT', 'the encryption context must be an object of strings');
  const out: EncryptionContext = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value !== 'string')
      throw new EnvelopeError(
        'ENCRYPTION_CONTEXT',
        `encryption context value of ${JSON.stringify(key)} is not a string`,
      );
    // ESDK default CMM: the caller may not set the key the CMM stores the verification key under.
    if (key === PUBLIC_KEY_CONTEXT_KEY)
      throw new EnvelopeError(
        'ENCRYPTION_CONTEXT',
        `encryption context key ${PUBLIC_KEY_CONTEXT_KEY} is reserved for the signed suites' verification key`,
      );
    setPair(out, key, value);
  }
  return out;
}
