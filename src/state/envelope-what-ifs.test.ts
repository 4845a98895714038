import { describe, expect, it } from 'vitest';
import { createKms } from '../kms/kms';
import { discardDataKey, openMessage, sealWalkthrough } from './envelope-walkthrough';
import { OTHER_ACCOUNT, runWhatIf, WHAT_IFS, type WhatIfId } from './envelope-what-ifs';
import { STARTER_SCENARIO } from './lab-store';

const KEY = Object.keys(STARTER_SCENARIO.keys!)[0];
const ROOT = { principalArn: 'arn:aws:iam::111122223333:root' };
const APP = { principalArn: 'arn:aws:sts::111122223333:assumed-role/App/lab' };
const input = {
  plaintext: new TextEncoder().encode('Meet at the usual place at noon.'),
  keyId: KEY,
  caller: ROOT,
  encryptionContext: { project: 'alpha' },
};

async function made() {
  const kms = createKms({ scenario: STARTER_SCENARIO });
  const sealed = await sealWalkthrough(kms, input);
  return { kms, sealed };
}

describe('envelope walkthrough', () => {
  it('records GenerateDataKey, gives the data key once, a byte map, and opens back through KMS Decrypt', async () => {
    const { kms, sealed } = await made();
    expect(sealed.error).toBeUndefined();
    expect(sealed.calls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    expect(sealed.calls[0].request).toMatchObject({
      KeyId: KEY,
      NumberOfBytes: 32,
      EncryptionContext: { project: 'alpha' },
    });
    expect(sealed.calls[0].record).toMatchObject({ eventName: 'GenerateDataKey' });
    expect(sealed.dataKey).toHaveLength(32);
    expect(sealed.dataKey!.some((b) => b !== 0)).toBe(true);
    discardDataKey(sealed);
    expect(sealed.dataKey!.every((b) => b === 0)).toBe(true);
    expect(sealed.regions!.map((r) => r.kind)).toContain('footer');
    const opened = await openMessage(kms, sealed.message!, APP);
    expect(opened.calls.map((c) => `${c.operation} ${c.caller}`)).toEqual([`Decrypt ${APP.principalArn}`]);
    expect(new TextDecoder().decode(opened.plaintext)).toBe('Meet at the usual place at noon.');
    expect(opened.keyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(kms.trail.records.map((r) => r.eventName)).toEqual(['GenerateDataKey', 'Decrypt']);
  });

  it('a refused GenerateDataKey stops the walkthrough with the KMS exception', async () => {
    const kms = createKms({ scenario: STARTER_SCENARIO });
    const sealed = await sealWalkthrough(kms, { ...input, caller: APP });
    expect(sealed.message).toBeUndefined();
    expect(sealed.calls[0].error?.name).toBe('AccessDeniedException');
    expect(sealed.error).toMatch(/AccessDeniedException/);
  });
});

describe('envelope what-ifs', () => {
  const expected: Record<WhatIfId, { opened: boolean; summary: RegExp; operations: string[] }> = {
    'wrong-context': { opened: false, summary: /InvalidCiphertextException/, operations: ['Decrypt'] },
    'key-disabled': {
      opened: false,
      summary: /DisabledException/,
      operations: ['DisableKey', 'Decrypt', 'EnableKey'],
    },
    'key-pending-deletion': {
      opened: false,
      summary: /KMSInvalidStateException/,
      operations: ['ScheduleKeyDeletion', 'Decrypt', 'CancelKeyDeletion', 'EnableKey'],
    },
    'key-rotated': {
      opened: true,
      summary: /the material it was made with.*a newer one/,
      operations: ['RotateKeyOnDemand', 'DescribeKey', 'Decrypt'],
    },
    'no-decrypt': {
      opened: false,
      summary: /NoDecryptPermission.*AccessDeniedException/,
      operations: ['Decrypt'],
    },
    'byte-flipped': {
      opened: false,
      summary: /at byte \d+: .*No plaintext was released/,
      operations: ['Decrypt'],
    },
    'second-account': {
      opened: true,
      summary: new RegExp(`two encrypted data keys .*${OTHER_ACCOUNT}.*opened it with the second one`),
      operations: ['CreateKey', 'GenerateDataKey', 'Encrypt', 'Decrypt'],
    },
  };
  for (const { id } of WHAT_IFS)
    it(`${id}: what KMS and the ESDK do, and the key is as it was afterwards`, async () => {
      const { kms, sealed } = await made();
      const outcome = await runWhatIf(id, { kms, sealed, keyArns: [KEY] });
      expect(outcome.summary).toMatch(expected[id].summary);
      expect(outcome.opened).toBe(expected[id].opened);
      expect(outcome.calls.map((c) => c.operation)).toEqual(expected[id].operations);
      // Every call is in the trail, and the original message still opens afterwards.
      expect(kms.trail.records.length).toBeGreaterThanOrEqual(1 + outcome.calls.length);
      const again = await openMessage(kms, sealed.message!, ROOT);
      expect(again.error).toBeUndefined();
    });
});
