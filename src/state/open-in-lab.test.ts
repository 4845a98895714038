import { describe, expect, it } from 'vitest';
import { prepareScenario } from '../engine';
import { createKms } from '../kms/kms';
import { explainScenario } from './open-in-lab';
import { STARTER_SCENARIO } from './lab-store';

const APP = 'arn:aws:sts::111122223333:assumed-role/App/lab';
const ROOT = 'arn:aws:iam::111122223333:root';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('explainScenario', () => {
  it('turns a denied call into the live state plus that request, which the engine denies the same way', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    await kms.call(
      'TagResource',
      { KeyId: KEY, Tags: [{ TagKey: 'team', TagValue: 'pay' }] },
      { principalArn: ROOT },
    );
    await expect(
      kms.call(
        'Encrypt',
        { KeyId: 'alias/app', Plaintext: new Uint8Array([1]), EncryptionContext: { a: 'b' } },
        { principalArn: APP },
      ),
    ).rejects.toMatchObject({ type: 'AccessDeniedException' });
    const record = kms.trail.records.at(-1)!;
    const built = explainScenario(STARTER_SCENARIO, kms.view(), record);
    if (!built.ok) throw new Error(built.message);
    const request = built.scenario.requests![0];
    expect(request).toMatchObject({
      principal: APP,
      action: 'kms:Encrypt',
      keyId: 'alias/app',
      encryptionContext: { a: 'b' },
    });
    expect(built.scenario.keys?.[KEY]?.tags).toEqual({ team: 'pay' }); // the live state, not the scenario's
    const result = prepareScenario(built.scenario).evaluate(request);
    expect(result.decision).toBe('ImplicitDeny');
  });

  it('names the key KMS resolved when the caller wrote a bare key id', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    await expect(
      kms.call('DisableKey', { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, { principalArn: APP }),
    ).rejects.toMatchObject({ type: 'AccessDeniedException' });
    const built = explainScenario(STARTER_SCENARIO, kms.view(), kms.trail.records.at(-1)!);
    expect(built.ok && built.scenario.requests![0].keyId).toBe(KEY);
  });

  it('says why a record without a caller cannot be explained', () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    const built = explainScenario(STARTER_SCENARIO, kms.view(), { eventName: 'Decrypt' } as never);
    expect(built).toMatchObject({ ok: false, message: expect.stringContaining('userIdentity') });
  });
});
