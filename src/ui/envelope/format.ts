/** Small display helpers of the Envelope area. */
import { toHex } from '../../envelope/bytes';

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Hex in groups of two bytes, cut after `max` bytes. */
export function hexPreview(bytes: Uint8Array, max = 32): string {
  const hex = toHex(bytes.subarray(0, max))
    .replace(/(.{4})/g, '$1 ')
    .trim();
  return bytes.length > max ? `${hex} … (${bytes.length} bytes)` : hex;
}

/** Parses "key=value" lines; the error names the line. */
export function parseContextLines(text: string): { context: Record<string, string> } | { error: string } {
  const context: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0)
      return { error: `Encryption context, line ${index + 1}: write key=value (found "${line}").` };
    const key = line.slice(0, eq).trim();
    if (Object.hasOwn(context, key))
      return { error: `Encryption context, line ${index + 1}: "${key}" is given twice.` };
    context[key] = line.slice(eq + 1).trim();
  }
  return { context };
}
