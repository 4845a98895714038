/**
 * The message inspector: what a message says about itself, without any key. It parses the header and walks the
 * body's structure (frame numbers, lengths, the footer) with the same checks as decryption, so a malformed message
 * fails here with the same error and byte offset; nothing is authenticated. Streams, so a large file never sits
 * in memory whole.
 */
import { BodyReader } from './body-reader';
import { ByteQueue } from './byte-queue';
import { decodeUtf8, toHex, view } from './bytes';
import { TAG_LENGTH } from './body';
import type { EncryptionContext } from './encryption-context';
import { EnvelopeError } from './errors';
import { parseHeader, type EncryptedDataKey, type FieldSpan, type MessageHeader } from './header';
import { suiteHex } from './suites';

export interface EncryptedDataKeySummary {
  providerId: string;
  /** The provider info as text when it is UTF-8 (a KMS key ARN), else hex. */
  providerInfo: string;
  providerInfoEncoding: 'utf8' | 'hex';
  /** A raw AES keyring's provider info, taken apart. */
  rawAes?: { keyName: string; tagLengthBits: number; ivLength: number; iv: string };
  ciphertextLength: number;
}

export interface PartSummary {
  part: 'frame' | 'final' | 'single';
  sequenceNumber: number;
  offset: number;
  /** Bytes of the part in the message. */
  length: number;
  contentLength: number;
}

export interface MessageSummary {
  version: 1 | 2;
  suite: { id: string; name: string; committing: boolean; signed: boolean };
  messageId: string;
  encryptionContext: EncryptionContext;
  encryptedDataKeys: EncryptedDataKeySummary[];
  contentType: 'framed' | 'non-framed';
  frameLength: number;
  frameCount: number;
  plaintextLength: number;
  /** Format 2: the key commitment, hex. */
  commitment?: string;
  signaturePresent: boolean;
  signatureLength?: number;
  headerLength: number;
  messageLength: number;
  /** The header's fields with their offsets (the byte map). */
  headerFields: FieldSpan[];
  /** The body's parts with their offsets, up to `maxParts`. */
  parts: PartSummary[];
  partsTruncated: boolean;
}

function rawAesInfo(edk: EncryptedDataKey): EncryptedDataKeySummary['rawAes'] {
  const info = edk.providerInfo;
  if (info.length < 20) return undefined;
  const fields = view(info.subarray(info.length - 20));
  const keyName = decodeUtf8(info.subarray(0, info.length - 20));
  if (keyName === undefined || fields.getUint32(0) !== 128 || fields.getUint32(4) !== 12) return undefined;
  return { keyName, tagLengthBits: 128, ivLength: 12, iv: toHex(info.subarray(info.length - 12)) };
}

function summarizeDataKey(edk: EncryptedDataKey): EncryptedDataKeySummary {
  const rawAes = edk.providerId === 'aws-kms' ? undefined : rawAesInfo(edk);
  const text = rawAes ? undefined : decodeUtf8(edk.providerInfo);
  return {
    providerId: edk.providerId,
    providerInfo: text ?? toHex(edk.providerInfo),
    providerInfoEncoding: text === undefined ? 'hex' : 'utf8',
    ...(rawAes ? { rawAes } : {}),
    ciphertextLength: edk.ciphertext.length,
  };
}

export interface Inspector {
  push(bytes: Uint8Array): void;
  finish(): MessageSummary;
}

export function createInspector(options: { maxParts?: number } = {}): Inspector {
  const maxParts = options.maxParts ?? 1000;
  const queue = new ByteQueue();
  let header: MessageHeader | undefined;
  let headerFields: FieldSpan[] = [];
  let headerLength = 0;
  let body: BodyReader | undefined;
  let needed = 1;
  let frameCount = 0;
  let plaintextLength = 0;
  let signatureLength: number | undefined;
  const parts: PartSummary[] = [];

  function advance(): void {
    if (!header) {
      if (queue.length < needed) return;
      const attempt = parseHeader(queue.peek(queue.length));
      if (!attempt.complete) {
        needed = attempt.needed;
        return;
      }
      ({ header, fields: headerFields, length: headerLength } = attempt.parsed);
      queue.take(headerLength);
      body = new BodyReader(header, queue);
    }
    for (let next = body!.next(); next; next = body!.next()) {
      if (next.kind === 'footer') {
        signatureLength = next.signature.length;
        continue;
      }
      const contentLength = next.sealed.length - TAG_LENGTH;
      frameCount++;
      plaintextLength += contentLength;
      if (parts.length < maxParts)
        parts.push({
          part: next.part,
          sequenceNumber: next.sequenceNumber,
          offset: next.offset,
          length: queue.offset - next.offset,
          contentLength,
        });
    }
  }

  return {
    push(bytes) {
      queue.push(bytes);
      advance();
      queue.detach();
    },
    finish() {
      if (!header || !body?.done)
        throw new EnvelopeError(
          'TRUNCATED',
          `the message ends ${body ? body.whereItEnds() : 'inside the header'}`,
          queue.offset + queue.length,
        );
      return {
        version: header.version,
        suite: {
          id: suiteHex(header.suite.id),
          name: header.suite.name,
          committing: header.suite.committing,
          signed: header.suite.signature !== undefined,
        },
        messageId: toHex(header.messageId),
        encryptionContext: header.encryptionContext,
        encryptedDataKeys: header.encryptedDataKeys.map(summarizeDataKey),
        contentType: header.contentType,
        frameLength: header.frameLength,
        frameCount,
        plaintextLength,
        ...(header.commitment ? { commitment: toHex(header.commitment) } : {}),
        signaturePresent: signatureLength !== undefined,
        ...(signatureLength !== undefined ? { signatureLength } : {}),
        headerLength,
        messageLength: queue.offset,
        headerFields,
        parts,
        partsTruncated: frameCount > parts.length,
      };
    },
  };
}

export function inspectMessage(message: Uint8Array, options?: { maxParts?: number }): MessageSummary {
  const inspector = createInspector(options);
  inspector.push(message);
  return inspector.finish();
}
