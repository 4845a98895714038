/**
 * Messages pasted or stored as text: base64 (standard or URL-safe, as the ESDK CLI writes with --encode) or hex,
 * with any whitespace, beside the binary form. A binary message starts with its version byte, 0x01 or 0x02, which
 * is never a text character; base64 of a message starts "AY" (format 1) or "Ag" (format 2), hex starts "01" or "02".
 * The decoders stream, so a large text file is never held whole.
 */
import { EnvelopeError } from './errors';

export type MessageEncoding = 'binary' | 'base64' | 'hex';

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** Decides from the first bytes of the input (at least the first 4 non-space bytes, when there are that many). */
export function detectEncoding(start: Uint8Array): MessageEncoding {
  if (start.length === 0) throw new EnvelopeError('TRUNCATED', 'the input is empty', 0);
  if (start[0] === 0x01 || start[0] === 0x02) return 'binary';
  const text = String.fromCharCode(...start.filter((byte) => !isSpace(byte)).subarray(0, 4));
  if (/^0[12][0-9a-fA-F]*$/.test(text)) return 'hex';
  // Base64 of a first byte 0x01 or 0x02 starts with "A"; the header parser judges the rest.
  if (/^A[A-Za-z0-9+/_=-]*$/.test(text)) return 'base64';
  throw new EnvelopeError(
    'MALFORMED',
    `not an Encryption SDK message: it starts with 0x${start[0].toString(16).padStart(2, '0')}, ` +
      'neither a version byte (0x01, 0x02) nor base64 ("AY…", "Ag…") or hex ("01…", "02…") text',
    0,
  );
}

export interface TextDecoderStream {
  /** Decodes what it can; keeps a partial group for the next call. */
  push(text: Uint8Array): Uint8Array;
  /** Checks that nothing is left over. */
  finish(): Uint8Array;
}

/** Streaming decoder for one encoding ('binary' passes bytes through). Errors name the offset in the text. */
export function createTextDecoder(encoding: MessageEncoding): TextDecoderStream {
  if (encoding === 'binary') return { push: (bytes) => bytes, finish: () => new Uint8Array(0) };
  const group = encoding === 'hex' ? 2 : 4;
  let carry = '';
  let offset = 0; // characters of the text seen, for errors
  let ended = false; // base64 padding was seen
  const decodeGroups = (chars: string, at: number): Uint8Array => {
    if (encoding === 'hex') {
      if (!/^[0-9a-fA-F]*$/.test(chars))
        throw new EnvelopeError('MALFORMED', 'hex text has a non-hex character', at);
      const out = new Uint8Array(chars.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(chars.slice(2 * i, 2 * i + 2), 16);
      return out;
    }
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(chars) || (ended && chars.length > 0))
      throw new EnvelopeError(
        'MALFORMED',
        'base64 text has a character that is not base64, or text after "="',
        at,
      );
    if (chars.endsWith('=')) ended = true;
    const binary = atob(chars.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  };
  return {
    push(text) {
      let chars = carry;
      for (let i = 0; i < text.length; i += 0x8000) {
        const slice = text.subarray(i, i + 0x8000);
        chars += String.fromCharCode(...slice.filter((byte) => !isSpace(byte)));
      }
      const usable = chars.length - (chars.length % group);
      carry = chars.slice(usable);
      const out = decodeGroups(chars.slice(0, usable), offset);
      offset += usable;
      return out;
    },
    finish() {
      if (carry.length === 0) return new Uint8Array(0);
      if (encoding === 'hex')
        throw new EnvelopeError('MALFORMED', 'hex text has an odd number of digits', offset);
      // Unpadded base64 (URL-safe writers drop the "=").
      if (carry.length === 1)
        throw new EnvelopeError('MALFORMED', 'base64 text ends with a lone character', offset);
      return decodeGroups(carry + '='.repeat(4 - carry.length), offset);
    },
  };
}

/** Decodes a whole message given as binary, base64 or hex. */
export function decodeMessageText(input: Uint8Array): { encoding: MessageEncoding; message: Uint8Array } {
  const encoding = detectEncoding(input.subarray(0, 64));
  if (encoding === 'binary') return { encoding, message: input };
  const decoder = createTextDecoder(encoding);
  const head = decoder.push(input);
  const tail = decoder.finish();
  const message = new Uint8Array(head.length + tail.length);
  message.set(head, 0);
  message.set(tail, head.length);
  return { encoding, message };
}
