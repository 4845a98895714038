/**
 * A KMS request or response as JSON for the learner: AWS's member names, each blob shown as the wire's base64 (the
 * JSON 1.1 protocol's form) and as hex, dates as ISO 8601. Long blobs are cut in the hex form only. Pure.
 */
import { bytesToHex, toBase64 } from './bytes';

const HEX_LIMIT = 96;

function shown(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    const hex = bytesToHex(value.subarray(0, HEX_LIMIT));
    return {
      base64: toBase64(value),
      hex: value.length > HEX_LIMIT ? `${hex}… (${value.length} bytes)` : hex,
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(shown);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)]));
  return value;
}

export function displayJson(value: unknown): string {
  return JSON.stringify(shown(value), null, 2);
}
