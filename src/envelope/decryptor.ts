/**
 * Streaming decryption (ESDK specification, "Decrypt"): `push` takes message chunks and resolves to the plaintext of
 * the frames they complete, each released only after its AES-GCM tag verifies; `finish` checks that the message is
 * complete and nothing follows it, verifies the signature of signed suites, and only then releases the last part
 * (the final frame, or the whole non-framed body). So a truncated message, trailing bytes or a bad signature
 * never release the part they concern; frames released earlier stay unverified by the signature until `finish`
 * succeeds, which the specification allows ("Security considerations"); the ESDK for JavaScript releases the
 * final frame too before checking the signature. Memory stays bounded by the chunk being pushed plus the frames in
 * flight (a non-framed body is held whole: AES-GCM in WebCrypto is one call).
 *
 * Order of checks: header parsed (limits) → commitment policy → keyring (data key) → required context → key
 * commitment (format 2) → header tag → frames in sequence → footer.
 */
import {
  bodyAad,
  FINAL_FRAME_HEADER_LENGTH,
  IV_LENGTH,
  MAX_NON_FRAMED_LENGTH,
  NON_FRAMED_HEADER_LENGTH,
  REGULAR_FRAME_HEADER_LENGTH,
  SEQUENCE_NUMBER_END,
  TAG_LENGTH,
  type BodyPart,
} from './body';
import { ByteQueue } from './byte-queue';
import { concat, constantTimeEqual, own, view } from './bytes';
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
import { nobleHashFactory, verifySignature, type HashFactory, type IncrementalHash } from './signature';

export interface DecryptOptions {
  keyring: Keyring;
  commitmentPolicy?: CommitmentPolicy;
  /** Refuse headers with more encrypted data keys (the ESDK's maxEncryptedDataKeys; default: no limit). */
  maxEncryptedDataKeys?: number;
  /** Refuse frames (or a non-framed body) with more content bytes (the ESDK's maxBodySize; default: no limit). */
  maxBodySize?: number;
  /** Pairs the message's encryption context must contain. */
  encryptionContext?: EncryptionContext;
  createHash?: HashFactory;
  signal?: AbortSignal;
  /** Called after each push with the message bytes consumed so far (and the total when the caller said it). */
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

type Stage = 'header' | 'body' | 'footer' | 'done';

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new EnvelopeError('BAD_OPTION', `${name} must be a positive integer, not ${value}`);
}

export function createDecryptor(options: DecryptOptions): Decryptor {
  const policy = options.commitmentPolicy ?? DEFAULT_COMMITMENT_POLICY;
  checkPolicy(policy);
  checkLimit('maxEncryptedDataKeys', options.maxEncryptedDataKeys);
  checkLimit('maxBodySize', options.maxBodySize);
  const queue = new ByteQueue();
  let stage: Stage = 'header';
  let needed = 1; // bytes worth waiting for before the next parse attempt
  let header: MessageHeader | undefined;
  let key: CryptoKey | undefined;
  let verificationKey: Uint8Array | undefined;
  let hash: IncrementalHash | undefined;
  let expectedSequence = 1;
  let inFlight = new InFlight<Uint8Array>(1);
  /** The last part's plaintext, released by finish. */
  let lastPart: Promise<Uint8Array> | undefined;
  let signature: { der: Uint8Array; offset: number } | undefined;
  let busy = false;
  let failed: unknown;
  let finished = false;

  const consume = (count: number) => {
    const bytes = queue.take(count);
    hash?.update(bytes);
    return bytes;
  };

  async function openHeader(): Promise<boolean> {
    if (queue.length < needed) return false;
    const attempt = parseHeader(queue.peek(queue.length), {
      maxEncryptedDataKeys: options.maxEncryptedDataKeys,
    });
    if (!attempt.complete) {
      needed = attempt.needed;
      return false;
    }
    const candidate = attempt.parsed.header;
    const { suite } = candidate;
    checkDecryptAllowed(policy, suite, candidate.version === 1 ? 2 : 1);
    const setup = await decryptionSetup(options.keyring, candidate);
    throwIfAborted(options.signal);
    checkRequiredContext(options.encryptionContext, candidate.encryptionContext);
    const derived = await deriveContentKey(suite, setup.dataKey, candidate.messageId);
    const commitmentAt = attempt.parsed.fields.find((field) => field.field === 'suiteData')?.offset;
    if (candidate.commitment && !constantTimeEqual(derived.commitment!, candidate.commitment))
      throw new EnvelopeError(
        'COMMITMENT_MISMATCH',
        'the key commitment does not match the data key (a wrong data key, or a message made to open two ways)',
        commitmentAt,
      );
    try {
      await globalThis.crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: own(candidate.headerIv),
          additionalData: own(attempt.parsed.body),
          tagLength: 128,
        },
        derived.key,
        own(candidate.headerTag),
      );
    } catch {
      throw new EnvelopeError(
        'HEADER_AUTH',
        'the header authentication tag does not verify (the header was changed, or the data key is wrong)',
        attempt.parsed.body.length,
      );
    }
    if (suite.signature)
      hash = (options.createHash ?? nobleHashFactory)(suite.signature.hash as 'SHA-256' | 'SHA-384');
    consume(attempt.parsed.length);
    header = candidate;
    key = derived.key;
    verificationKey = setup.verificationKey;
    inFlight = new InFlight(windowFor(candidate.frameLength));
    stage = 'body';
    return true;
  }

  // The IV as serialized, as the ESDK for JavaScript does: the writer makes it the sequence number, but hand-made
  // compatibility vectors (06-19) carry 0xFF…FF ‖ number, and the tag covers it either way.
  const openPart = (
    part: BodyPart,
    sequence: number,
    iv: Uint8Array,
    sealed: Uint8Array,
    offset: number,
  ): Promise<Uint8Array> =>
    globalThis.crypto.subtle
      .decrypt(
        {
          name: 'AES-GCM',
          iv: own(iv),
          additionalData: own(bodyAad(header!.messageId, part, sequence, sealed.length - TAG_LENGTH)),
          tagLength: 128,
        },
        key!,
        own(sealed),
      )
      .then(
        (plaintext) => new Uint8Array(plaintext),
        () => {
          const what =
            part === 'single'
              ? 'the non-framed body'
              : `frame ${sequence}${part === 'final' ? ' (final)' : ''}`;
          throw new EnvelopeError(
            'FRAME_AUTH',
            `${what} fails its authentication tag (changed, or moved)`,
            offset,
          );
        },
      );

  const checkBodySize = (length: number, offset: number) => {
    if (options.maxBodySize !== undefined && length > options.maxBodySize)
      throw new EnvelopeError(
        'LIMIT',
        `a body part of ${length} bytes is over maxBodySize ${options.maxBodySize}`,
        offset,
      );
  };

  const checkSequence = (sequence: number, offset: number) => {
    if (sequence !== expectedSequence)
      throw new EnvelopeError(
        'FRAME_ORDER',
        `frame sequence number ${sequence} where ${expectedSequence} belongs (frames reordered, dropped or repeated)`,
        offset,
      );
  };

  /** Reads one body part if its bytes are all there; returns plaintext released now, or undefined to wait. */
  async function readFramedPart(released: Uint8Array[]): Promise<boolean> {
    const frameLength = header!.frameLength;
    if (queue.length < 4) return false;
    const offset = queue.offset;
    const first = view(queue.peek(4)).getUint32(0);
    if (first !== SEQUENCE_NUMBER_END) {
      const size = REGULAR_FRAME_HEADER_LENGTH + frameLength + TAG_LENGTH;
      checkSequence(first, offset);
      checkBodySize(frameLength, offset);
      if (queue.length < size) return false;
      const frame = consume(size);
      expectedSequence++;
      const iv = frame.subarray(4, REGULAR_FRAME_HEADER_LENGTH);
      released.push(
        ...(await inFlight.add(
          openPart('frame', first, iv, frame.subarray(REGULAR_FRAME_HEADER_LENGTH), offset),
        )),
      );
      return true;
    }
    if (queue.length < FINAL_FRAME_HEADER_LENGTH) return false;
    const fields = view(queue.peek(FINAL_FRAME_HEADER_LENGTH));
    const sequence = fields.getUint32(4);
    const contentLength = fields.getUint32(8 + IV_LENGTH);
    checkSequence(sequence, offset + 4);
    // ESDK specification, "Decrypt": the final frame's content is at most the frame length.
    if (contentLength > frameLength)
      throw new EnvelopeError(
        'MALFORMED',
        `the final frame claims ${contentLength} content bytes; the frame length is ${frameLength}`,
        offset + 8 + IV_LENGTH,
      );
    checkBodySize(contentLength, offset);
    const size = FINAL_FRAME_HEADER_LENGTH + contentLength + TAG_LENGTH;
    if (queue.length < size) return false;
    const frame = consume(size);
    const iv = frame.subarray(8, 8 + IV_LENGTH);
    lastPart = openPart('final', sequence, iv, frame.subarray(FINAL_FRAME_HEADER_LENGTH), offset);
    lastPart.catch(() => undefined);
    stage = header!.suite.signature ? 'footer' : 'done';
    return true;
  }

  function readNonFramedBody(): boolean {
    if (queue.length < NON_FRAMED_HEADER_LENGTH) return false;
    const offset = queue.offset;
    const fields = view(queue.peek(NON_FRAMED_HEADER_LENGTH));
    const contentLength = fields.getUint32(IV_LENGTH) * 2 ** 32 + fields.getUint32(IV_LENGTH + 4);
    if (contentLength > MAX_NON_FRAMED_LENGTH)
      throw new EnvelopeError(
        'LIMIT',
        `non-framed content of ${contentLength} bytes is over AES-GCM's ${MAX_NON_FRAMED_LENGTH}`,
        offset + IV_LENGTH,
      );
    checkBodySize(contentLength, offset);
    const size = NON_FRAMED_HEADER_LENGTH + contentLength + TAG_LENGTH;
    if (queue.length < size) return false;
    const body = consume(size);
    lastPart = openPart(
      'single',
      1,
      body.subarray(0, IV_LENGTH),
      body.subarray(NON_FRAMED_HEADER_LENGTH),
      offset,
    );
    lastPart.catch(() => undefined);
    stage = header!.suite.signature ? 'footer' : 'done';
    return true;
  }

  function readFooter(): boolean {
    if (queue.length < 2) return false;
    const offset = queue.offset;
    const length = view(queue.peek(2)).getUint16(0);
    if (length === 0) throw new EnvelopeError('SIGNATURE', 'the footer holds a signature of 0 bytes', offset);
    if (queue.length < 2 + length) return false;
    const footer = queue.take(2 + length); // the signature covers header and body only
    signature = { der: footer.subarray(2), offset };
    stage = 'done';
    return true;
  }

  async function advance(released: Uint8Array[]): Promise<void> {
    for (;;) {
      throwIfAborted(options.signal);
      if (stage === 'header') {
        if (!(await openHeader())) return;
      } else if (stage === 'body') {
        const progressed =
          header!.contentType === 'framed' ? await readFramedPart(released) : readNonFramedBody();
        if (!progressed) return;
      } else if (stage === 'footer') {
        if (!readFooter()) return;
      } else {
        if (queue.length > 0)
          throw new EnvelopeError(
            'TRAILING_DATA',
            `${queue.length} bytes follow the end of the message`,
            queue.offset,
          );
        return;
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
      inFlight.clear();
      throw error;
    } finally {
      busy = false;
    }
  }

  async function push(bytes: Uint8Array): Promise<Uint8Array> {
    return guarded(async () => {
      queue.push(bytes);
      const released: Uint8Array[] = [];
      await advance(released);
      released.push(...(await inFlight.drain()));
      queue.detach();
      options.onProgress?.(queue.offset + queue.length, options.messageLength);
      return released.length === 1 ? released[0] : concat(...released);
    });
  }

  function whereItEnds(): string {
    if (stage === 'header') return 'inside the header';
    if (stage === 'footer') return 'before the end of the footer (the signature)';
    if (header!.contentType === 'non-framed') return 'inside the non-framed body';
    return `inside frame ${expectedSequence}, before the final frame`;
  }

  async function finish(): Promise<Uint8Array> {
    return guarded(async () => {
      if (stage !== 'done')
        throw new EnvelopeError(
          'TRUNCATED',
          `the message ends ${whereItEnds()}`,
          queue.offset + queue.length,
        );
      const last = await lastPart!;
      if (header!.suite.signature) {
        const digest = hash!.digest();
        if (!verifySignature(header!.suite.signature.curve, digest, signature!.der, verificationKey!))
          throw new EnvelopeError(
            'SIGNATURE',
            'the signature does not verify (the message was changed)',
            signature!.offset,
          );
      }
      finished = true;
      return last;
    });
  }

  return {
    get header() {
      return header;
    },
    push,
    finish,
  };
}
