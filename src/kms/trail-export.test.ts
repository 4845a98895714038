import { describe, expect, it } from 'vitest';
import { csvField, csvLine, toCloudTrailJson, toCsv } from './trail-export';
import { variedTrail } from './trail-fixture.test-support';
import { keyIdOfArn } from './trail-audit';
import { TrailReader } from '../replay/trail-reader';

/** A small RFC 4180 reader, to check the writer round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  return rows;
}

describe('CSV', () => {
  it('quotes only fields that need it and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('')).toBe('');
    expect(csvLine(['a', 'b,c', ''])).toBe('a,"b,c",');
  });

  it('round-trips awkward values', () => {
    const values = ['x', '', ',', '"', '""', 'a\r\nb', ' lead', '=1+1'];
    expect(parseCsv(csvLine(values) + '\r\n')).toEqual([values]);
  });

  it('writes one line per record under the event-history header', async () => {
    const kms = await variedTrail();
    const records = kms.trail.records;
    const rows = parseCsv(toCsv(records));
    expect(rows[0]).toEqual([
      'Event time',
      'Event name',
      'User name',
      'Resource',
      'Source IP address',
      'Error code',
      'Event ID',
    ]);
    expect(rows).toHaveLength(records.length + 1);
    const denied = records.findIndex((r) => r.errorCode === 'AccessDenied');
    const row = rows[denied + 1];
    expect(row[1]).toBe(records[denied].eventName);
    expect(row[5]).toBe('AccessDenied');
    expect(row[6]).toBe(records[denied].eventID);
    expect(row[3]).toBe((records[denied].resources ?? []).map((r) => keyIdOfArn(r.ARN)).join(', '));
  });
});

describe('CloudTrail JSON', () => {
  it('is a Records file that the replay reader reads back, record for record', async () => {
    const kms = await variedTrail();
    const records = kms.trail.records.slice(0, 12);
    const text = toCloudTrailJson(records);
    expect(JSON.parse(text)).toEqual({ Records: JSON.parse(JSON.stringify(records)) });
    const ids: string[] = [];
    const problems: string[] = [];
    const reader = new TrailReader({
      record: (r) => ids.push((r as { eventID: string }).eventID),
      malformed: (_p, m) => problems.push(m),
      fatal: (_l, _c, m) => problems.push(m),
    });
    reader.push(new TextEncoder().encode(text));
    reader.end();
    expect(problems).toEqual([]);
    expect(ids).toEqual(records.map((r) => r.eventID));
  });
});
