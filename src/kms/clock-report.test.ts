import { describe, expect, it } from 'vitest';
import { clockReport } from './clock-report';
import { createKms, LAB_ADMIN } from './kms';

const admin = { principalArn: LAB_ADMIN };

describe('clockReport', () => {
  it('names the rotations, deletions and grants that a move of the clock brought', async () => {
    const kms = createKms({ clock: new Date('2026-01-01T00:00:00Z') });
    const { KeyMetadata } = (await kms.call('CreateKey', {}, admin)) as { KeyMetadata: { KeyId: string } };
    const keyId = KeyMetadata.KeyId;
    await kms.call('CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: keyId }, admin);
    await kms.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 }, admin);
    const doomed = (await kms.call('CreateKey', {}, admin)) as { KeyMetadata: { KeyId: string } };
    await kms.call('ScheduleKeyDeletion', { KeyId: doomed.KeyMetadata.KeyId, PendingWindowInDays: 7 }, admin);
    const { GrantId } = (await kms.call(
      'CreateGrant',
      { KeyId: keyId, GranteePrincipal: 'arn:aws:iam::111122223333:root', Operations: ['Decrypt'] },
      admin,
    )) as { GrantId: string };

    const from = kms.clock.now().getTime();
    const start = kms.trail.records.length;
    await kms.clock.advance({ days: 200 });
    const report = clockReport({
      from,
      to: kms.clock.now().getTime(),
      events: kms.trail.records.slice(start),
      state: kms.view(),
    });
    expect(report).toMatch(/^The lab clock is now 2026-07-20T00:00:00Z\./);
    expect(report).toContain(`Key alias/payroll (${keyId}) rotated 2 times: 2026-04-01 and 2026-06-30.`);
    expect(report).toContain(`2026-01-08: key ${doomed.KeyMetadata.KeyId} was deleted.`);
    expect(report).toContain(`Grant ${GrantId} now works without its grant token.`);

    const long = kms.trail.records.length;
    await kms.clock.advance({ days: 900 });
    const years = clockReport({
      from: 0,
      to: kms.clock.now().getTime(),
      events: kms.trail.records.slice(long),
      state: kms.view(),
    });
    expect(years).toContain('rotated 10 times: 2026-09-28, 2026-12-27, 2027-03-27, 2027-06-25 and 6 more.');

    const quiet = kms.clock.now().getTime();
    await kms.clock.advance({ hours: 1 });
    expect(
      clockReport({ from: quiet, to: kms.clock.now().getTime(), events: [], state: kms.view() }),
    ).toContain('Nothing fell due on the way.');
  });
});
