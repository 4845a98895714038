/**
 * Walks a message body and footer out of a `ByteQueue`, checking the structure as it goes (body.ts, footer in
 * signature.ts): frames numbered 1, 2, 3 … in order, a final frame no longer than the frame length, content within
 * maxBodySize and AES-GCM's limit, a footer for signed suites, nothing after the end. It decrypts nothing: the
 * decryptor opens the parts it yields, the inspector only counts them.
 */
import {
  FINAL_FRAME_HEADER_LENGTH,
  IV_LENGTH,
  MAX_NON_FRAMED_LENGTH,
  NON_FRAMED_HEADER_LENGTH,
  REGULAR_FRAME_HEADER_LENGTH,
  SEQUENCE_NUMBER_END,
  TAG_LENGTH,
  type BodyPart,
} from './body';
import { byteCount, view } from './bytes';
import type { ByteQueue } from './byte-queue';
import { EnvelopeError } from './errors';
import type { MessageHeader } from './header';

export interface SealedPart {
  kind: 'part';
  part: BodyPart;
  sequenceNumber: number;
  iv: Uint8Array;
  /** Encrypted content followed by the tag, as AES-GCM decryption takes it. */
  sealed: Uint8Array;
  /** Where the part starts in the message. */
  offset: number;
}

export interface Footer {
  kind: 'footer';
  signature: Uint8Array;
  offset: number;
}

export interface BodyReaderOptions {
  maxBodySize?: number;
  /** Sees every body byte, in order, as it is consumed (the signature's hash). The footer is not included. */
  onBytes?: (bytes: Uint8Array) => void;
}

export class BodyReader {
  private stage: 'body' | 'footer' | 'done' = 'body';
  private expectedSequence = 1;

  constructor(
    private readonly header: MessageHeader,
    private readonly queue: ByteQueue,
    private readonly options: BodyReaderOptions = {},
  ) {}

  get done(): boolean {
    return this.stage === 'done';
  }

  /** The next complete part or footer, or undefined when more bytes are needed (or the message is done). */
  next(): SealedPart | Footer | undefined {
    if (this.stage === 'done') {
      if (this.queue.length > 0)
        throw new EnvelopeError(
          'TRAILING_DATA',
          `${byteCount(this.queue.length)} follow${this.queue.length === 1 ? 's' : ''} the end of the message`,
          this.queue.offset,
        );
      return undefined;
    }
    if (this.stage === 'footer') return this.footer();
    return this.header.contentType === 'framed' ? this.frame() : this.nonFramed();
  }

  /** For a truncation error: where the bytes stopped. */
  whereItEnds(): string {
    if (this.stage === 'footer') return 'before the end of the footer (the signature)';
    if (this.header.contentType === 'non-framed') return 'inside the non-framed body';
    return `inside frame ${this.expectedSequence}, before the final frame`;
  }

  private consume(count: number): Uint8Array {
    const bytes = this.queue.take(count);
    this.options.onBytes?.(bytes);
    return bytes;
  }

  private endOfBody(): void {
    this.stage = this.header.suite.signature ? 'footer' : 'done';
  }

  private checkSize(length: number, offset: number): void {
    const max = this.options.maxBodySize;
    if (max !== undefined && length > max)
      throw new EnvelopeError('LIMIT', `a body part of ${length} bytes is over maxBodySize ${max}`, offset);
  }

  private checkSequence(sequence: number, offset: number): void {
    if (sequence !== this.expectedSequence)
      throw new EnvelopeError(
        'FRAME_ORDER',
        `frame sequence number ${sequence} where ${this.expectedSequence} belongs (frames reordered, dropped or repeated)`,
        offset,
      );
  }

  private frame(): SealedPart | undefined {
    const { queue } = this;
    const { frameLength } = this.header;
    if (queue.length < 4) return undefined;
    const offset = queue.offset;
    const first = view(queue.peek(4)).getUint32(0);
    if (first !== SEQUENCE_NUMBER_END) {
      this.checkSequence(first, offset);
      this.checkSize(frameLength, offset);
      const size = REGULAR_FRAME_HEADER_LENGTH + frameLength + TAG_LENGTH;
      if (queue.length < size) return undefined;
      const frame = this.consume(size);
      this.expectedSequence++;
      return {
        kind: 'part',
        part: 'frame',
        sequenceNumber: first,
        iv: frame.subarray(4, REGULAR_FRAME_HEADER_LENGTH),
        sealed: frame.subarray(REGULAR_FRAME_HEADER_LENGTH),
        offset,
      };
    }
    if (queue.length < FINAL_FRAME_HEADER_LENGTH) return undefined;
    const fields = view(queue.peek(FINAL_FRAME_HEADER_LENGTH));
    const sequence = fields.getUint32(4);
    const contentLength = fields.getUint32(8 + IV_LENGTH);
    this.checkSequence(sequence, offset + 4);
    // ESDK specification, "Decrypt": the final frame's content is at most the frame length.
    if (contentLength > frameLength)
      throw new EnvelopeError(
        'MALFORMED',
        `the final frame claims ${contentLength} content bytes; the frame length is ${frameLength}`,
        offset + 8 + IV_LENGTH,
      );
    this.checkSize(contentLength, offset);
    const size = FINAL_FRAME_HEADER_LENGTH + contentLength + TAG_LENGTH;
    if (queue.length < size) return undefined;
    const frame = this.consume(size);
    this.endOfBody();
    return {
      kind: 'part',
      part: 'final',
      sequenceNumber: sequence,
      iv: frame.subarray(8, 8 + IV_LENGTH),
      sealed: frame.subarray(FINAL_FRAME_HEADER_LENGTH),
      offset,
    };
  }

  private nonFramed(): SealedPart | undefined {
    const { queue } = this;
    if (queue.length < NON_FRAMED_HEADER_LENGTH) return undefined;
    const offset = queue.offset;
    const fields = view(queue.peek(NON_FRAMED_HEADER_LENGTH));
    const contentLength = fields.getUint32(IV_LENGTH) * 2 ** 32 + fields.getUint32(IV_LENGTH + 4);
    if (contentLength > MAX_NON_FRAMED_LENGTH)
      throw new EnvelopeError(
        'LIMIT',
        `non-framed content of ${contentLength} bytes is over AES-GCM's ${MAX_NON_FRAMED_LENGTH}`,
        offset + IV_LENGTH,
      );
    this.checkSize(contentLength, offset);
    const size = NON_FRAMED_HEADER_LENGTH + contentLength + TAG_LENGTH;
    if (queue.length < size) return undefined;
    const body = this.consume(size);
    this.endOfBody();
    return {
      kind: 'part',
      part: 'single',
      sequenceNumber: 1,
      iv: body.subarray(0, IV_LENGTH),
      sealed: body.subarray(NON_FRAMED_HEADER_LENGTH),
      offset,
    };
  }

  private footer(): Footer | undefined {
    const { queue } = this;
    if (queue.length < 2) return undefined;
    const offset = queue.offset;
    const length = view(queue.peek(2)).getUint16(0);
    if (length === 0) throw new EnvelopeError('SIGNATURE', 'the footer holds a signature of 0 bytes', offset);
    if (queue.length < 2 + length) return undefined;
    const footer = queue.take(2 + length); // the signature covers header and body only
    this.stage = 'done';
    return { kind: 'footer', signature: footer.subarray(2), offset };
  }
}
