/**
 * The layout of a symmetric ciphertext blob. AWS documents only a cleartext header naming the backing key,
 * authenticated as AAD, then the encrypted part (facts §2.10); the lab's layout is
 *
 *   version (1) ‖ key-material id (32) ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag (16)
 *
 * The header (version ‖ material id) and the encoded encryption context are the GCM additional data, so changing
 * any byte, dropping bytes or appending bytes fails the tag check. The blob names the opaque material id, never
 * the key ARN; the core finds the key from the material id.
 */
import { fromHex, randomBytes, toHex, type Bytes } from './bytes';

export const BLOB_VERSION = 0x01;
export const MATERIAL_ID_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const HEADER_BYTES = 1 + MATERIAL_ID_BYTES;
/** The shortest well-formed blob: header, IV and tag around an empty ciphertext. */
export const MIN_BLOB_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES;

export interface BlobParts {
  header: Uint8Array;
  materialId: string;
  iv: Uint8Array;
  sealed: Uint8Array;
}

/** IVs are drawn from a pool filled 341 at a time: one CSPRNG call instead of one per Encrypt (IVs are public). */
let ivPool: Bytes = new Uint8Array(0);
let ivOffset = 0;

/** A fresh random 96-bit IV, never handed out twice. */
export function freshIv(): Bytes {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 341);
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return ivPool.subarray(ivOffset - IV_BYTES, ivOffset);
}

export const blobHeader = (materialId: string): Uint8Array => {
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = BLOB_VERSION;
  header.set(fromHex(materialId), 1);
  return header;
};

/** Splits a blob, or returns undefined when it cannot be one of ours (wrong version or too short). */
export function parseBlob(blob: Uint8Array): BlobParts | undefined {
  if (blob.length < MIN_BLOB_BYTES || blob[0] !== BLOB_VERSION) return undefined;
  return {
    header: blob.subarray(0, HEADER_BYTES),
    materialId: toHex(blob.subarray(1, HEADER_BYTES)),
    iv: blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
    sealed: blob.subarray(HEADER_BYTES + IV_BYTES),
  };
}
