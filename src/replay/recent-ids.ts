/**
 * The last `capacity` distinct strings seen (event IDs, to skip an event CloudTrail delivered twice), with a
 * look-up that costs one Set probe. A ring holds them in arrival order so the oldest is forgotten first.
 * (Forgetting through the Set's own order, `values().next()`, walks past every entry deleted since the Set was last
 * compacted: tens of thousands per call with a window of 100,000, which made the replay quadratic.)
 */
export class RecentIds {
  private readonly seen = new Set<string>();
  private readonly ring: string[] = [];
  private oldest = 0;

  constructor(readonly capacity: number) {}

  /** True when `id` is among the last `capacity` ids remembered; otherwise remembers it and returns false. */
  seenBefore(id: string): boolean {
    if (this.seen.has(id)) return true;
    const ring = this.ring;
    if (ring.length < this.capacity) ring.push(id);
    else {
      this.seen.delete(ring[this.oldest]);
      ring[this.oldest] = id;
      this.oldest = (this.oldest + 1) % this.capacity;
    }
    this.seen.add(id);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }
}
