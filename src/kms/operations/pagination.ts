/**
 * Marker/Limit/Truncated pagination of the List operations (API ListKeys, "Marker", "Limit", "Truncated"): the
 * marker is opaque to the caller; here it encodes the offset of the next entry.
 */
import { KmsError } from '../errors';

export function page<T>(
  entries: T[],
  request: { Limit?: unknown; Marker?: unknown },
  defaultLimit: number,
): { items: T[]; NextMarker?: string; Truncated: boolean } {
  let start = 0;
  if (request.Marker !== undefined) {
    const match = /^lab-marker-(\d+)$/.exec(String(request.Marker));
    if (!match) throw new KmsError('InvalidMarkerException', 'Invalid marker');
    start = Number(match[1]);
  }
  const limit = typeof request.Limit === 'number' ? request.Limit : defaultLimit;
  const items = entries.slice(start, start + limit);
  const next = start + items.length;
  return next < entries.length
    ? { items, NextMarker: `lab-marker-${next}`, Truncated: true }
    : { items, Truncated: false };
}
