/**
 * Byte helpers for the message format: the HSM's general helpers, plus the big-endian integers the format is made
 * of. WebCrypto wants `ArrayBuffer`-backed views; `own` makes one when needed.
 */
export {
  concat,
  compareBytes,
  constantTimeEqual,
  fromBase64,
  fromHex,
  own,
  randomBytes,
  toBase64,
  toHex,
  utf8,
  type Bytes,
} from '../kms/crypto/bytes';

/** "1 byte", "2 bytes": for messages. */
export const byteCount = (count: number) => `${count} byte${count === 1 ? '' : 's'}`;

export function u8(value: number): Uint8Array {
  return Uint8Array.of(value);
}

export function u16(value: number): Uint8Array {
  return Uint8Array.of(value >>> 8, value & 0xff);
}

export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** A 64-bit big-endian length (the non-framed content length and the body AAD's content length). */
export function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32));
  view.setUint32(4, value >>> 0);
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, or returns undefined for bytes that are not UTF-8 (the format's strings must be). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
