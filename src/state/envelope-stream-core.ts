/**
 * What the envelope streaming Worker does for one job, apart from the Worker itself (so Node tests run it): read
 * the input Blob as a stream, push it through the streaming encryptor or decryptor of `src/envelope` in slices,
 * and collect the output as a Blob of chunks. Memory stays bounded: the input is read as it goes, and the output
 * is folded into Blobs every few MB (a browser keeps Blob data outside the JavaScript heap).
 *
 * Release rule (docs/envelope.md, "Streaming"): the decryptor hands out a frame's plaintext only after its tag
 * verified, and the last frame only after the message proved complete and, for signed suites, its signature
 * verified. Earlier frames of a signed message are therefore not yet vouched for by the signature while the stream
 * runs; so this job hands out no plaintext at all until `finish` succeeded: on any failure the collected output is
 * dropped and only the error goes back.
 */
import {
  createDecryptor,
  createEncryptor,
  createKmsKeyring,
  isEnvelopeError,
  suiteHex,
  type Decryptor,
  type Encryptor,
  type MessageHeader,
} from '../envelope';
import { createTextDecoder, detectEncoding, type TextDecoderStream } from '../envelope/message-text';
import { decodeUtf8 } from '../envelope/bytes';
import { webCryptoBackend, type CryptoBackend } from '../envelope/crypto-backend';
import { createWasmHashFactory } from '../envelope/wasm-hash';
import type { KmsApi } from '../kms/api';
import type { FromStreamWorker, StreamJob } from './envelope-stream-protocol';

/** Plaintext or message bytes handed to the core at once: large enough to keep 64 AES-GCM calls in flight. */
export const STREAM_SLICE = 1 << 20;
/** Output is folded into a Blob whenever this much is pending. */
const FOLD_AT = 8 << 20;
/** Progress at most this often. */
const PROGRESS_MS = 100;

export interface StreamIo {
  /** The tab's KMS, reached through messages. */
  kms: Pick<KmsApi, 'call'>;
  post(message: FromStreamWorker): void;
  signal: AbortSignal;
  now?: () => number;
}

/** Collects output chunks and folds them into Blobs, so the heap holds at most FOLD_AT bytes of it. */
class BlobCollector {
  private readonly blobs: Blob[] = [];
  private pending: Uint8Array<ArrayBuffer>[] = [];
  private pendingBytes = 0;
  add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes as Uint8Array<ArrayBuffer>);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FOLD_AT) this.fold();
  }
  private fold(): void {
    this.blobs.push(new Blob(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }
  blob(type: string): Blob {
    this.fold();
    return new Blob(this.blobs, { type });
  }
}

/** Reads a Blob's stream in slices of about STREAM_SLICE bytes (a stream's own chunks are often 64 KiB). */
async function* slices(input: Blob, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = input.stream().getReader();
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  const take = () => {
    const out = held.length === 1 ? held[0] : new Uint8Array(heldBytes);
    if (held.length > 1) {
      let at = 0;
      for (const part of held) out.set(part, (at += part.length) - part.length);
    }
    held = [];
    heldBytes = 0;
    return out;
  };
  try {
    for (;;) {
      if (signal.aborted) return;
      const { done, value } = await reader.read();
      if (done) break;
      // A stream's chunk may also be the whole Blob (Node's): cut it to slices, so cancel acts between them.
      for (let at = 0; at < value.length; at += STREAM_SLICE) {
        const piece = value.subarray(at, at + STREAM_SLICE);
        held.push(piece);
        heldBytes += piece.length;
        if (heldBytes >= STREAM_SLICE) yield take();
        if (signal.aborted) return;
      }
    }
    if (heldBytes > 0) yield take();
  } finally {
    reader.releaseLock();
  }
}

function failure(id: number, error: unknown): FromStreamWorker {
  if (isEnvelopeError(error))
    return {
      type: 'failed',
      id,
      code: error.code,
      message: error.message,
      ...(error.offset !== undefined ? { offset: error.offset } : {}),
    };
  return {
    type: 'failed',
    id,
    code: 'ERROR',
    message: error instanceof Error ? error.message : String(error),
  };
}

const keysOf = (header: MessageHeader) =>
  header.encryptedDataKeys.map((edk) => decodeUtf8(edk.providerInfo) ?? edk.providerId);

/**
 * WebCrypto's AES-GCM with the signature hashed in WebAssembly (wasm-hash.ts): the JavaScript SHA-384 would bound
 * a signed suite's streaming far below AES (docs/envelope.md, "Figures"). Made once per Worker.
 */
let streamingBackend: Promise<CryptoBackend> | undefined;
const backendForStreaming = () =>
  (streamingBackend ??= createWasmHashFactory().then(
    (createHash) => ({ ...webCryptoBackend, createHash }),
    () => webCryptoBackend, // no WebAssembly: the JavaScript hash
  ));

/** Runs one job to its end; posts progress, then `done` or `failed`. */
export async function runStreamJob(job: StreamJob, io: StreamIo): Promise<void> {
  const now = io.now ?? (() => performance.now());
  const started = now();
  const total = job.input.size;
  let done = 0;
  let lastProgress = -Infinity;
  const progress = (force = false) => {
    const at = now();
    if (!force && at - lastProgress < PROGRESS_MS) return;
    lastProgress = at;
    io.post({ type: 'progress', id: job.id, done, total });
  };
  const output = new BlobCollector();
  try {
    progress(true);
    const backend = await backendForStreaming();
    let core: Encryptor | Decryptor;
    let text: TextDecoderStream | undefined;
    if (job.mode === 'encrypt') {
      if (!job.keyId) throw new Error('choose a KMS key to encrypt with');
      core = await createEncryptor({
        keyring: createKmsKeyring({ kms: io.kms, caller: job.caller, generatorKeyId: job.keyId }),
        encryptionContext: job.encryptionContext,
        ...(job.suiteId !== undefined ? { suiteId: job.suiteId } : {}),
        ...(job.frameLength !== undefined ? { frameLength: job.frameLength } : {}),
        plaintextLength: total,
        signal: io.signal,
        backend,
      });
    } else {
      core = createDecryptor({
        keyring: createKmsKeyring({ kms: io.kms, caller: job.caller, discovery: true }),
        encryptionContext: job.encryptionContext,
        signal: io.signal,
        backend,
      });
    }
    // Reading runs ahead by one slice: the file's next bytes arrive while this slice is sealed or opened.
    const reader = slices(job.input, io.signal);
    for (let next = reader.next(), read = await next; !read.done; read = await next) {
      next = reader.next();
      next.catch(() => undefined); // awaited next round; not unhandled if this round fails
      const slice = read.value;
      let bytes = slice;
      if (job.mode === 'decrypt') {
        // A message file may be base64 or hex text (message-text.ts); decided on its first bytes.
        text ??= createTextDecoder(detectEncoding(slice.subarray(0, 64)));
        bytes = text.push(slice);
      }
      output.add(await core.push(bytes));
      done += slice.length;
      progress();
    }
    if (io.signal.aborted) throw new Error('cancelled'); // reported as ABORTED below
    if (text) output.add(await core.push(text.finish()));
    if (job.mode === 'decrypt' && done === 0) detectEncoding(new Uint8Array(0)); // "the input is empty"
    output.add(await core.finish());
    progress(true);
    const header = core.header!;
    io.post({
      type: 'done',
      id: job.id,
      output: output.blob(job.mode === 'encrypt' ? 'application/octet-stream' : ''),
      bytesIn: total,
      suite: `${suiteHex(header.suite.id)} ${header.suite.name}`,
      frameLength: header.frameLength,
      keys: keysOf(header),
      milliseconds: now() - started,
    });
  } catch (error) {
    // Nothing collected leaves the job: for decrypt, no plaintext of a message that did not verify.
    if (io.signal.aborted) io.post({ type: 'failed', id: job.id, code: 'ABORTED', message: 'cancelled' });
    else io.post(failure(job.id, error));
  }
}
