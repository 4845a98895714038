/**
 * A bounded cache for pure string lookups the linter and the editor repeat on every keystroke (the same
 * actions, keys, operators and principals recur across statements). Cached results are shared between
 * callers, so they must be treated as read-only. When full, the cache starts over: simple, and policies
 * never hold anywhere near that many distinct values.
 */
export function memoizeByString<T>(compute: (text: string) => T, limit = 4000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string): T => {
    const cached = cache.get(text);
    if (cached !== undefined || cache.has(text)) return cached as T;
    const result = compute(text);
    if (cache.size >= limit) cache.clear();
    cache.set(text, result);
    return result;
  };
}
