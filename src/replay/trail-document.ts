/**
 * A whole CloudTrail file read into full records, for the Audit area's import (it shows each event's whole JSON,
 * which the streaming `TrailReader` does not build: it keeps only the fields a replay reads). The same shapes as
 * the reader: `{"Records":[…]}` as CloudTrail delivers it, `aws cloudtrail lookup-events` output
 * (`{"Events":[{"CloudTrailEvent":"<json>"}]}`), a bare array, one record, or one record per line (JSON Lines).
 * When the text is not one of these, the streaming reader says where it goes wrong. Pure; never throws.
 */
import { TrailReader } from './trail-reader';

export interface TrailDocument {
  records: Record<string, unknown>[];
  /** Why (some of) the input could not be read, with its place; records read before it are kept. */
  problems: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether bytes start as gzip does (RFC 1952 ID1 ID2), whatever the file's name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function recordsOf(value: unknown, problems: string[], where: string): Record<string, unknown>[] {
  if (Array.isArray(value))
    return value.filter((item, i) => {
      if (isObject(item)) return true;
      problems.push(`${where}[${i}] is not a JSON object`);
      return false;
    });
  if (!isObject(value)) {
    problems.push(`${where} is not CloudTrail JSON (an object or an array of records)`);
    return [];
  }
  if (Array.isArray(value.Records)) return recordsOf(value.Records, problems, `${where}.Records`);
  if (Array.isArray(value.Events)) {
    const out: Record<string, unknown>[] = [];
    value.Events.forEach((event, i) => {
      const inner = isObject(event) ? event.CloudTrailEvent : undefined;
      try {
        const record: unknown = typeof inner === 'string' ? JSON.parse(inner) : inner;
        if (isObject(record)) out.push(record);
        else problems.push(`${where}.Events[${i}].CloudTrailEvent is not a record`);
      } catch (error) {
        problems.push(`${where}.Events[${i}].CloudTrailEvent: ${(error as Error).message}`);
      }
    });
    return out;
  }
  if (typeof value.eventName === 'string' || typeof value.eventSource === 'string') return [value];
  problems.push(`${where} holds neither Records nor Events`);
  return [];
}

/** Where the streaming reader finds the text stops being CloudTrail JSON. */
function locateProblem(bytes: Uint8Array): string | undefined {
  let found: string | undefined;
  const reader = new TrailReader({
    record: () => undefined,
    malformed: (place, message) => (found ??= `line ${place.line}, column ${place.column}: ${message}`),
    fatal: (line, column, message) => (found ??= `line ${line}, column ${column}: ${message}`),
  });
  reader.push(bytes);
  reader.end();
  return found;
}

export function readTrailDocument(bytes: Uint8Array): TrailDocument {
  const text = new TextDecoder().decode(bytes);
  const problems: string[] = [];
  try {
    return { records: recordsOf(JSON.parse(text), problems, '$'), problems };
  } catch {
    // Not one JSON document: JSON Lines or appended pages, or damage. One document per line, else say where.
  }
  const records: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    try {
      records.push(...recordsOf(JSON.parse(line), problems, `line ${i + 1}`));
    } catch {
      return { records, problems: [...problems, locateProblem(bytes) ?? `line ${i + 1} is not JSON`] };
    }
  }
  return { records, problems };
}
