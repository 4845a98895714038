/**
 * A window of WebCrypto operations in flight, resolved in the order they were started. One AES-GCM call at a time
 * leaves the CPU idle between async hops (facts §5.2: about 50 µs per call in Node, 10 µs in Chromium); a few dozen
 * at once keep it busy, while the window bounds the memory held by frames in flight.
 */
export class InFlight<T> {
  private readonly pending: Promise<T>[] = [];

  constructor(private readonly limit: number) {}

  /** Starts tracking `operation`; when the window is full, waits for the oldest and returns its result. */
  async add(operation: Promise<T>): Promise<T[]> {
    // Rejections surface when awaited below; this stops an abandoned one from being reported as unhandled.
    operation.catch(() => undefined);
    this.pending.push(operation);
    return this.pending.length >= this.limit ? [await this.pending.shift()!] : [];
  }

  /** Waits for everything still in flight, oldest first. */
  async drain(): Promise<T[]> {
    const results: T[] = [];
    while (this.pending.length) results.push(await this.pending.shift()!);
    return results;
  }

  /** Forgets what is in flight (after a failure: their results must not be used). */
  clear(): void {
    this.pending.length = 0;
  }
}

/** Frames in flight: up to 64, and no more than about 8 MiB of frame content. */
export const windowFor = (frameLength: number) =>
  Math.max(1, Math.min(64, Math.floor(2 ** 23 / Math.max(frameLength, 1))));
