/** A height prop as CSS: numbers are pixels; the editors default to 320px. */
export function cssLength(height: number | string | undefined, fallback = '320px'): string {
  if (height === undefined) return fallback;
  return typeof height === 'number' ? `${height}px` : height;
}
