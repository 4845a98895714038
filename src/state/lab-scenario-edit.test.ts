import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/types';
import {
  addGrant,
  addGuardrail,
  addIdentityPolicy,
  addKey,
  addRequest,
  newKeyArn,
  removeEndpoint,
  removeGuardrail,
  removeKey,
  removePrincipal,
  renameGrant,
  renameKey,
  renamePolicyId,
  renamePrincipal,
  sessionArn,
  shiftIndexedPolicyIds,
  uniqueName,
} from './lab-scenario-edit';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';

const base: Scenario = {
  version: 2,
  principals: { [ROLE]: { policies: [] }, 'arn:aws:iam::111122223333:user/Ann': {} },
  keys: { [KEY]: { aliases: ['alias/app'] } },
  grants: [{ grantId: 'g1', keyArn: KEY, granteePrincipal: ROLE, operations: ['Decrypt'] }],
  vpcEndpoints: { 'vpce-1': {} },
  requests: [
    {
      id: 'r1',
      principal: 'arn:aws:sts::111122223333:assumed-role/App/s1',
      action: 'kms:Decrypt',
      keyId: KEY,
      vpcEndpoint: 'vpce-1',
    },
    { id: 'r2', principal: ROLE, action: 'kms:Encrypt', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
  ],
};

describe('principals', () => {
  it('renames a role with its grants, requests and sessions, keeping the order of entries', () => {
    const to = 'arn:aws:iam::111122223333:role/Worker';
    const next = renamePrincipal(base, ROLE, to);
    expect(Object.keys(next.principals ?? {})).toEqual([to, 'arn:aws:iam::111122223333:user/Ann']);
    expect(next.grants?.[0].granteePrincipal).toBe(to);
    expect(next.requests?.[0].principal).toBe('arn:aws:sts::111122223333:assumed-role/Worker/s1');
    expect(next.requests?.[1].principal).toBe(to);
    expect(base.principals?.[ROLE]).toBeDefined();
  });

  it('refuses a rename onto an existing principal', () => {
    expect(renamePrincipal(base, ROLE, 'arn:aws:iam::111122223333:user/Ann')).toBe(base);
  });

  it('removes a principal and its grants', () => {
    const next = removePrincipal(base, ROLE);
    expect(next.principals?.[ROLE]).toBeUndefined();
    expect(next.grants).toEqual([]);
  });

  it('adds identity policies and builds session ARNs', () => {
    const next = addIdentityPolicy(base, ROLE, 'P1');
    expect(next.principals?.[ROLE].policies).toHaveLength(1);
    expect(sessionArn(ROLE, 'me')).toBe('arn:aws:sts::111122223333:assumed-role/App/me');
  });
});

describe('keys', () => {
  it('adds a key with the default key policy of its account', () => {
    const arn = newKeyArn(base, '444455556666');
    expect(arn).not.toBe(KEY);
    const next = addKey(base, arn);
    const statement = (next.keys?.[arn].policy?.Statement as { Principal: { AWS: string } }[])[0];
    expect(statement.Principal.AWS).toBe('arn:aws:iam::444455556666:root');
    expect(next.keys?.[arn].state).toBe('Enabled');
  });

  it('renames a key with grants and requests that named it by ARN or id', () => {
    const to = 'arn:aws:kms:us-east-1:111122223333:key/ffff0000-12ab-34cd-56ef-1234567890ab';
    const next = renameKey(base, KEY, to);
    expect(next.grants?.[0].keyArn).toBe(to);
    expect(next.requests?.[0].keyId).toBe(to);
    expect(next.requests?.[1].keyId).toBe('ffff0000-12ab-34cd-56ef-1234567890ab');
  });

  it('renames a grant unless the id is taken', () => {
    expect(renameGrant(base, 'g1', 'g2').grants?.[0].grantId).toBe('g2');
    const two = addGrant(base, { keyArn: KEY, granteePrincipal: ROLE, operations: [] });
    expect(renameGrant(two, 'g1', two.grants![1].grantId)).toBe(two);
    expect(renameGrant(base, 'g1', '')).toBe(base);
  });

  it('removes a key and its grants', () => {
    expect(removeKey(base, KEY).grants).toEqual([]);
  });
});

describe('guardrails and endpoints', () => {
  it('adds and removes SCPs per account', () => {
    let next = addGuardrail(base, 'scp', '111122223333');
    next = addGuardrail(next, 'scp', '111122223333');
    expect(next.organization?.scps?.['111122223333']).toHaveLength(2);
    next = removeGuardrail(next, 'scp', '111122223333', 0);
    expect(next.organization?.scps?.['111122223333']).toHaveLength(1);
    next = removeGuardrail(next, 'scp', '111122223333', 0);
    expect(next.organization?.scps).toEqual({});
  });

  it('removing an endpoint also removes it from requests', () => {
    expect(removeEndpoint(base, 'vpce-1').requests?.[0].vpcEndpoint).toBeUndefined();
  });
});

describe('requests and names', () => {
  it('adds requests with unique ids', () => {
    const first = addRequest(base, { id: 'r1', principal: ROLE, action: 'kms:Decrypt' });
    expect(first.id).toBe('r1-2');
    expect(first.scenario.requests).toHaveLength(3);
    expect(uniqueName('a', ['a', 'a-2'])).toBe('a-3');
  });
});

describe('policy ids after changes', () => {
  it('maps ids of a renamed owner and shifts indexes after a removal', () => {
    const rename = renamePolicyId('principal', ROLE, 'arn:aws:iam::111122223333:role/B');
    expect(rename(`identity:${ROLE}#2`)).toBe('identity:arn:aws:iam::111122223333:role/B#2');
    expect(rename(`boundary:${ROLE}`)).toBe('boundary:arn:aws:iam::111122223333:role/B');
    expect(rename(`key:${KEY}`)).toBe(`key:${KEY}`);
    const shift = shiftIndexedPolicyIds('identity', ROLE, 1);
    expect(shift(`identity:${ROLE}#0`)).toBe(`identity:${ROLE}#0`);
    expect(shift(`identity:${ROLE}#2`)).toBe(`identity:${ROLE}#1`);
    expect(shift(`identity:${ROLE}#1`)).not.toBe(`identity:${ROLE}#1`);
  });
});
