import { describe, expect, it } from 'vitest';
import type { TrailRecord } from './trail';
import { CLOUDTRAIL_RECORD_SCHEMA, validateTrailRecord } from './trail-schema';
import { variedTrail } from './trail-fixture.test-support';

describe('the CloudTrail record schema', () => {
  it('every record of a varied trail validates', async () => {
    const kms = await variedTrail();
    const records = kms.trail.records;
    const problems = records.flatMap((record, index) =>
      validateTrailRecord(JSON.parse(JSON.stringify(record))).map(
        (v) => `record ${index} (${record.eventName}) ${v.path.join('.')}: ${v.message}`,
      ),
    );
    expect(problems).toEqual([]);

    // The trail has every kind of record the schema describes.
    const names = new Set(records.map((r) => r.eventName));
    for (const name of [
      'CreateKey',
      'Decrypt',
      'ReEncrypt',
      'CreateGrant',
      'ScheduleKeyDeletion',
      'ImportKeyMaterial',
    ])
      expect(names).toContain(name);
    for (const name of ['RotateKey', 'DeleteKey', 'DeleteExpiredKeyMaterial'])
      expect(records.some((r) => r.eventName === name && r.eventType === 'AwsServiceEvent')).toBe(true);
    expect(records.some((r) => r.errorCode === 'AccessDenied')).toBe(true);
    expect(records.some((r) => r.errorCode === 'NotFoundException')).toBe(true);
    expect(records.some((r) => r.sharedEventID && r.recipientAccountId === '444455556666')).toBe(true);
    expect(records.some((r) => r.vpcEndpointId)).toBe(true);
    expect(records.some((r) => r.userIdentity.type === 'AssumedRole')).toBe(true);
    for (const service of ['secretsmanager.amazonaws.com', 's3.amazonaws.com'])
      expect(records.some((r) => r.userIdentity.invokedBy === service && r.sourceIPAddress === service)).toBe(
        true,
      );
  });

  it('refuses records that depart from it, naming the field', async () => {
    const kms = await variedTrail();
    const decrypt = JSON.parse(
      JSON.stringify(kms.trail.query({ eventName: 'Decrypt', error: false })[0]),
    ) as TrailRecord;
    const rotate = JSON.parse(JSON.stringify(kms.trail.query({ eventName: 'RotateKey' })[0])) as TrailRecord;
    const broken = (change: (r: Record<string, unknown>) => void, from: TrailRecord = decrypt) => {
      const copy = JSON.parse(JSON.stringify(from)) as Record<string, unknown>;
      change(copy);
      return validateTrailRecord(copy).map((v) => `${v.path.join('.')}: ${v.message}`);
    };
    expect(broken(() => undefined)).toEqual([]);
    expect(broken((r) => (r.eventSource = 's3.amazonaws.com'))).toContain(
      'eventSource: must be "kms.amazonaws.com"',
    );
    expect(
      broken((r) => (r.resources = [{ accountId: '1', type: 'AWS::KMS::Key', ARN: 'key' }])).length,
    ).toBeGreaterThan(0);
    expect(broken((r) => (r.colour = 'blue'))).toEqual([
      expect.stringContaining('colour: unknown field "colour"'),
    ]);
    expect(broken((r) => delete r.eventID)).toContain(': is missing the required property "eventID"');
    expect(broken((r) => (r.requestParameters = { KeyId: 'x' }))).toEqual([
      expect.stringContaining('requestParameters.KeyId: property name "KeyId"'),
    ]);
    expect(
      broken((r) => ((r.userIdentity as Record<string, unknown>).type = 'Robot')).length,
    ).toBeGreaterThan(0);
    expect(broken((r) => ((r.userIdentity as Record<string, unknown>).nickname = 'b'))).toEqual([
      expect.stringContaining('userIdentity.nickname: unknown field'),
    ]);
    expect(broken((r) => (r.eventTime = '2026-03-01 10:00:00'))).toHaveLength(1);
    expect(broken(() => undefined, rotate)).toEqual([]);
    expect(broken((r) => (r.requestParameters = {}), rotate).length).toBeGreaterThan(0);
    expect(broken((r) => delete r.serviceEventDetails, rotate).length).toBeGreaterThan(0);
  });

  it('is a JSON Schema document', () => {
    const document = JSON.parse(JSON.stringify(CLOUDTRAIL_RECORD_SCHEMA)) as Record<string, unknown>;
    expect(document.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(document.oneOf).toHaveLength(2);
  });
});
