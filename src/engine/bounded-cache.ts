/**
 * A cache that never holds more than `capacity` entries and keeps the ones in use. Two generations: entries go into
 * the young one; when it is half the capacity, it becomes the old one and the previous old one is dropped. A hit in
 * the old generation moves the entry back to the young one. So a hit costs one Map look-up (two for an old entry),
 * a workload that fits in half the capacity never misses, and memory is bounded whatever the input.
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  constructor(readonly capacity: number) {
    this.half = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.set(key, aged);
    }
    return aged;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.half && !this.young.has(key)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Entries held now (at most `capacity`). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
