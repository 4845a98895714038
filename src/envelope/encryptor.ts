/**
 * Streaming encryption: `createEncryptor` makes the data key (through the keyring), the header and the content key;
 * `push` takes plaintext chunks and returns the message bytes they complete (the header first); `finish` returns the
 * final frame and, for signed suites, the footer. Memory stays bounded by one frame of pending plaintext plus the
 * chunk being pushed. Frames follow the ESDK specification ("Encrypt"): a regular frame is made only when more
 * plaintext follows it, so the final frame carries the last 1 to frame-length bytes (0 only for empty input).
 */
import {
  bodyAad,
  finalFrameHeader,
  MAX_FRAMES,
  nonFramedHeader,
  MAX_NON_FRAMED_LENGTH,
  partIv,
  REGULAR_FRAME_HEADER_LENGTH,
  TAG_LENGTH,
  writeRegularFrameHeader,
  type BodyPart,
} from './body';
import { concat, randomBytes } from './bytes';
import {
  checkEncryptAllowed,
  checkPolicy,
  DEFAULT_COMMITMENT_POLICY,
  defaultSuiteFor,
  type CommitmentPolicy,
} from './commitment-policy';
import { checkCallerContext, type EncryptionContext } from './encryption-context';
import { EnvelopeError, throwIfAborted } from './errors';
import { serializeHeaderAuth, serializeHeaderBody, type ContentType, type MessageHeader } from './header';
import { InFlight, windowFor } from './in-flight';
import { deriveContentKey } from './key-derivation';
import type { Keyring } from './keyring';
import { encryptionSetup } from './materials';
import { signFooter, type IncrementalHash, type SigningKey } from './signature';
import { webCryptoBackend, type ContentKeyHandle, type CryptoBackend } from './crypto-backend';
import { suiteHex, suiteOf, type Suite, type SuiteId } from './suites';

export const DEFAULT_FRAME_LENGTH = 4096;
const MAX_FRAME_LENGTH = 0xffffffff;

export interface EncryptOptions {
  keyring: Keyring;
  encryptionContext?: EncryptionContext;
  /** Default: 0x0578, or 0x0378 under FORBID_ENCRYPT_ALLOW_DECRYPT (as the ESDK). */
  suiteId?: SuiteId;
  /** Plaintext bytes per frame (default 4096, as the ESDK). */
  frameLength?: number;
  commitmentPolicy?: CommitmentPolicy;
  /** AES-GCM and the signature's hash (default: WebCrypto and @noble/hashes; Node may pass node:crypto's). */
  backend?: CryptoBackend;
  signal?: AbortSignal;
  /** Called after each push with the plaintext bytes taken so far (and the total when the caller said it). */
  onProgress?: (done: number, total?: number) => void;
  /** For progress only: the plaintext length, when known. */
  plaintextLength?: number;
}

/** Everything a message needs before its body: made once, used by the framed and the non-framed writers. */
interface MessageStart {
  header: MessageHeader;
  /** Header body and header authentication, as serialized. */
  headerBytes: Uint8Array;
  key: ContentKeyHandle;
  backend: CryptoBackend;
  /** For signed suites: the hash every byte before the footer goes through as it is written out, and the key. */
  signer?: { hash: IncrementalHash; key: SigningKey; suite: Suite };
}

function chooseSuite(options: EncryptOptions): Suite {
  const policy = options.commitmentPolicy ?? DEFAULT_COMMITMENT_POLICY;
  checkPolicy(policy);
  const id = options.suiteId ?? defaultSuiteFor(policy);
  const suite = suiteOf(id);
  if (!suite) throw new EnvelopeError('BAD_OPTION', `unknown algorithm suite ${suiteHex(id)}`);
  checkEncryptAllowed(policy, suite);
  return suite;
}

async function startMessage(
  options: EncryptOptions,
  contentType: ContentType,
  frameLength: number,
): Promise<MessageStart> {
  const suite = chooseSuite(options);
  const callerContext = checkCallerContext(options.encryptionContext);
  throwIfAborted(options.signal);
  const setup = await encryptionSetup(options.keyring, suite, callerContext);
  throwIfAborted(options.signal);
  const messageId = randomBytes(suite.messageIdLength);
  const backend = options.backend ?? webCryptoBackend;
  const { key, commitment } = await deriveContentKey(suite, setup.dataKey, messageId, backend);
  const fields = {
    version: suite.messageFormat,
    suite,
    messageId,
    encryptionContext: setup.encryptionContext,
    encryptedDataKeys: setup.encryptedDataKeys,
    contentType,
    frameLength,
    commitment,
  };
  const body = serializeHeaderBody(fields);
  // Header IV: all zeros (format 2 defines it so; the JS SDK writes zeros in format 1 too). The key is fresh per
  // message for every KDF suite, and no body part uses IV 0.
  const headerIv = new Uint8Array(suite.ivLength);
  const headerTag = concat(...(await backend.seal(key, headerIv, body, new Uint8Array(0))));
  const headerBytes = concat(body, serializeHeaderAuth(suite.messageFormat, headerIv, headerTag));
  const signer =
    setup.signingKey && suite.signature
      ? {
          hash: backend.createHash(suite.signature.hash),
          key: setup.signingKey,
          suite,
        }
      : undefined;
  return { header: { ...fields, headerIv, headerTag }, headerBytes, key, backend, signer };
}

const sealPart = (start: MessageStart, part: BodyPart, sequenceNumber: number, plaintext: Uint8Array) =>
  start.backend.seal(
    start.key,
    partIv(sequenceNumber),
    bodyAad(start.header.messageId, part, sequenceNumber, plaintext.length),
    plaintext,
  );

/** The footer of a signed message, once every byte before it went through the hash. */
async function footerOf(start: MessageStart): Promise<Uint8Array> {
  if (!start.signer) return new Uint8Array(0);
  const { hash, key, suite } = start.signer;
  return signFooter(suite.signature!.curve, await hash.digest(), key.secretKey);
}

export interface Encryptor {
  readonly header: MessageHeader;
  /** Encrypts what completes frames; resolves to the message bytes to write next (the header on the first call). */
  push(plaintext: Uint8Array): Promise<Uint8Array>;
  /** The final frame and the footer. */
  finish(): Promise<Uint8Array>;
}

function checkFrameLength(frameLength: number): number {
  if (!Number.isInteger(frameLength) || frameLength < 1 || frameLength > MAX_FRAME_LENGTH)
    throw new EnvelopeError(
      'BAD_OPTION',
      `frame length must be an integer from 1 to ${MAX_FRAME_LENGTH}, not ${frameLength}`,
    );
  return frameLength;
}

export async function createEncryptor(options: EncryptOptions): Promise<Encryptor> {
  const frameLength = checkFrameLength(options.frameLength ?? DEFAULT_FRAME_LENGTH);
  const start = await startMessage(options, 'framed', frameLength);
  const frameSize = REGULAR_FRAME_HEADER_LENGTH + frameLength + TAG_LENGTH;
  const window = windowFor(frameLength);
  let pending = new Uint8Array(frameLength);
  let pendingLength = 0;
  let sequenceNumber = 1;
  let headerSent = false;
  let taken = 0;
  let state: 'open' | 'busy' | 'finished' | 'failed' = 'open';

  const enter = () => {
    if (state !== 'open')
      throw new EnvelopeError(
        'BAD_OPTION',
        state === 'busy' ? 'wait for the previous call to finish' : `the encryptor has ${state}`,
      );
    throwIfAborted(options.signal);
    state = 'busy';
  };
  const headerOnce = () => {
    if (headerSent) return new Uint8Array(0);
    headerSent = true;
    return start.headerBytes;
  };

  async function push(chunk: Uint8Array): Promise<Uint8Array> {
    enter();
    try {
      const available = pendingLength + chunk.length;
      // A regular frame only when bytes remain after it: the last ones always go to the final frame.
      const frames = available === 0 ? 0 : Math.floor((available - 1) / frameLength);
      // The final frame takes the number after the last regular one; numbers end at 0xFFFFFFFF.
      if (sequenceNumber + frames > MAX_FRAMES)
        throw new EnvelopeError('LIMIT', `a message holds at most ${MAX_FRAMES} frames`);
      const head = headerOnce();
      const out = new Uint8Array(head.length + frames * frameSize);
      out.set(head, 0);
      const inFlight = new InFlight<void>(window);
      let read = 0; // bytes of `chunk` used
      for (let i = 0; i < frames; i++) {
        throwIfAborted(options.signal);
        let plaintext: Uint8Array;
        if (pendingLength > 0) {
          read = frameLength - pendingLength;
          pending.set(chunk.subarray(0, read), pendingLength);
          plaintext = pending;
          pending = new Uint8Array(frameLength); // the frame keeps its buffer until sealed
          pendingLength = 0;
        } else {
          plaintext = chunk.subarray(read, read + frameLength);
          read += frameLength;
        }
        const offset = head.length + i * frameSize;
        const sequence = sequenceNumber++;
        writeRegularFrameHeader(out, offset, sequence);
        await inFlight.add(
          sealPart(start, 'frame', sequence, plaintext).then((pieces) => {
            let at = offset + REGULAR_FRAME_HEADER_LENGTH;
            for (const piece of pieces) {
              out.set(piece, at);
              at += piece.length;
            }
          }),
        );
      }
      await inFlight.drain();
      pending.set(chunk.subarray(read), pendingLength);
      pendingLength += chunk.length - read;
      start.signer?.hash.update(out);
      taken += chunk.length;
      options.onProgress?.(taken, options.plaintextLength);
      state = 'open';
      return out;
    } catch (error) {
      state = 'failed';
      throw error;
    }
  }

  async function finish(): Promise<Uint8Array> {
    enter();
    try {
      const plaintext = pending.subarray(0, pendingLength);
      const sealed = await sealPart(start, 'final', sequenceNumber, plaintext);
      const beforeFooter = concat(
        headerOnce(),
        finalFrameHeader(sequenceNumber, plaintext.length),
        ...sealed,
      );
      start.signer?.hash.update(beforeFooter);
      state = 'finished';
      return concat(beforeFooter, await footerOf(start));
    } catch (error) {
      state = 'failed';
      throw error;
    }
  }

  return { header: start.header, push, finish };
}

/** A non-framed message (one AES-GCM operation over the whole plaintext; decrypt-only in the JS SDK). */
export async function encryptNonFramed(
  plaintext: Uint8Array,
  options: EncryptOptions,
): Promise<{ message: Uint8Array; header: MessageHeader }> {
  if (plaintext.length > MAX_NON_FRAMED_LENGTH)
    throw new EnvelopeError('LIMIT', `non-framed content holds at most ${MAX_NON_FRAMED_LENGTH} bytes`);
  const start = await startMessage(options, 'non-framed', 0);
  const sealed = await sealPart(start, 'single', 1, plaintext);
  const beforeFooter = concat(start.headerBytes, nonFramedHeader(plaintext.length), ...sealed);
  start.signer?.hash.update(beforeFooter);
  options.onProgress?.(plaintext.length, plaintext.length);
  return { message: concat(beforeFooter, await footerOf(start)), header: start.header };
}
