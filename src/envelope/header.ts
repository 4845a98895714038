/**
 * The message header (ESDK message format reference, "Header structure"; facts §4.2), big-endian throughout.
 *
 * Format 1: Version 0x01 · Type 0x80 · Suite (2) · Message ID (16) · AAD length (2) · AAD · EDK count (2) · EDKs ·
 * Content type (1) · Reserved 0x00000000 (4) · IV length (1) · Frame length (4) · Header IV (12) · Header tag (16).
 * Format 2: Version 0x02 · Suite (2) · Message ID (32) · AAD length (2) · AAD · EDK count (2) · EDKs ·
 * Content type (1) · Frame length (4) · Suite data = key commitment (32) · Header tag (16) (the IV is all zeros).
 * Each EDK: provider ID length (2) · provider ID (UTF-8) · provider info length (2) · provider info · EDK length (2) ·
 * encrypted data key. The header tag is AES-GCM over no plaintext with the header body (all before the IV or tag)
 * as AAD.
 */
import { concat, decodeUtf8, u16, u32, u8, utf8, view } from './bytes';
import { parseContextPairs, serializeContextPairs, type EncryptionContext } from './encryption-context';
import { EnvelopeError } from './errors';
import { suiteHex, suiteOf, type Suite } from './suites';

export interface EncryptedDataKey {
  /** Who can decrypt it: "aws-kms" for KMS, the key namespace for a raw keyring. */
  providerId: string;
  /** Which key: a KMS key ARN (UTF-8), or a raw keyring's key name, tag length, IV length and IV (binary). */
  providerInfo: Uint8Array;
  /** The data key encrypted under that key. */
  ciphertext: Uint8Array;
}

export type ContentType = 'framed' | 'non-framed';

export interface MessageHeader {
  version: 1 | 2;
  suite: Suite;
  messageId: Uint8Array;
  encryptionContext: EncryptionContext;
  encryptedDataKeys: EncryptedDataKey[];
  contentType: ContentType;
  /** Plaintext bytes per frame; 0 for a non-framed message. */
  frameLength: number;
  /** Format 2: the 32-byte key commitment (algorithm suite data). */
  commitment?: Uint8Array;
  /** The header authentication IV: serialized in format 1, all zeros in format 2. */
  headerIv: Uint8Array;
  headerTag: Uint8Array;
}

/** A span of the message, for the inspector's byte map and for errors. */
export interface FieldSpan {
  field: string;
  offset: number;
  length: number;
}

export interface ParsedHeader {
  header: MessageHeader;
  /** The header body: the AAD of the header tag, and the first bytes the signature covers. */
  body: Uint8Array;
  /** Bytes of the whole header, authentication included: where the message body starts. */
  length: number;
  fields: FieldSpan[];
}

export type HeaderParse = { complete: true; parsed: ParsedHeader } | { complete: false; needed: number };

export interface HeaderLimits {
  /** Refuse headers with more encrypted data keys (the ESDK's maxEncryptedDataKeys; default: no limit). */
  maxEncryptedDataKeys?: number;
}

const CONTENT_TYPES: Record<number, ContentType> = { 1: 'non-framed', 2: 'framed' };
const CONTENT_TYPE_BYTE: Record<ContentType, number> = { 'non-framed': 1, framed: 2 };
const TYPE_CUSTOMER_AE_DATA = 0x80;

/** Thrown inside the parser when the bytes so far end before the field it reads. */
class NeedMore {
  constructor(readonly needed: number) {}
}

class Cursor {
  at = 0;
  readonly fields: FieldSpan[] = [];
  private readonly data: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.data = view(bytes);
  }

  take(length: number, field: string): Uint8Array {
    if (this.at + length > this.bytes.length) throw new NeedMore(this.at + length);
    this.fields.push({ field, offset: this.at, length });
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  uint(length: 1 | 2 | 4, field: string): number {
    const start = this.at;
    this.take(length, field);
    return length === 1
      ? this.data.getUint8(start)
      : length === 2
        ? this.data.getUint16(start)
        : this.data.getUint32(start);
  }
}

/**
 * Parses a header from the first bytes of a message. Returns `{ complete: false, needed }` while the bytes end
 * inside the header (`needed` is the least length worth trying again with); throws an `EnvelopeError` naming the
 * byte offset for anything malformed or over a limit.
 */
export function parseHeader(bytes: Uint8Array, limits: HeaderLimits = {}): HeaderParse {
  try {
    return { complete: true, parsed: parseComplete(new Cursor(bytes), limits) };
  } catch (error) {
    if (error instanceof NeedMore) return { complete: false, needed: error.needed };
    throw error;
  }
}

function parseComplete(cursor: Cursor, limits: HeaderLimits): ParsedHeader {
  const version = cursor.uint(1, 'version');
  if (version !== 1 && version !== 2)
    throw new EnvelopeError(
      'UNSUPPORTED',
      `unknown message format version 0x${version.toString(16).padStart(2, '0')} (1 and 2 exist)` +
        (version === 0x41 ? '; the message looks like base64 text, decode it first' : ''),
      0,
    );
  if (version === 1) {
    const type = cursor.uint(1, 'type');
    if (type !== TYPE_CUSTOMER_AE_DATA)
      throw new EnvelopeError('MALFORMED', `message type is 0x${type.toString(16)}, not 0x80`, 1);
  }
  const suiteAt = cursor.at;
  const suiteId = cursor.uint(2, 'suiteId');
  const suite = suiteOf(suiteId);
  if (!suite) throw new EnvelopeError('UNSUPPORTED', `unknown algorithm suite ${suiteHex(suiteId)}`, suiteAt);
  if (suite.messageFormat !== version)
    throw new EnvelopeError(
      'MALFORMED',
      `suite ${suiteHex(suiteId)} belongs in a format ${suite.messageFormat} header, this one is format ${version}`,
      suiteAt,
    );
  const messageId = cursor.take(suite.messageIdLength, 'messageId');

  const contextLength = cursor.uint(2, 'aadLength');
  const contextAt = cursor.at;
  const encryptionContext = parseContextPairs(cursor.take(contextLength, 'encryptionContext'), contextAt);

  const countAt = cursor.at;
  const edkCount = cursor.uint(2, 'edkCount');
  if (edkCount === 0) throw new EnvelopeError('MALFORMED', 'the header has no encrypted data keys', countAt);
  if (limits.maxEncryptedDataKeys !== undefined && edkCount > limits.maxEncryptedDataKeys)
    throw new EnvelopeError(
      'LIMIT',
      `the header has ${edkCount} encrypted data keys; maxEncryptedDataKeys is ${limits.maxEncryptedDataKeys}`,
      countAt,
    );
  const encryptedDataKeys: EncryptedDataKey[] = [];
  for (let n = 1; n <= edkCount; n++) {
    const providerIdAt = cursor.at + 2;
    const providerIdBytes = cursor.take(cursor.uint(2, `edk ${n} providerIdLength`), `edk ${n} providerId`);
    const providerId = decodeUtf8(providerIdBytes);
    if (providerId === undefined)
      throw new EnvelopeError(
        'MALFORMED',
        `encrypted data key ${n}: the provider ID is not UTF-8`,
        providerIdAt,
      );
    const providerInfo = cursor.take(cursor.uint(2, `edk ${n} providerInfoLength`), `edk ${n} providerInfo`);
    const ciphertext = cursor.take(cursor.uint(2, `edk ${n} ciphertextLength`), `edk ${n} ciphertext`);
    encryptedDataKeys.push({ providerId, providerInfo, ciphertext });
  }

  const contentTypeAt = cursor.at;
  const contentTypeByte = cursor.uint(1, 'contentType');
  const contentType = CONTENT_TYPES[contentTypeByte];
  if (!contentType)
    throw new EnvelopeError(
      'MALFORMED',
      `content type is 0x${contentTypeByte.toString(16).padStart(2, '0')}; 0x01 (non-framed) or 0x02 (framed)`,
      contentTypeAt,
    );
  if (version === 1) {
    const reservedAt = cursor.at;
    if (cursor.uint(4, 'reserved') !== 0)
      throw new EnvelopeError('MALFORMED', 'the reserved field is not 0x00000000', reservedAt);
    const ivLengthAt = cursor.at;
    const ivLength = cursor.uint(1, 'ivLength');
    if (ivLength !== suite.ivLength)
      throw new EnvelopeError(
        'MALFORMED',
        `IV length is ${ivLength}; suite ${suiteHex(suiteId)} uses 12`,
        ivLengthAt,
      );
  }
  const frameLengthAt = cursor.at;
  const frameLength = cursor.uint(4, 'frameLength');
  // Message format reference, "Frame Length": 0 for non-framed content, the plaintext bytes per frame otherwise.
  if (contentType === 'non-framed' && frameLength !== 0)
    throw new EnvelopeError(
      'MALFORMED',
      `a non-framed message has frame length ${frameLength}, not 0`,
      frameLengthAt,
    );
  if (contentType === 'framed' && frameLength === 0)
    throw new EnvelopeError('MALFORMED', 'a framed message has frame length 0', frameLengthAt);
  const commitment = suite.committing ? cursor.take(suite.suiteDataLength, 'suiteData') : undefined;
  const bodyLength = cursor.at;
  const headerIv = version === 1 ? cursor.take(suite.ivLength, 'headerIv') : new Uint8Array(suite.ivLength);
  const headerTag = cursor.take(suite.tagLength, 'headerAuthTag');
  return {
    header: {
      version,
      suite,
      messageId,
      encryptionContext,
      encryptedDataKeys,
      contentType,
      frameLength,
      commitment,
      headerIv,
      headerTag,
    },
    body: cursor.bytes.subarray(0, bodyLength),
    length: cursor.at,
    fields: cursor.fields,
  };
}

export type HeaderFields = Omit<MessageHeader, 'headerIv' | 'headerTag'>;

/** Serializes the header body (what the header tag authenticates), refusing fields the format cannot hold. */
export function serializeHeaderBody(header: HeaderFields): Uint8Array {
  const { suite } = header;
  const context = serializeContextPairs(header.encryptionContext);
  if (header.encryptedDataKeys.length === 0 || header.encryptedDataKeys.length > 0xffff)
    throw new EnvelopeError(
      'LIMIT',
      `a header holds 1 to 65535 encrypted data keys, not ${header.encryptedDataKeys.length}`,
    );
  const field = (bytes: Uint8Array, what: string) => {
    if (bytes.length > 0xffff)
      throw new EnvelopeError('LIMIT', `${what} is ${bytes.length} bytes; at most 65535 fit`);
    return concat(u16(bytes.length), bytes);
  };
  const edks = header.encryptedDataKeys.flatMap((edk, i) => [
    field(utf8(edk.providerId), `encrypted data key ${i + 1}'s provider ID`),
    field(edk.providerInfo, `encrypted data key ${i + 1}'s provider info`),
    field(edk.ciphertext, `encrypted data key ${i + 1}`),
  ]);
  const versionPart = header.version === 1 ? [u8(1), u8(TYPE_CUSTOMER_AE_DATA)] : [u8(2)];
  const tail =
    header.version === 1
      ? [u8(CONTENT_TYPE_BYTE[header.contentType]), u32(0), u8(suite.ivLength), u32(header.frameLength)]
      : [
          u8(CONTENT_TYPE_BYTE[header.contentType]),
          u32(header.frameLength),
          header.commitment ?? new Uint8Array(0),
        ];
  return concat(
    ...versionPart,
    u16(suite.id),
    header.messageId,
    u16(context.length),
    context,
    u16(header.encryptedDataKeys.length),
    ...edks,
    ...tail,
  );
}

/** The header authentication as serialized: IV and tag in format 1, the tag alone in format 2. */
export const serializeHeaderAuth = (version: 1 | 2, iv: Uint8Array, tag: Uint8Array): Uint8Array =>
  version === 1 ? concat(iv, tag) : tag;
