/**
 * Errors of the envelope module. Every failure is an `EnvelopeError` with a `code` a program can branch on and a
 * message a learner can read; a fault in the bytes of a message also carries the byte `offset` where it was found,
 * and its message starts with "at byte N: ".
 */
export type EnvelopeErrorCode =
  /** The bytes do not follow the message format (a field is out of range, inconsistent, or not UTF-8). */
  | 'MALFORMED'
  /** A well-formed field names something this implementation (or the ESDK) does not support: a version, a suite. */
  | 'UNSUPPORTED'
  /** The message ended before it was complete. */
  | 'TRUNCATED'
  /** Bytes follow the end of the message. */
  | 'TRAILING_DATA'
  /** A configured limit was exceeded (maxEncryptedDataKeys, maxBodySize) or a field is larger than the format allows. */
  | 'LIMIT'
  /** The commitment policy forbids the suite (on encrypt or on decrypt). */
  | 'COMMITMENT_POLICY'
  /** The key commitment in a v2 header does not match the data key. */
  | 'COMMITMENT_MISMATCH'
  /** The header authentication tag does not verify. */
  | 'HEADER_AUTH'
  /** A frame (or the non-framed body) fails its AES-GCM tag. */
  | 'FRAME_AUTH'
  /** Frames are out of order (a sequence number is not the previous one plus one). */
  | 'FRAME_ORDER'
  /** The footer signature is missing, malformed or does not verify. */
  | 'SIGNATURE'
  /** No keyring could supply the data key. */
  | 'NO_DATA_KEY'
  /** A KMS call of the KMS keyring failed on encrypt (the text names the KMS exception). */
  | 'KMS'
  /** The encryption context is refused (reserved key, a required pair missing). */
  | 'ENCRYPTION_CONTEXT'
  /** The caller's AbortSignal fired. */
  | 'ABORTED'
  /** An option is invalid (frame length, suite, key size, …) or the API was used out of order. */
  | 'BAD_OPTION';

export class EnvelopeError extends Error {
  readonly code: EnvelopeErrorCode;
  /** Where in the message the fault was found (bytes from the start of the message). */
  readonly offset?: number;

  constructor(code: EnvelopeErrorCode, message: string, offset?: number) {
    super(offset === undefined ? message : `at byte ${offset}: ${message}`);
    this.name = 'EnvelopeError';
    this.code = code;
    if (offset !== undefined) this.offset = offset;
  }
}

export const isEnvelopeError = (value: unknown): value is EnvelopeError => value instanceof EnvelopeError;

/** Throws `ABORTED` when the signal has fired (checked between frames, so a cancel takes effect quickly). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EnvelopeError('ABORTED', 'cancelled');
}
