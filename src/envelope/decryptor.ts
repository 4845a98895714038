/**
 * Streaming decryption (ESDK specification, "Decrypt"): `push` takes message chunks and resolves to the plaintext of
 * the frames they complete, each released only after its AES-GCM tag verifies; `finish` checks that the message is
 * complete and nothing follows it, verifies the signature of signed suites, and only then releases the last part
 * (the final frame, or the whole non-framed body). So a truncated message, trailing bytes or a bad signature never
 * release the part they concern. Frames released earlier are not yet vouched for by the signature until `finish`
 * succeeds, which the specification allows ("Security considerations"); the ESDK for JavaScript's streams release
 * the final frame too before they check the signature. Memory stays bounded by the chunk being pushed plus the
 * frames in flight (a non-framed body is held whole: WebCrypto's AES-GCM is one call).
 *
 * Order of checks: header structure and limits → commitment policy → keyring (data key) → required context → key
 * commitment (format 2) → header tag → each frame in sequence → the end → the signature.
 */
import { bodyAad, TAG_LENGTH } from './body';
import { BodyReader, type SealedPart } from './body-reader';
import { ByteQueue } from './byte-queue';
import { concat, constantTimeEqual } from './bytes';
import {
  checkDecryptAllowed,
  checkPolicy,
  DEFAULT_COMMITMENT_POLICY,
  type CommitmentPolicy,
} from './commitment-policy';
import type { EncryptionContext } from './encryption-context';
import { EnvelopeError, throwIfAborted } from './errors';
import { parseHeader, type MessageHeader } from './header';
import { InFlight, windowFor } from './in-flight';
import { deriveContentKey } from './key-derivation';
import type { Keyring } from './keyring';
import { checkRequiredContext, decryptionSetup } from './materials';
import { verifySignature, type IncrementalHash } from './signature';
import { webCryptoBackend, type ContentKeyHandle, type CryptoBackend } from './crypto-backend';

export interface DecryptOptions {
  keyring: Keyring;
  commitmentPolicy?: CommitmentPolicy;
  /** Refuse headers with more encrypted data keys (the ESDK's maxEncryptedDataKeys; default: no limit). */
  maxEncryptedDataKeys?: number;
  /** Refuse frames (or a non-framed body) with more content bytes (the ESDK's maxBodySize; default: no limit). */
  maxBodySize?: number;
  /** Pairs the message's encryption context must contain. */
  encryptionContext?: EncryptionContext;
  /** AES-GCM and the signature's hash (default: WebCrypto and @noble/hashes; Node may pass node:crypto's). */
  backend?: CryptoBackend;
  signal?: AbortSignal;
  /** Called after each push with the message bytes taken so far (and the total when the caller said it). */
  onProgress?: (done: number, total?: number) => void;
  /** For progress only: the message length, when known. */
  messageLength?: number;
}

export interface Decryptor {
  /** The header, once it is authenticated. */
  readonly header: MessageHeader | undefined;
  push(bytes: Uint8Array): Promise<Uint8Array>;
  finish(): Promise<Uint8Array>;
}

/** What the header gave: the key, the body walker, and for signed suites the hash and verification key. */
interface Opened {
  header: MessageHeader;
  key: ContentKeyHandle;
  body: BodyReader;
  window: InFlight<Uint8Array>;
  verifier?: { hash: IncrementalHash; key: Uint8Array };
}

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new EnvelopeError('BAD_OPTION', `${name} must be a positive integer, not ${value}`);
}

export function createDecryptor(options: DecryptOptions): Decryptor {
  const policy = options.commitmentPolicy ?? DEFAULT_COMMITMENT_POLICY;
  checkPolicy(policy);
  checkLimit('maxEncryptedDataKeys', options.maxEncryptedDataKeys);
  checkLimit('maxBodySize', options.maxBodySize);
  const backend = options.backend ?? webCryptoBackend;
  const queue = new ByteQueue();
  let needed = 1; // bytes worth having before the next header parse
  let opened: Opened | undefined;
  /** The last part's plaintext, released by finish. */
  let lastPart: Promise<Uint8Array> | undefined;
  let signature: { der: Uint8Array; offset: number } | undefined;
  let busy = false;
  let failed: unknown;
  let finished = false;

  async function openHeader(): Promise<Opened | undefined> {
    if (queue.length < needed) return undefined;
    const attempt = parseHeader(queue.peek(queue.length), {
      maxEncryptedDataKeys: options.maxEncryptedDataKeys,
    });
    if (!attempt.complete) {
      needed = attempt.needed;
      return undefined;
    }
    const { header, body, length, fields } = attempt.parsed;
    const { suite } = header;
    checkDecryptAllowed(policy, suite, header.version === 1 ? 2 : 1);
    const setup = await decryptionSetup(options.keyring, header);
    throwIfAborted(options.signal);
    checkRequiredContext(options.encryptionContext, header.encryptionContext);
    const derived = await deriveContentKey(suite, setup.dataKey, header.messageId, backend);
    if (header.commitment && !constantTimeEqual(derived.commitment!, header.commitment))
      throw new EnvelopeError(
        'COMMITMENT_MISMATCH',
        'the key commitment does not match the data key (a wrong data key, or a message made to open two ways)',
        fields.find((field) => field.field === 'suiteData')?.offset,
      );
    try {
      await backend.open(derived.key, header.headerIv, body, header.headerTag);
    } catch {
      throw new EnvelopeError(
        'HEADER_AUTH',
        'the header authentication tag does not verify (the header was changed, or the data key is wrong)',
        body.length,
      );
    }
    const verifier = suite.signature
      ? {
          hash: backend.createHash(suite.signature.hash),
          key: setup.verificationKey!,
        }
      : undefined;
    const headerBytes = queue.take(length);
    verifier?.hash.update(headerBytes);
    return {
      header,
      key: derived.key,
      body: new BodyReader(header, queue, {
        maxBodySize: options.maxBodySize,
        onBytes: verifier && ((bytes) => verifier.hash.update(bytes)),
      }),
      window: new InFlight(windowFor(header.frameLength)),
      verifier,
    };
  }

  // The IV as serialized, as the ESDK for JavaScript does: the SDKs write the sequence number, but hand-made
  // compatibility vectors (06-19) carry 0xFF…FF ‖ number, and the tag covers it either way.
  const open = ({ header, key }: Opened, { part, sequenceNumber, iv, sealed, offset }: SealedPart) =>
    backend
      .open(key, iv, bodyAad(header.messageId, part, sequenceNumber, sealed.length - TAG_LENGTH), sealed)
      .catch(() => {
        const what =
          part === 'single'
            ? 'the non-framed body'
            : `frame ${sequenceNumber}${part === 'final' ? ' (final)' : ''}`;
        throw new EnvelopeError(
          'FRAME_AUTH',
          `${what} fails its authentication tag (changed, or moved)`,
          offset,
        );
      });

  async function advance(released: Uint8Array[]): Promise<void> {
    if (!opened) opened = await openHeader();
    if (!opened) return;
    for (let next = opened.body.next(); next; next = opened.body.next()) {
      throwIfAborted(options.signal);
      if (next.kind === 'footer') signature = { der: next.signature, offset: next.offset };
      else if (next.part === 'frame') released.push(...(await opened.window.add(open(opened, next))));
      else {
        lastPart = open(opened, next);
        lastPart.catch(() => undefined); // awaited by finish
      }
    }
  }

  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    if (failed) throw failed;
    if (busy) throw new EnvelopeError('BAD_OPTION', 'wait for the previous call to finish');
    if (finished) throw new EnvelopeError('BAD_OPTION', 'the decryptor has finished');
    busy = true;
    try {
      return await run();
    } catch (error) {
      failed = error;
      opened?.window.clear();
      throw error;
    } finally {
      busy = false;
    }
  }

  const push = (bytes: Uint8Array) =>
    guarded(async () => {
      throwIfAborted(options.signal);
      queue.push(bytes);
      const released: Uint8Array[] = [];
      await advance(released);
      if (opened) released.push(...(await opened.window.drain()));
      queue.detach();
      options.onProgress?.(queue.offset + queue.length, options.messageLength);
      return released.length === 1 ? released[0] : concat(...released);
    });

  const finish = () =>
    guarded(async () => {
      if (!opened || !opened.body.done)
        throw new EnvelopeError(
          'TRUNCATED',
          `the message ends ${opened ? opened.body.whereItEnds() : 'inside the header'}`,
          queue.offset + queue.length,
        );
      const last = await lastPart!;
      const { verifier, header } = opened;
      if (
        verifier &&
        !verifySignature(
          header.suite.signature!.curve,
          await verifier.hash.digest(),
          signature!.der,
          verifier.key,
        )
      )
        throw new EnvelopeError(
          'SIGNATURE',
          'the signature does not verify (the message was changed)',
          signature!.offset,
        );
      finished = true;
      return last;
    });

  return {
    get header() {
      return opened?.header;
    },
    push,
    finish,
  };
}
