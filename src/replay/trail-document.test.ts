import { describe, expect, it } from 'vitest';
import { isGzip, readTrailDocument } from './trail-document';

const bytes = (text: string) => new TextEncoder().encode(text);
const a = { eventName: 'Decrypt', eventSource: 'kms.amazonaws.com', eventID: 'a', userAgent: 'kept' };
const b = { eventName: 'Encrypt', eventSource: 'kms.amazonaws.com', eventID: 'b' };

describe('reading a whole CloudTrail file', () => {
  it('reads Records files, lookup-events output, arrays, one record and JSON Lines, fields and all', () => {
    for (const text of [
      JSON.stringify({ Records: [a, b] }),
      JSON.stringify({
        Events: [{ CloudTrailEvent: JSON.stringify(a) }, { CloudTrailEvent: JSON.stringify(b) }],
      }),
      JSON.stringify([a, b]),
      `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`,
    ])
      expect(readTrailDocument(bytes(text))).toEqual({ records: [a, b], problems: [] });
    expect(readTrailDocument(bytes(JSON.stringify(a)))).toEqual({ records: [a], problems: [] });
  });

  it('names what is not a record and where the text breaks', () => {
    expect(readTrailDocument(bytes('{"Records":[1,{"eventName":"X"}]}'))).toEqual({
      records: [{ eventName: 'X' }],
      problems: ['$.Records[0] is not a JSON object'],
    });
    expect(readTrailDocument(bytes('{"Foo":1}')).problems).toEqual(['$ holds neither Records nor Events']);
    const broken = readTrailDocument(bytes('{"Records":[\n{"eventName":"X"},\n{"eventName": }]}'));
    expect(broken.records).toEqual([]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatch(/^line 3, column \d+: /);
  });

  it('tells gzip by its first bytes', () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(bytes('{"Records":[]}'))).toBe(false);
  });
});
