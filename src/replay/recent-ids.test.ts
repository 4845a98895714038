import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids';

describe('RecentIds', () => {
  it('tells an id seen within the window, and forgets the oldest beyond it', () => {
    const recent = new RecentIds(3);
    expect(['a', 'b', 'c'].map((id) => recent.seenBefore(id))).toEqual([false, false, false]);
    expect(recent.seenBefore('a')).toBe(true);
    expect(recent.seenBefore('d')).toBe(false); // forgets a
    expect(recent.size).toBe(3);
    expect(recent.seenBefore('b')).toBe(true);
    expect(recent.seenBefore('a')).toBe(false); // forgotten, so new again; forgets b
    expect(recent.seenBefore('b')).toBe(false);
    expect(recent.seenBefore('d')).toBe(true);
  });

  it('stays at its capacity over many ids', () => {
    const recent = new RecentIds(100);
    for (let i = 0; i < 10_000; i++) recent.seenBefore(`id-${i}`);
    expect(recent.size).toBe(100);
    expect(recent.seenBefore('id-9999')).toBe(true);
    expect(recent.seenBefore('id-9899')).toBe(false);
  });
});
