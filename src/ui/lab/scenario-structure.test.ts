import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenario/types';
import { structureKey } from './scenario-structure';

const doc = (sid: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }],
});
const base: Scenario = {
  version: 2,
  principals: {
    r: { policies: [{ name: 'P', document: doc('a') }, doc('b')], permissionsBoundary: doc('c') },
  },
  keys: { k: { state: 'Enabled', aliases: ['alias/a'], policy: doc('d') } },
  organization: {
    root: { scps: ['FullAWSAccess', { name: 'Deny', document: doc('e') }] },
    units: { 'ou-a1b2-11111111': { name: 'Apps', rcps: [doc('h')] } },
  },
  vpcEndpoints: { v: { policy: doc('f') } },
  requests: [{ id: 'q', principal: 'r', action: 'kms:Decrypt', sessionPolicy: doc('g') }],
};

describe('structureKey', () => {
  it('ignores the content of every policy document', () => {
    const edited: Scenario = {
      ...base,
      principals: {
        r: { policies: [{ name: 'P', document: doc('A') }, doc('B')], permissionsBoundary: doc('C') },
      },
      keys: { k: { ...base.keys!.k, policy: doc('D') } },
      organization: {
        root: { scps: ['FullAWSAccess', { name: 'Deny', document: doc('E') }] },
        units: { 'ou-a1b2-11111111': { name: 'Apps', rcps: [doc('H')] } },
      },
      vpcEndpoints: { v: { policy: doc('F') } },
      requests: [{ ...base.requests![0], sessionPolicy: doc('G') }],
    };
    expect(structureKey(edited)).toBe(structureKey(base));
  });

  it('changes with everything the panels show', () => {
    const key = structureKey(base);
    expect(structureKey({ ...base, keys: { k: { ...base.keys!.k, state: 'Disabled' } } })).not.toBe(key);
    expect(
      structureKey({
        ...base,
        principals: { r: { policies: [{ name: 'Renamed', document: doc('a') }, doc('b')] } },
      }),
    ).not.toBe(key);
    const org = base.organization!;
    const changedOrgs = [
      { ...org, root: { scps: [{ name: 'Deny', document: doc('e') }] } },
      { ...org, root: { scps: ['FullAWSAccess', { name: 'Renamed', document: doc('e') }] } },
      { ...org, units: { 'ou-a1b2-11111111': { name: 'Apps', rcps: [doc('h'), doc('h')] } } },
      { ...org, units: { 'ou-a1b2-11111111': { name: 'Applications', rcps: [doc('h')] } } },
      { ...org, accounts: { '111122223333': { unit: 'ou-a1b2-11111111' } } },
      { ...org, managementAccount: '999988887777' },
    ];
    for (const organization of changedOrgs) expect(structureKey({ ...base, organization })).not.toBe(key);
    expect(structureKey({ ...base, requests: [{ ...base.requests![0], action: 'kms:Encrypt' }] })).not.toBe(
      key,
    );
    expect(structureKey({ ...base, vpcEndpoints: { v: {} } })).not.toBe(key);
  });
});
