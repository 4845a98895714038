/**
 * The bytes a streaming decryptor has been given but not yet consumed, kept as the caller's chunks (no copying
 * while a call is using them) with a running count of consumed bytes, which is the message offset errors name.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Whether chunks[i] is a copy of our own (true) or still the caller's buffer (false). */
  private owned: boolean[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  length = 0;
  /** Bytes consumed since the start of the message. */
  offset = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.owned.push(false);
    this.length += chunk.length;
  }

  /** The next `count` bytes (the caller checks `length`), unconsumed: a view within one chunk, else a copy. */
  peek(count: number): Uint8Array {
    if (count === 0) return new Uint8Array(0);
    const first = this.chunks[0];
    if (first.length - this.head >= count) return first.subarray(this.head, this.head + count);
    const out = new Uint8Array(count);
    let filled = 0;
    let at = this.head;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(at, at + count - filled);
      out.set(part, filled);
      filled += part.length;
      at = 0;
      if (filled === count) break;
    }
    return out;
  }

  /** Consumes `count` bytes and returns them (as `peek` does). */
  take(count: number): Uint8Array {
    const out = this.peek(count);
    this.length -= count;
    this.offset += count;
    let rest = count;
    while (rest > 0) {
      const available = this.chunks[0].length - this.head;
      if (available > rest) {
        this.head += rest;
        break;
      }
      rest -= available;
      this.chunks.shift();
      this.owned.shift();
      this.head = 0;
    }
    return out;
  }

  /**
   * Copies the unread part of every chunk that is still the caller's, so the caller may reuse or transfer its
   * buffers once the call that gave them returns. Each byte is copied at most once.
   */
  detach(): void {
    for (let i = 0; i < this.chunks.length; i++) {
      if (this.owned[i]) continue;
      const start = i === 0 ? this.head : 0;
      this.chunks[i] = this.chunks[i].slice(start);
      this.owned[i] = true;
      if (i === 0) this.head = 0;
    }
  }
}
