import { describe, expect, it } from 'vitest';
import { createKms, LAB_ADMIN } from './kms';
import { KEY_STATE_TABLE, stateRefusal } from './key-states';
import { KmsError } from './errors';
import { utf8 } from './bytes';
import { createHsm } from './crypto/hsm';
import type { Scenario } from '../scenario/types';

const admin = { principalArn: LAB_ADMIN };
const BOB = 'arn:aws:iam::111122223333:user/bob';
const START = new Date('2026-01-01T00:00:00Z');

function kmsWithBob() {
  const scenario: Scenario = {
    version: 2,
    principals: {
      [LAB_ADMIN]: {
        policies: [
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
        ],
      },
      [BOB]: { policies: [] },
    },
  };
  return createKms({ scenario, clock: START });
}

async function failure(promise: Promise<unknown>): Promise<KmsError> {
  try {
    await promise;
  } catch (error) {
    return error as KmsError;
  }
  throw new Error('expected the call to fail');
}

async function newKey(kms: ReturnType<typeof createKms>, request: Record<string, unknown> = {}) {
  const { KeyMetadata } = (await kms.call('CreateKey', request, admin)) as {
    KeyMetadata: { Arn: string; KeyId: string };
  };
  return KeyMetadata;
}

describe('key-state table', () => {
  it.each([
    ['crypto', 'Disabled', 'DisabledException', 'K is disabled.'],
    ['crypto', 'PendingDeletion', 'KMSInvalidStateException', 'K is pending deletion.'],
    ['crypto', 'PendingImport', 'KMSInvalidStateException', 'K is pending import.'],
    ['cancel-deletion', 'Enabled', 'KMSInvalidStateException', 'K is not pending deletion.'],
    [
      'rotation',
      'PendingImport',
      'UnsupportedOperationException',
      'K origin is EXTERNAL which is not valid for this operation.',
    ],
  ] as const)('%s in %s → %s', (group, state, type, message) => {
    expect(stateRefusal(group, state, 'K')).toEqual({ type, message });
  });

  it('lets every operation group run on an Enabled key except CancelKeyDeletion', () => {
    const refusing = Object.entries(KEY_STATE_TABLE)
      .filter(([, row]) => row.Enabled)
      .map(([group]) => group);
    expect(refusing).toEqual(['cancel-deletion']);
  });

  it('refuses Encrypt on a disabled key and allows it again once enabled', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    await kms.call('DisableKey', { KeyId: key.KeyId }, admin);
    const error = await failure(kms.call('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') }, admin));
    expect([error.type, error.message]).toEqual(['DisabledException', `${key.Arn} is disabled.`]);
    await kms.call('EnableKey', { KeyId: key.KeyId }, admin);
    await expect(
      kms.call('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') }, admin),
    ).resolves.toBeTruthy();
  });
});

describe('lifecycle on the lab clock', () => {
  it('deletes a key at the end of its waiting period, with a DeleteKey service event', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    await kms.call('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: key.KeyId }, admin);
    await kms.call('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 }, admin);
    await kms.clock.advance({ days: 6 });
    expect(((await kms.call('DescribeKey', { KeyId: key.KeyId }, admin)) as any).KeyMetadata.KeyState).toBe(
      'PendingDeletion',
    );
    await kms.clock.advance({ days: 1 });
    expect((await failure(kms.call('DescribeKey', { KeyId: key.KeyId }, admin))).type).toBe(
      'NotFoundException',
    );
    expect(((await kms.call('ListAliases', {}, admin)) as any).Aliases).toEqual([]);
    const [event] = kms.trail.query({ eventName: 'DeleteKey' });
    expect(event).toMatchObject({ eventType: 'AwsServiceEvent', serviceEventDetails: { keyId: key.KeyId } });
    expect(event.eventTime).toBe('2026-01-08T00:00:00Z');
  });

  it('refuses a waiting period outside 7–30 days', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    const error = await failure(
      kms.call('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 6 }, admin),
    );
    expect(error.type).toBe('ValidationException');
  });

  it('cancelling a deletion leaves the key Disabled', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    await kms.call('ScheduleKeyDeletion', { KeyId: key.KeyId }, admin);
    await kms.call('CancelKeyDeletion', { KeyId: key.KeyId }, admin);
    expect(((await kms.call('DescribeKey', { KeyId: key.KeyId }, admin)) as any).KeyMetadata.KeyState).toBe(
      'Disabled',
    );
  });

  it('rotates on schedule, keeps old material, and old ciphertexts still decrypt', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    const before = ((await kms.call('DescribeKey', { KeyId: key.KeyId }, admin)) as any).KeyMetadata
      .CurrentKeyMaterialId;
    const old = (await kms.call('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('old') }, admin)) as any;
    await kms.call('Decrypt', { CiphertextBlob: old.CiphertextBlob }, admin); // known materials: the first only
    await kms.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 }, admin);
    await kms.clock.advance({ days: 89 });
    expect(kms.trail.query({ eventName: 'RotateKey' })).toHaveLength(0);
    await kms.clock.advance({ days: 92 });
    expect(kms.trail.query({ eventName: 'RotateKey' })).toHaveLength(2);
    const after = ((await kms.call('DescribeKey', { KeyId: key.KeyId }, admin)) as any).KeyMetadata
      .CurrentKeyMaterialId;
    expect(after).not.toBe(before);
    const opened = (await kms.call('Decrypt', { CiphertextBlob: old.CiphertextBlob }, admin)) as any;
    expect(new TextDecoder().decode(opened.Plaintext)).toBe('old');
    expect(opened.KeyMaterialId).toBe(before);
    const fresh = (await kms.call('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('new') }, admin)) as any;
    const reopened = (await kms.call('Decrypt', { CiphertextBlob: fresh.CiphertextBlob }, admin)) as any;
    expect([new TextDecoder().decode(reopened.Plaintext), reopened.KeyMaterialId]).toEqual(['new', after]);
    const rotations = (await kms.call('ListKeyRotations', { KeyId: key.KeyId }, admin)) as any;
    expect(rotations.Rotations.map((r: any) => r.RotationType)).toEqual(['AUTOMATIC', 'AUTOMATIC']);
  });

  it('expires imported material at ValidTo (DeleteExpiredKeyMaterial)', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms, { Origin: 'EXTERNAL' });
    const params = (await kms.call(
      'GetParametersForImport',
      { KeyId: key.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' },
      admin,
    )) as any;
    const publicKey = await crypto.subtle.importKey(
      'spki',
      params.PublicKey,
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['encrypt'],
    );
    const material = crypto.getRandomValues(new Uint8Array(32));
    const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, material));
    await kms.call(
      'ImportKeyMaterial',
      {
        KeyId: key.KeyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapped,
        ValidTo: new Date('2026-01-03T00:00:00Z'),
      },
      admin,
    );
    await kms.clock.advance({ days: 3 });
    expect(((await kms.call('DescribeKey', { KeyId: key.KeyId }, admin)) as any).KeyMetadata.KeyState).toBe(
      'PendingImport',
    );
    expect(kms.trail.query({ eventName: 'DeleteExpiredKeyMaterial' })).toHaveLength(1);
    // The import token is valid for 24 hours only.
    const error = await failure(
      kms.call(
        'ImportKeyMaterial',
        {
          KeyId: key.KeyId,
          ImportToken: params.ImportToken,
          EncryptedKeyMaterial: wrapped,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        },
        admin,
      ),
    );
    expect(error.type).toBe('ExpiredImportTokenException');
  });
});

describe('authorization through the engine', () => {
  it('denies a user without permissions with AWS text, and records the failure', async () => {
    const kms = kmsWithBob();
    const key = await newKey(kms);
    const error = await failure(
      kms.call('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('x') }, { principalArn: BOB }),
    );
    expect(error.type).toBe('AccessDeniedException');
    expect(error.message).toMatch(
      new RegExp(
        `^User: ${BOB} is not authorized to perform: kms:Encrypt on resource: ${key.Arn} because no identity-based policy allows the kms:Encrypt action`,
      ),
    );
    const [record] = kms.trail.query({ user: BOB });
    expect(record).toMatchObject({
      eventName: 'Encrypt',
      errorCode: 'AccessDenied',
      errorMessage: error.message,
    });
    expect(record.resources).toEqual([{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: key.Arn }]);
  });

  it('a grant works at once with its token, and without it only after propagation', async () => {
    const kms = kmsWithBob();
    const key = await newKey(kms);
    const blob = (
      (await kms.call(
        'Encrypt',
        { KeyId: key.KeyId, Plaintext: utf8('s'), EncryptionContext: { app: 'a' } },
        admin,
      )) as any
    ).CiphertextBlob;
    const grant = (await kms.call(
      'CreateGrant',
      {
        KeyId: key.KeyId,
        GranteePrincipal: BOB,
        Operations: ['Decrypt'],
        Constraints: { EncryptionContextEquals: { app: 'a' } },
      },
      admin,
    )) as any;
    const bob = { principalArn: BOB };
    expect(
      (await failure(kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { app: 'a' } }, bob)))
        .type,
    ).toBe('AccessDeniedException');
    await expect(
      kms.call(
        'Decrypt',
        { CiphertextBlob: blob, EncryptionContext: { app: 'a' }, GrantTokens: [grant.GrantToken] },
        bob,
      ),
    ).resolves.toBeTruthy();
    await kms.clock.advance({ minutes: 5 });
    await expect(
      kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { app: 'a' } }, bob),
    ).resolves.toBeTruthy();
    // The constraint holds: another context is not covered by the grant.
    expect(
      (await failure(kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { app: 'b' } }, bob)))
        .type,
    ).toBe('AccessDeniedException');
    await kms.call('RetireGrant', { GrantToken: grant.GrantToken }, admin);
    expect(
      (await failure(kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { app: 'a' } }, bob)))
        .type,
    ).toBe('AccessDeniedException');
  });

  it('refuses a key policy that would lock the caller out unless bypassed', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:user/other' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    const error = await failure(kms.call('PutKeyPolicy', { KeyId: key.KeyId, Policy: policy }, admin));
    expect(error.type).toBe('MalformedPolicyDocumentException');
    await kms.call(
      'PutKeyPolicy',
      { KeyId: key.KeyId, Policy: policy, BypassPolicyLockoutSafetyCheck: true },
      admin,
    );
    expect((await failure(kms.call('DescribeKey', { KeyId: key.KeyId }, admin))).type).toBe(
      'AccessDeniedException',
    );
  });

  it('applies the engine’s lockout check to CreateKey’s policy, and only to a policy that locks out', async () => {
    const kms = createKms({ clock: START });
    const statement = (principal: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }],
    });
    const lockedOut = JSON.stringify(statement('arn:aws:iam::111122223333:user/other'));
    const error = await failure(kms.call('CreateKey', { Policy: lockedOut }, admin));
    expect([error.type, error.message]).toEqual([
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    ]);
    expect(
      kms.trail.query({ eventName: 'CreateKey', error: 'MalformedPolicyDocumentException' }),
    ).toHaveLength(1);
    await newKey(kms, { Policy: lockedOut, BypassPolicyLockoutSafetyCheck: true });
    await newKey(kms, { Policy: JSON.stringify(statement('arn:aws:iam::111122223333:root')) });
  });
});

describe('aliases, pagination, trail, snapshot', () => {
  it('pages ListKeys with Limit and Marker', async () => {
    const kms = createKms({ clock: START });
    for (let i = 0; i < 5; i++) await newKey(kms);
    const first = (await kms.call('ListKeys', { Limit: 2 }, admin)) as any;
    expect([first.Keys.length, first.Truncated]).toEqual([2, true]);
    const seen = [...first.Keys];
    let page = first;
    while (page.Truncated) {
      page = await kms.call('ListKeys', { Limit: 2, Marker: page.NextMarker }, admin);
      seen.push(...page.Keys);
    }
    expect(new Set(seen.map((k: any) => k.KeyId)).size).toBe(5);
    expect((await failure(kms.call('ListKeys', { Marker: 'nonsense' }, admin))).type).toBe(
      'InvalidMarkerException',
    );
  });

  it('an alias names one key; a second CreateAlias of the same name fails', async () => {
    const kms = createKms({ clock: START });
    const a = await newKey(kms);
    const b = await newKey(kms);
    await kms.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: a.KeyId }, admin);
    expect(
      (await failure(kms.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: b.KeyId }, admin))).type,
    ).toBe('AlreadyExistsException');
    await kms.call('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: b.KeyId }, admin);
    const described = (await kms.call('DescribeKey', { KeyId: 'alias/app' }, admin)) as any;
    expect(described.KeyMetadata.KeyId).toBe(b.KeyId);
    expect((await failure(kms.call('DisableKey', { KeyId: 'alias/app' }, admin))).type).toBe(
      'NotFoundException',
    );
  });

  it('records requestParameters in camelCase without blobs, and Decrypt its algorithm', async () => {
    const kms = createKms({ clock: START });
    const key = await newKey(kms);
    const blob = (
      (await kms.call(
        'Encrypt',
        { KeyId: key.KeyId, Plaintext: utf8('x'), EncryptionContext: { Tenant: 'a' } },
        admin,
      )) as any
    ).CiphertextBlob;
    await kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { Tenant: 'a' } }, admin);
    const [encrypt] = kms.trail.query({ eventName: 'Encrypt' });
    expect(encrypt.requestParameters).toEqual({ keyId: key.KeyId, encryptionContext: { Tenant: 'a' } });
    expect(encrypt.responseElements).toBeNull();
    const [decrypt] = kms.trail.query({ eventName: 'Decrypt', keyId: key.KeyId });
    expect(decrypt.requestParameters).toEqual({
      encryptionContext: { Tenant: 'a' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    expect(decrypt.additionalEventData?.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(kms.trail.query({ error: true })).toHaveLength(0);
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const kms = createKms();
    expect((await failure(kms.call('MakeCoffee', {}, admin))).type).toBe('UnknownOperationException');
  });

  it('restores keys, ciphertexts and trail from a JSON snapshot under the same domain key only', async () => {
    const domainKey = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const kms = createKms({ clock: START, hsm: createHsm({ domainKey }) });
    const key = await newKey(kms);
    const signing = await newKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const blob = ((await kms.call('Encrypt', { KeyId: key.KeyId, Plaintext: utf8('kept') }, admin)) as any)
      .CiphertextBlob;
    const message = { KeyId: signing.KeyId, Message: utf8('m'), SigningAlgorithm: 'ECDSA_SHA_256' };
    const { Signature } = (await kms.call('Sign', message, admin)) as { Signature: Uint8Array };
    const snapshot = JSON.parse(JSON.stringify(await kms.snapshot()));
    // The materials are sealed: the snapshot names no material id in clear.
    const materialId = (await kms.call('DescribeKey', { KeyId: key.KeyId }, admin)) as any;
    expect(JSON.stringify(snapshot.hsm)).not.toContain(materialId.KeyMetadata.CurrentKeyMaterialId);

    const copy = createKms({ hsm: createHsm({ domainKey }) });
    await copy.restore(snapshot);
    const opened = (await copy.call('Decrypt', { CiphertextBlob: blob }, admin)) as any;
    expect(new TextDecoder().decode(opened.Plaintext)).toBe('kept');
    const verified = await copy.call('Verify', { ...message, Signature }, admin);
    expect(verified.SignatureValid).toBe(true);
    expect(copy.trail.query({ eventName: 'CreateKey' })).toHaveLength(2);

    const stranger = createKms();
    expect((await failure(stranger.restore(snapshot))).type).toBe('KMSInternalException');
  });
});
