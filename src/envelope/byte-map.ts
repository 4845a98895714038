/**
 * The byte map of a message: its regions in order (header fields, the encryption context, each encrypted data key,
 * each body part, the footer), each with its offset, length and what it means, from what the inspector found
 * (`inspect.ts`). The visualizer and the inspector draw these; the meanings follow the ESDK's "Message format
 * reference" (facts §4.2) in the lab's words.
 */
import type { MessageSummary } from './inspect';

export type RegionKind = 'header' | 'context' | 'edk' | 'auth' | 'body' | 'footer';

export interface MessageRegion {
  id: string;
  kind: RegionKind;
  label: string;
  offset: number;
  length: number;
  meaning: string;
}

/** Body parts drawn one by one; the rest are summed into one region (a large message has many frames). */
export const MAX_PART_REGIONS = 24;

function headerMeaning(
  field: string,
  summary: MessageSummary,
): { label: string; meaning: string; kind: RegionKind } {
  const { suite } = summary;
  switch (field) {
    case 'version':
      return {
        kind: 'header',
        label: 'Version',
        meaning: `Message format ${summary.version}: 2 carries a key commitment (the committing suites), 1 does not.`,
      };
    case 'type':
      return {
        kind: 'header',
        label: 'Type',
        meaning: 'Message type 0x80, customer authenticated encrypted data (format 1 only).',
      };
    case 'suiteId':
      return {
        kind: 'header',
        label: 'Algorithm suite',
        meaning: `${suite.id} ${suite.name}: ${suite.committing ? 'commits to the data key' : 'no key commitment'}, ${suite.signed ? 'signed with ECDSA' : 'not signed'}.`,
      };
    case 'messageId':
      return {
        kind: 'header',
        label: 'Message ID',
        meaning:
          'Random and unique per message: it goes into the content key derivation and every frame\u2019s AAD, so frames cannot move between messages.',
      };
    case 'aadLength':
      return {
        kind: 'context',
        label: 'Context length',
        meaning: 'Bytes of the serialized encryption context (0 when it is empty).',
      };
    case 'encryptionContext':
      return {
        kind: 'context',
        label: 'Encryption context',
        meaning: `Stored in the clear, pairs sorted by the UTF-8 bytes of their keys: ${Object.keys(summary.encryptionContext).join(', ') || 'none'}. KMS received the same pairs and binds them to the encrypted data key; the header tag binds them to the message.`,
      };
    case 'edkCount':
      return {
        kind: 'edk',
        label: 'Data key count',
        meaning: `${summary.encryptedDataKeys.length} encrypted data key(s) follow; any one of them can open the message.`,
      };
    case 'contentType':
      return {
        kind: 'header',
        label: 'Content type',
        meaning:
          summary.contentType === 'framed'
            ? '0x02: the body is in frames.'
            : '0x01: the body is one block (non-framed).',
      };
    case 'reserved':
      return { kind: 'header', label: 'Reserved', meaning: 'Four zero bytes (format 1).' };
    case 'ivLength':
      return {
        kind: 'header',
        label: 'IV length',
        meaning: '12: every IV in the message is 12 bytes (format 1).',
      };
    case 'frameLength':
      return {
        kind: 'header',
        label: 'Frame length',
        meaning: summary.frameLength ? `${summary.frameLength} plaintext bytes per frame.` : '0: non-framed.',
      };
    case 'suiteData':
      return {
        kind: 'auth',
        label: 'Key commitment',
        meaning: 'Derived from the data key and the message ID: a message decrypts under one data key only.',
      };
    case 'headerIv':
      return {
        kind: 'auth',
        label: 'Header IV',
        meaning: 'The IV of the header tag (format 1; zeros in format 2, where it is not written).',
      };
    case 'headerAuthTag':
      return {
        kind: 'auth',
        label: 'Header tag',
        meaning:
          'AES-GCM tag over every header byte before it, under the content key: a changed context, key list or frame length fails here.',
      };
    default:
      return { kind: 'header', label: field, meaning: field };
  }
}

/** The regions of a message, in byte order. */
export function messageRegions(summary: MessageSummary): MessageRegion[] {
  const regions: MessageRegion[] = [];
  for (const span of summary.headerFields) {
    const edk = /^edk (\d+) (\w+)$/.exec(span.field);
    if (edk) {
      const n = Number(edk[1]);
      const last = regions.at(-1);
      if (last?.id === `edk-${n}`) {
        last.length = span.offset + span.length - last.offset;
        continue;
      }
      const key = summary.encryptedDataKeys[n - 1];
      regions.push({
        id: `edk-${n}`,
        kind: 'edk',
        label: `Encrypted data key ${n}`,
        offset: span.offset,
        length: span.length,
        meaning:
          `Provider ${key.providerId}, ${key.rawAes ? `raw AES key ${key.rawAes.keyName}` : key.providerInfo}: ` +
          `${key.ciphertextLength} bytes that only that key can turn back into the data key.`,
      });
      continue;
    }
    regions.push({
      id: span.field,
      offset: span.offset,
      length: span.length,
      ...headerMeaning(span.field, summary),
    });
  }
  const shown = summary.parts.slice(0, MAX_PART_REGIONS);
  for (const part of shown)
    regions.push({
      id: `part-${part.sequenceNumber}`,
      kind: 'body',
      label:
        part.part === 'single'
          ? 'Body'
          : part.part === 'final'
            ? `Final frame ${part.sequenceNumber}`
            : `Frame ${part.sequenceNumber}`,
      offset: part.offset,
      length: part.length,
      meaning:
        (part.part === 'final'
          ? 'Marker 0xFFFFFFFF, sequence number, IV, content length, '
          : part.part === 'single'
            ? 'IV, content length, '
            : 'Sequence number, IV, ') +
        `${part.contentLength} bytes of ciphertext and a 16-byte tag. The AAD names the message ID and the sequence number, so frames cannot be reordered.`,
    });
  const bodyEnd = summary.messageLength - (summary.signaturePresent ? summary.signatureLength! + 2 : 0);
  const lastShown = shown.at(-1);
  if (lastShown && summary.frameCount > shown.length) {
    const offset = lastShown.offset + lastShown.length;
    regions.push({
      id: 'parts-rest',
      kind: 'body',
      label: `Frames ${shown.length + 1}\u2013${summary.frameCount}`,
      offset,
      length: bodyEnd - offset,
      meaning: `${summary.frameCount - shown.length} more frames, each with its sequence number, IV, ciphertext and tag.`,
    });
  }
  if (summary.signaturePresent)
    regions.push({
      id: 'footer',
      kind: 'footer',
      label: 'Signature',
      offset: bodyEnd,
      length: summary.signatureLength! + 2,
      meaning:
        'Length, then an ECDSA signature over the header and body; the public key to check it is in the encryption context (aws-crypto-public-key), so only a holder of the private key could have written this message.',
    });
  return regions;
}
