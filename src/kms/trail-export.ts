/**
 * Export of trail records: CloudTrail's delivery format (`{"Records":[…]}`, CloudTrail "record contents"), which
 * `lab replay` and the Audit import read back, and CSV of the event-history columns (RFC 4180: fields with a
 * comma, a quote or a line break are quoted, quotes doubled, lines end in CRLF). Pure.
 */
import { AUDIT_COLUMNS } from './trail-audit';
import type { TrailRecord } from './trail';

/** The records as one CloudTrail log file's JSON. */
export function toCloudTrailJson(records: Iterable<unknown>): string {
  return JSON.stringify({ Records: [...records] }, null, 2);
}

/** One CSV field (RFC 4180 §2.6–2.7). A leading =, +, - or @ is kept as is: the export is data, not a sheet. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** The records as CSV: a header of the event-history columns plus the event ID, then one line per record. */
export function toCsv(records: Iterable<TrailRecord>): string {
  const lines = [csvLine([...AUDIT_COLUMNS.map((c) => c.label), 'Event ID'])];
  for (const r of records)
    lines.push(
      csvLine([...AUDIT_COLUMNS.map((c) => c.value(r)), typeof r.eventID === 'string' ? r.eventID : '']),
    );
  return lines.join('\r\n') + '\r\n';
}
