import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudTrailEvent, cloudTrailFile, lookupEventsOutput } from './fixtures';
import { recordPath, TrailReader, type RecordPlace } from './trail-reader';

/** Reads `text` in chunks of `chunk` bytes; returns the records (as plain JSON), problems and fatal errors. */
function read(input: string | Uint8Array, chunk = 1 << 16) {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const records: { record: unknown; where: string }[] = [];
  const malformed: string[] = [];
  const fatal: string[] = [];
  const at = (place: RecordPlace) => `${place.line}:${place.column} ${recordPath(place)}`;
  const reader = new TrailReader({
    record: (record, place) => records.push({ record: JSON.parse(JSON.stringify(record)), where: at(place) }),
    malformed: (place, message) => malformed.push(`${at(place)}: ${message}`),
    fatal: (line, column, message) => fatal.push(`${line}:${column}: ${message}`),
  });
  for (let i = 0; i < bytes.length && !reader.stopped; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { records, malformed, fatal };
}

/** The fields the reader keeps, picked from a JSON.parse of the same record. */
function picked(record: Record<string, any>): Record<string, unknown> {
  const keep = [
    'eventSource',
    'eventName',
    'eventType',
    'eventTime',
    'eventID',
    'requestID',
    'awsRegion',
    'sourceIPAddress',
    'vpcEndpointId',
    'errorCode',
    'errorMessage',
    'recipientAccountId',
    'requestParameters',
  ];
  const out: Record<string, unknown> = {};
  for (const name of keep) if (name in record) out[name] = record[name];
  if (Array.isArray(record.resources))
    out.resources = record.resources.map((r: any) =>
      r && typeof r === 'object' && !Array.isArray(r)
        ? { ...('ARN' in r ? { ARN: r.ARN } : {}), ...('type' in r ? { type: r.type } : {}) }
        : r,
    );
  else if ('resources' in record) out.resources = record.resources;
  const identity = record.userIdentity;
  if (identity && typeof identity === 'object' && !Array.isArray(identity)) {
    const id: Record<string, unknown> = {};
    for (const name of ['type', 'arn', 'accountId', 'invokedBy'])
      if (name in identity) id[name] = identity[name];
    const context = identity.sessionContext;
    if (context && typeof context === 'object' && !Array.isArray(context)) {
      const c: Record<string, unknown> = {};
      const issuer = context.sessionIssuer;
      if (issuer && typeof issuer === 'object' && !Array.isArray(issuer)) {
        const i: Record<string, unknown> = {};
        for (const name of ['type', 'arn']) if (name in issuer) i[name] = issuer[name];
        c.sessionIssuer = i;
      } else if ('sessionIssuer' in context) c.sessionIssuer = issuer;
      const attributes = context.attributes;
      if (attributes && typeof attributes === 'object' && !Array.isArray(attributes))
        c.attributes =
          'mfaAuthenticated' in attributes ? { mfaAuthenticated: attributes.mfaAuthenticated } : {};
      else if ('attributes' in context) c.attributes = attributes;
      id.sessionContext = c;
    } else if ('sessionContext' in identity) id.sessionContext = context;
    out.userIdentity = id;
  } else if ('userIdentity' in record) out.userIdentity = identity;
  return out;
}

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const events = [
  cloudTrailEvent({
    caller: 'arn:aws:sts::111122223333:assumed-role/Payroll/s1',
    eventName: 'Decrypt',
    keyArn: KEY,
    encryptionContext: { dept: 'payroll' },
    eventId: 'e1',
  }),
  cloudTrailEvent({
    caller: 'arn:aws:iam::111122223333:user/bob',
    eventName: 'Encrypt',
    keyArn: KEY,
    errorCode: 'AccessDenied',
    eventId: 'e2',
  }),
  cloudTrailEvent({ caller: { service: 's3.amazonaws.com' }, eventName: 'GenerateDataKey', keyArn: KEY }),
];

describe('TrailReader', () => {
  it('reads a CloudTrail file whatever the chunk size, keeping the fields a replay reads', () => {
    const text = cloudTrailFile(events);
    const whole = read(text);
    expect(whole.malformed).toEqual([]);
    expect(whole.fatal).toEqual([]);
    expect(whole.records.map((r) => r.record)).toEqual(events.map((e) => picked(e)));
    expect(whole.records.map((r) => r.where.split(' ')[1])).toEqual([
      '$.Records[0]',
      '$.Records[1]',
      '$.Records[2]',
    ]);
    for (const chunk of [1, 2, 3, 7, 100, 1023]) expect(read(text, chunk)).toEqual(whole);
  });

  it('reads laid-out files, lookup-events output, top-level arrays, JSON Lines and appended documents', () => {
    const laidOut = read(JSON.stringify({ Records: events }, null, 2), 5);
    expect(laidOut.records.map((r) => r.record)).toEqual(events.map((e) => picked(e)));
    expect(laidOut.records[1].where).toMatch(/^\d+:5 \$\.Records\[1\]$/);

    const lookup = read(lookupEventsOutput(events) + '\n' + lookupEventsOutput(events.slice(0, 1)), 13);
    expect(lookup.fatal).toEqual([]);
    // lookup-events records come whole (each is a JSON string of its own).
    expect(lookup.records.map((r) => r.record)).toEqual([...events, events[0]]);
    expect(lookup.records[2].where).toMatch(/ \$\.Events\[2\]\.CloudTrailEvent$/);

    const array = read(JSON.stringify(events), 11);
    expect(array.records.map((r) => r.where.split(' ')[1])).toEqual(['$[0]', '$[1]', '$[2]']);

    const lines = read(events.map((e) => JSON.stringify(e)).join('\n') + '\n', 17);
    expect(lines.records.map((r) => r.record)).toEqual(events.map((e) => picked(e)));
    expect(lines.records.map((r) => r.where.split(' ')[0])).toEqual(['1:1', '2:1', '3:1']);

    const bom = read('\uFEFF' + cloudTrailFile(events.slice(0, 1)));
    expect(bom.records).toHaveLength(1);

    // A member name written with escapes is the same name (RFC 8259).
    const escaped = read(
      '{"Records": [{"event\\u0053ource": "kms.amazonaws.com", "\\u0065ventName": "Decrypt"}]}',
    );
    expect(escaped.records.map((r) => r.record)).toEqual([
      { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' },
    ]);
  });

  it('reports a malformed record where it is and reads the records after it', () => {
    const good = JSON.stringify(events[0]);
    const text = `{"Records": [\n${good},\n{"eventName": "Decrypt", "oops" },\n"a string",\n{"eventName": tru},\n${good}\n]}`;
    for (const chunk of [1, 4, 1 << 16]) {
      const { records, malformed, fatal } = read(text, chunk);
      expect(fatal).toEqual([]);
      expect(records.map((r) => r.where)).toEqual(['2:1 $.Records[0]', '6:1 $.Records[4]']);
      expect(malformed).toEqual([
        '3:33 $.Records[1]: expected ":" after a member name, found "}"',
        '4:1 $.Records[2]: the record is not a JSON object',
        '5:15 $.Records[3]: expected a JSON value (true, false or null are the only words)',
      ]);
    }
  });

  it('says when the input is not CloudTrail JSON, is cut short, or is not UTF-8', () => {
    expect(read('hello').fatal).toEqual([
      '1:1: expected a CloudTrail file ({"Records": [...]}), lookup-events output or a record, found "h"',
    ]);
    expect(read(cloudTrailFile(events).slice(0, 2000)).fatal[0]).toMatch(
      /ends inside record 1 \(is the file cut short\?\)/,
    );
    expect(read(new Uint8Array([0x1f, 0x8b, 8, 0])).fatal).toEqual([
      '1:1: the input is gzip-compressed: decompress it first',
    ]);
    expect(read(new Uint8Array([0xff, 0xfe, 0x7b, 0])).fatal[0]).toMatch(/UTF-16/);
    const bytes = new TextEncoder().encode(cloudTrailFile(events.slice(0, 2)));
    const broken = bytes.slice();
    broken[broken.indexOf(0x44 /* D of Decrypt */)] = 0xff;
    const invalid = read(broken);
    expect(invalid.malformed).toEqual(['1:13 $.Records[0]: the record is not valid UTF-8']);
    expect(invalid.records).toHaveLength(1);
    expect(read('{"Records": [{"eventName": "a"},]}').malformed).toEqual([
      '1:33 $.Records[1]: a "," is followed by "]": a record is missing',
    ]);
  });

  it('refuses nesting deeper than it can follow without running out of stack', () => {
    const deep = `{"Records": [{"eventName": "x", "a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}, {"eventName": "y"}]}`;
    const { records, malformed } = read(deep);
    expect(malformed[0]).toMatch(/nests deeper than 256 levels/);
    expect(records.map((r: any) => r.record.eventName)).toEqual(['y']);
  });

  it('keeps the same fields as JSON.parse for any record (escapes, non-ASCII, odd types, other members)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('kms.amazonaws.com', 'Decrypt', 'a"b', 'back\\slash', 'line\nbreak', 'é', '😀'),
    );
    const value = fc.oneof(
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        value,
        fc.array(tie('any'), { maxLength: 3 }),
        fc.dictionary(text, tie('any'), { maxKeys: 3 }),
      ),
    })).any;
    const field = (names: string[]) =>
      fc.dictionary(fc.constantFrom(...names), fc.oneof(text, json), { maxKeys: names.length });
    const record = fc.record(
      {
        eventSource: fc.oneof(text, json),
        eventName: text,
        awsRegion: text,
        sourceIPAddress: fc.oneof(text, json),
        errorCode: text,
        requestParameters: json,
        resources: fc.oneof(fc.array(field(['ARN', 'type', 'accountId'])), json),
        userIdentity: fc.oneof(
          fc.record(
            {
              type: text,
              arn: fc.oneof(text, json),
              invokedBy: text,
              sessionContext: fc.oneof(
                fc.record(
                  {
                    sessionIssuer: fc.oneof(field(['type', 'arn', 'userName']), json),
                    attributes: fc.oneof(field(['mfaAuthenticated', 'creationDate']), json),
                  },
                  { requiredKeys: [] },
                ),
                json,
              ),
              other: json,
            },
            { requiredKeys: [] },
          ),
          json,
        ),
        tlsDetails: json,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 4 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        (records, chunk, laidOut) => {
          const file = JSON.stringify({ Records: records }, null, laidOut ? 1 : undefined);
          const result = read(file, chunk);
          expect(result.malformed).toEqual([]);
          expect(result.fatal).toEqual([]);
          expect(result.records.map((r) => r.record)).toEqual(
            records.map((r) => picked(JSON.parse(JSON.stringify(r)))),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws and never hangs on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (bytes, chunk) => {
        const prefix = new TextEncoder().encode('{"Records":[');
        const input = new Uint8Array(prefix.length + bytes.length);
        input.set(prefix);
        input.set(bytes, prefix.length);
        read(input, chunk);
        read(bytes, chunk);
      }),
      { numRuns: 300 },
    );
  });
});
