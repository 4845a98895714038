import { describe, expect, it } from 'vitest';
import { eventTime, Trail, type TrailRecord } from './trail';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function record(second: number, eventName = 'Decrypt'): TrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob', userName: 'bob' },
    eventTime: eventTime(T0 + second * 1000),
    eventSource: 'kms.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    requestParameters: null,
    responseElements: null,
    requestID: `r${second}`,
    eventID: `e${second}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

const range = (from: number, to: number) => ({
  startTime: new Date(T0 + from * 1000),
  endTime: new Date(T0 + to * 1000),
});
const ids = (records: TrailRecord[]) => records.map((r) => r.eventID);

describe('trail query by time range', () => {
  it('takes both bounds inclusively, with several records in one second', () => {
    const trail = new Trail();
    for (const second of [0, 1, 1, 2, 3, 3, 3, 5]) trail.add(record(second));
    expect(ids(trail.query(range(1, 3)))).toEqual(['e1', 'e1', 'e2', 'e3', 'e3', 'e3']);
    expect(ids(trail.query({ startTime: range(4, 4).startTime }))).toEqual(['e5']);
    expect(ids(trail.query({ endTime: range(0, 0).endTime }))).toEqual(['e0']);
    expect(trail.query(range(6, 9))).toEqual([]);
  });

  it('gives the same answer when records are not in time order (a restored trail)', () => {
    const trail = new Trail();
    const seconds = [5, 1, 4, 2, 3, 0, 2];
    trail.replace(seconds.map((s) => record(s)));
    expect(ids(trail.query(range(2, 4))).sort()).toEqual(['e2', 'e2', 'e3', 'e4']);
    // Records added after a query are checked too: an out-of-order one does not hide others.
    const ordered = new Trail();
    for (const second of [0, 1, 2]) ordered.add(record(second));
    expect(ids(ordered.query(range(1, 2)))).toEqual(['e1', 'e2']);
    ordered.add(record(1, 'Encrypt'));
    expect(ordered.query(range(1, 1)).map((r) => r.eventName)).toEqual(['Decrypt', 'Encrypt']);
  });
});
