import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/types';
import {
  cleanRequest,
  keyArnForReference,
  keyReferences,
  knownCallers,
  pairsToRecord,
  recordToPairs,
} from './lab-request';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const scenario: Scenario = {
  version: 2,
  principals: { 'arn:aws:iam::111122223333:role/App': {} },
  keys: { [KEY]: { aliases: ['alias/app'] }, 'arn:aws:kms:us-east-1:111122223333:key/other': {} },
  grants: [
    { grantId: 'g', keyArn: KEY, granteePrincipal: 'arn:aws:iam::444455556666:role/Partner', operations: [] },
  ],
  requests: [{ id: 'r', principal: 'arn:aws:sts::111122223333:assumed-role/App/s', action: 'kms:Decrypt' }],
};

describe('key references', () => {
  it('lists the id, ARN, alias and alias ARN, and resolves each back to the key', () => {
    const refs = keyReferences(KEY, scenario.keys?.[KEY]);
    expect(refs).toEqual([
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      KEY,
      'alias/app',
      'arn:aws:kms:us-east-1:111122223333:alias/app',
    ]);
    for (const ref of refs) expect(keyArnForReference(scenario, ref)).toBe(KEY);
    expect(keyArnForReference(scenario, 'alias/none')).toBeUndefined();
    expect(keyArnForReference(scenario, undefined)).toBeUndefined();
  });
});

describe('pairs', () => {
  it('round-trips records, skips empty keys, splits lists only when asked', () => {
    const pairs = [
      { key: 'dept', value: 'a,b' },
      { key: ' ', value: 'x' },
    ];
    expect(pairsToRecord(pairs)).toEqual({ dept: 'a,b' });
    expect(pairsToRecord(pairs, true)).toEqual({ dept: ['a', 'b'] });
    expect(recordToPairs({ k: ['a', 'b'], j: 'c' })).toEqual([
      { key: 'k', value: 'a, b' },
      { key: 'j', value: 'c' },
    ]);
  });
});

describe('cleanRequest', () => {
  it('drops empty optional fields and keeps the required ones', () => {
    const cleaned = cleanRequest({
      id: 'r',
      principal: '',
      action: 'kms:Decrypt',
      sourceIp: ' ',
      grantTokens: [],
      encryptionContext: {},
      context: { a: 'b' },
    });
    expect(cleaned).toEqual({ id: 'r', principal: '', action: 'kms:Decrypt', context: { a: 'b' } });
  });
});

describe('knownCallers', () => {
  it('includes principals, request callers and grantees once each', () => {
    expect(knownCallers(scenario).sort()).toEqual(
      [
        'arn:aws:iam::111122223333:role/App',
        'arn:aws:iam::444455556666:role/Partner',
        'arn:aws:sts::111122223333:assumed-role/App/s',
      ].sort(),
    );
  });
});
