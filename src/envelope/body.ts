/**
 * The message body (ESDK message format reference, "Body structure" and "Body AAD reference"; facts §4.2).
 * Regular frame: sequence number (4) · IV (12) · encrypted content (frame length) · tag (16).
 * Final frame: 0xFFFFFFFF · sequence number (4) · IV (12) · content length (4) · encrypted content · tag (16).
 * Non-framed: IV (12) · content length (8) · encrypted content · tag (16).
 * Each part's AES-GCM AAD is message ID ‖ "AWSKMSEncryptionClient Frame" (or "… Final Frame", "… Single Block") ‖
 * sequence number (4; 1 for non-framed) ‖ content length (8). The lab writes the IV of part n as n, big-endian,
 * padded with zeros to 12 bytes (as the SDKs do; non-framed content is part 1); it reads the IV as serialized.
 */
import { u32, u64, utf8 } from './bytes';

export type BodyPart = 'frame' | 'final' | 'single';

export const SEQUENCE_NUMBER_END = 0xffffffff;
/** Regular frames stop one short of the end marker; a final frame may use it as its number. */
export const MAX_FRAMES = 0xffffffff;
/** AES-GCM's limit for one key and IV, the bound of non-framed content (message format reference). */
export const MAX_NON_FRAMED_LENGTH = 2 ** 36 - 32;
export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
export const REGULAR_FRAME_HEADER_LENGTH = 4 + IV_LENGTH;
export const FINAL_FRAME_HEADER_LENGTH = 4 + 4 + IV_LENGTH + 4;
export const NON_FRAMED_HEADER_LENGTH = IV_LENGTH + 8;

const AAD_CONTENT: Record<BodyPart, Uint8Array> = {
  frame: utf8('AWSKMSEncryptionClient Frame'),
  final: utf8('AWSKMSEncryptionClient Final Frame'),
  single: utf8('AWSKMSEncryptionClient Single Block'),
};

export function bodyAad(
  messageId: Uint8Array,
  part: BodyPart,
  sequenceNumber: number,
  contentLength: number,
) {
  const content = AAD_CONTENT[part];
  const aad = new Uint8Array(messageId.length + content.length + 12);
  aad.set(messageId, 0);
  aad.set(content, messageId.length);
  const numbers = new DataView(aad.buffer, messageId.length + content.length);
  numbers.setUint32(0, sequenceNumber);
  numbers.setUint32(4, Math.floor(contentLength / 2 ** 32));
  numbers.setUint32(8, contentLength >>> 0);
  return aad;
}

export function partIv(sequenceNumber: number): Uint8Array {
  const iv = new Uint8Array(IV_LENGTH);
  new DataView(iv.buffer).setUint32(IV_LENGTH - 4, sequenceNumber);
  return iv;
}

/** Writes a regular frame's sequence number and IV at `offset`. */
export function writeRegularFrameHeader(out: Uint8Array, offset: number, sequenceNumber: number): void {
  const fields = new DataView(out.buffer, out.byteOffset + offset, REGULAR_FRAME_HEADER_LENGTH);
  fields.setUint32(0, sequenceNumber);
  fields.setUint32(4 + IV_LENGTH - 4, sequenceNumber); // the IV: zeros, then the number
}

export function finalFrameHeader(sequenceNumber: number, contentLength: number): Uint8Array {
  const out = new Uint8Array(FINAL_FRAME_HEADER_LENGTH);
  out.set(u32(SEQUENCE_NUMBER_END), 0);
  out.set(u32(sequenceNumber), 4);
  out.set(partIv(sequenceNumber), 8);
  out.set(u32(contentLength), 8 + IV_LENGTH);
  return out;
}

export function nonFramedHeader(contentLength: number): Uint8Array {
  const out = new Uint8Array(NON_FRAMED_HEADER_LENGTH);
  out.set(partIv(1), 0);
  out.set(u64(contentLength), IV_LENGTH);
  return out;
}
