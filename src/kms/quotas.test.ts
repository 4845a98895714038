import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/types';
import { utf8 } from './bytes';
import { KmsError } from './errors';
import { createKms, LAB_ADMIN } from './kms';
import { defaultQuotas, THROTTLING_MESSAGE } from './quotas';

const admin = { principalArn: LAB_ADMIN };
const OTHER = 'arn:aws:iam::444455556666:user/other-admin';
const START = new Date('2026-01-01T00:00:00Z');
const allowAll = [
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
];
const scenario: Scenario = {
  version: 2,
  principals: { [LAB_ADMIN]: { policies: allowAll }, [OTHER]: { policies: allowAll } },
};

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as KmsError).type;
  }
}

describe('request quotas', () => {
  it('are off by default', async () => {
    const kms = createKms({ clock: START });
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await outcome(kms.call('CreateKey', {}, admin)));
    expect(results).toEqual(Array(8).fill('ok'));
  });

  it('throttle the sixth CreateKey in one lab second with AWS’s text, recorded in CloudTrail, until the clock moves', async () => {
    const kms = createKms({ scenario, clock: START, quotas: true });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await outcome(kms.call('CreateKey', {}, admin)));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ThrottlingException']);
    const error = (await kms.call('CreateKey', {}, admin).catch((e: unknown) => e)) as KmsError;
    expect(error.message).toBe(THROTTLING_MESSAGE);
    const [record] = kms.trail.query({ eventName: 'CreateKey', error: 'ThrottlingException' });
    expect(record.errorMessage).toBe(THROTTLING_MESSAGE);
    // Each quota is its own: ListKeys still works, and so does another account's CreateKey.
    expect(await outcome(kms.call('ListKeys', {}, admin))).toBe('ok');
    expect(await outcome(kms.call('CreateKey', {}, { principalArn: OTHER }))).toBe('ok');
    await kms.clock.advance({ seconds: 1 });
    expect(await outcome(kms.call('CreateKey', {}, admin))).toBe('ok');
  });

  it('share one quota among the symmetric cryptographic operations, apart from RSA keys', async () => {
    const kms = createKms({
      clock: START,
      quotas: { 'Cryptographic operations (symmetric) request rate': 3 },
    });
    const { KeyMetadata: aes } = (await kms.call('CreateKey', {}, admin)) as {
      KeyMetadata: { KeyId: string };
    };
    const { KeyMetadata: rsa } = (await kms.call(
      'CreateKey',
      { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' },
      admin,
    )) as { KeyMetadata: { KeyId: string } };
    const { CiphertextBlob } = await kms.call('Encrypt', { KeyId: aes.KeyId, Plaintext: utf8('x') }, admin);
    expect(await outcome(kms.call('Decrypt', { CiphertextBlob }, admin))).toBe('ok');
    expect(await outcome(kms.call('GenerateDataKey', { KeyId: aes.KeyId, KeySpec: 'AES_256' }, admin))).toBe(
      'ok',
    );
    expect(await outcome(kms.call('GenerateRandom', { NumberOfBytes: 8 }, admin))).toBe(
      'ThrottlingException',
    );
    expect(await outcome(kms.call('Decrypt', { CiphertextBlob }, admin))).toBe('ThrottlingException');
    const rsaEncrypt = { KeyId: rsa.KeyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' };
    expect(await outcome(kms.call('Encrypt', rsaEncrypt, admin))).toBe('ok');
  });

  it('allow one request per interval when the quota is under one per second (GetParametersForImport: 1 in 4 s)', async () => {
    const kms = createKms({ clock: START, quotas: true });
    const { KeyMetadata } = (await kms.call('CreateKey', { Origin: 'EXTERNAL' }, admin)) as {
      KeyMetadata: { KeyId: string };
    };
    const request = {
      KeyId: KeyMetadata.KeyId,
      WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      WrappingKeySpec: 'RSA_2048',
    };
    expect(await outcome(kms.call('GetParametersForImport', request, admin))).toBe('ok');
    await kms.clock.advance({ seconds: 3 });
    expect(await outcome(kms.call('GetParametersForImport', request, admin))).toBe('ThrottlingException');
    await kms.clock.advance({ seconds: 1 });
    expect(await outcome(kms.call('GetParametersForImport', request, admin))).toBe('ok');
  });

  it('default by Region and refuse an unknown quota name', () => {
    expect(defaultQuotas('us-east-1')['Cryptographic operations (symmetric) request rate']).toBe(100_000);
    expect(defaultQuotas('eu-west-2')['Cryptographic operations (symmetric) request rate']).toBe(20_000);
    expect(defaultQuotas('ca-central-1')['Cryptographic operations (symmetric) request rate']).toBe(10_000);
    expect(defaultQuotas('ca-central-1')['CreateKey request rate']).toBe(5);
    expect(() => createKms({ quotas: { 'CreateKeys request rate': 1 } })).toThrow(
      /Unknown KMS request quota/,
    );
    expect(() => createKms({ quotas: { 'CreateKey request rate': 0 } })).toThrow(/positive number/);
  });
});
