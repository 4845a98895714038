import { describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, auditFacets, isDenied, keyIdOfArn, usersOf } from './trail-audit';
import { queryIndices, queryRecords, userNameOf, type TrailRecord } from './trail';
import { KEY, variedTrail } from './trail-fixture.test-support';

const A = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = `arn:aws:kms:us-east-1:${A}:key/0000aaaa-0000-4000-8000-000000000000`;

function rec(time: string, who: Record<string, unknown>, extra: Partial<TrailRecord> = {}): TrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: who,
    eventTime: time,
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.7',
    userAgent: 'test',
    requestParameters: null,
    responseElements: null,
    requestID: time,
    eventID: `${time}-${String(who.arn ?? who.invokedBy)}`,
    readOnly: true,
    resources: [{ accountId: A, type: 'AWS::KMS::Key', ARN: KEY }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: A,
    eventCategory: 'Management',
    ...extra,
  };
}
const bob = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/bob`, userName: 'bob' };
const session = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/App/nightly` };
const root = { type: 'Root', arn: `arn:aws:iam::${A}:root` };

const trail = [
  rec('2026-03-01T14:00:00Z', bob),
  rec('2026-03-01T15:00:00Z', session, { eventName: 'Encrypt' }),
  rec('2026-03-01T15:05:00Z', bob, { errorCode: 'AccessDenied', errorMessage: 'no' }),
  rec('2026-03-01T15:10:00Z', root, { resources: [{ accountId: A, type: 'AWS::KMS::Key', ARN: OTHER }] }),
  rec('2026-03-01T16:30:00Z', session),
];

describe('the event-history columns', () => {
  it('names the user as the console does: user name, session name, root, calling service', () => {
    expect(trail.map(userNameOf)).toEqual(['bob', 'nightly', 'bob', 'root', 'nightly']);
    expect(userNameOf({ userIdentity: { accountId: A, invokedBy: 'AWS Internal' } })).toBe('AWS Internal');
    // An imported record may lack the element entirely.
    expect(userNameOf({} as TrailRecord)).toBe('');
  });

  it('shows the key by its id and the error code', () => {
    const row = AUDIT_COLUMNS.map((c) => c.value(trail[2]));
    expect(row).toEqual(['2026-03-01T15:05:00Z', 'Decrypt', 'bob', KEY_ID, '192.0.2.7', 'AccessDenied']);
    expect(keyIdOfArn('not an arn')).toBe('not an arn');
  });
});

describe('the filters', () => {
  it('filters by user name, session name or ARN, and by key id or ARN', () => {
    expect(queryIndices(trail, { user: 'nightly' })).toEqual([1, 4]);
    expect(queryIndices(trail, { user: session.arn })).toEqual([1, 4]);
    expect(queryIndices(trail, { user: 'root' })).toEqual([3]);
    expect(queryIndices(trail, { keyId: KEY_ID })).toEqual([0, 1, 2, 4]);
    expect(queryIndices(trail, { keyId: OTHER })).toEqual([3]);
  });

  it('filters by error: any failure, successes only, one code', () => {
    expect(queryIndices(trail, { error: true })).toEqual([2]);
    expect(queryIndices(trail, { error: false })).toEqual([0, 1, 3, 4]);
    expect(queryIndices(trail, { error: 'AccessDenied' })).toEqual([2]);
    expect(queryIndices(trail, { error: 'KMSInvalidStateException' })).toEqual([]);
  });

  it('answers the same with and without the time-order shortcut', () => {
    const filter = { startTime: new Date('2026-03-01T15:00:00Z'), endTime: new Date('2026-03-01T15:10:00Z') };
    expect(queryIndices(trail, filter, true)).toEqual([1, 2, 3]);
    expect(queryIndices(trail, filter, false)).toEqual([1, 2, 3]);
    const shuffled = [trail[4], trail[1], trail[0], trail[3], trail[2]];
    expect(queryIndices(shuffled, filter, false)).toEqual([1, 3, 4]);
  });

  it('offers only the values the trail holds', () => {
    const facets = auditFacets(trail);
    expect(facets.eventNames).toEqual(['Decrypt', 'Encrypt']);
    expect(facets.users).toEqual(['bob', 'nightly', 'root']);
    expect(facets.keys).toEqual([OTHER, KEY].sort());
    expect(facets.errorCodes).toEqual(['AccessDenied']);
    expect([facets.first, facets.last]).toEqual(['2026-03-01T14:00:00Z', '2026-03-01T16:30:00Z']);
    expect(auditFacets([])).toEqual({ eventNames: [], users: [], keys: [], errorCodes: [] });
  });
});

describe('quick questions', () => {
  it('who used the key between 15:00 and 16:00', () => {
    const used = queryRecords(trail, {
      keyId: KEY_ID,
      startTime: new Date('2026-03-01T15:00:00Z'),
      endTime: new Date('2026-03-01T16:00:00Z'),
    });
    expect(usersOf(used)).toEqual([
      {
        user: 'bob',
        arn: bob.arn,
        calls: 1,
        failed: 1,
        eventNames: ['Decrypt'],
        first: '2026-03-01T15:05:00Z',
        last: '2026-03-01T15:05:00Z',
      },
      {
        user: 'nightly',
        arn: session.arn,
        calls: 1,
        failed: 0,
        eventNames: ['Encrypt'],
        first: '2026-03-01T15:00:00Z',
        last: '2026-03-01T15:00:00Z',
      },
    ]);
  });

  it('finds the denials of a simulated trail, and only those', async () => {
    const kms = await variedTrail();
    const records = kms.trail.records;
    const denied = records.filter(isDenied);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((r) => r.errorCode === 'AccessDenied' && r.errorMessage)).toBe(true);
    expect(
      records.filter((r) => r.errorCode && !isDenied(r)).every((r) => r.errorCode !== 'AccessDenied'),
    ).toBe(true);
    expect(isDenied({ errorCode: 'AccessDeniedException' })).toBe(true);
    expect(isDenied({ errorCode: 'NotFoundException' })).toBe(false);
  });
});
