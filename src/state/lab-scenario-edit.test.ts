import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/types';
import { OU_ID_PATTERN } from '../scenario/schema';
import {
  accountPlace,
  addGrant,
  addGuardrail,
  addOrgUnit,
  allowAllPolicy,
  DEFAULT_ORGANIZATION_ID,
  isEmptyOrgUnit,
  lastGuardrailId,
  moveOrgUnit,
  newOrgUnitId,
  placeAccount,
  possibleParents,
  removeAccount,
  removeOrgUnit,
  renameOrgUnit,
  setManagementAccount,
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

const deny = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }],
};
const UNIT = 'ou-a1b2-workloads';
const MEMBER = '111122223333';
const inOrg: Scenario = {
  ...base,
  accounts: { [MEMBER]: { name: 'Workload' }, '999988887777': {} },
  organization: {
    id: 'o-a1b2c3d4e5',
    managementAccount: '999988887777',
    units: { [UNIT]: { name: 'Workloads' } },
    accounts: { [MEMBER]: { unit: UNIT } },
  },
};

describe('SCPs and RCPs attached to the root, an OU or an account', () => {
  it('attaching an SCP where none was written keeps FullAWSAccess attached beside it', () => {
    const next = addGuardrail(inOrg, 'scp', 'root', { name: 'Deny', document: deny });
    expect(next.organization?.root?.scps).toEqual(['FullAWSAccess', { name: 'Deny', document: deny }]);
    expect(lastGuardrailId(next, 'scp', 'root')).toBe('scp:root#1');
    // An RCP list starts empty: RCPFullAWSAccess is implied, not written.
    const rcp = addGuardrail(next, 'rcp', UNIT, deny);
    expect(rcp.organization?.units?.[UNIT]).toEqual({ name: 'Workloads', rcps: [deny] });
    expect(lastGuardrailId(rcp, 'rcp', UNIT)).toBe(`rcp:${UNIT}#0`);
    expect(inOrg.organization?.root).toBeUndefined();
  });

  it('a new SCP has a name not yet used in the organization and allows everything', () => {
    const one = addGuardrail(inOrg, 'scp', UNIT);
    const two = addGuardrail(one, 'scp', MEMBER);
    expect(two.organization?.units?.[UNIT].scps?.[1]).toMatchObject({ name: 'NewSCP' });
    expect(two.organization?.accounts?.[MEMBER].scps).toEqual([
      'FullAWSAccess',
      { name: 'NewSCP-2', document: allowAllPolicy(false) },
    ]);
    expect(two.organization?.accounts?.[MEMBER].unit).toBe(UNIT);
  });

  it('does not attach an AWS managed policy twice, nor to an OU that does not exist', () => {
    const once = addGuardrail(inOrg, 'scp', 'root', 'FullAWSAccess');
    expect(once.organization?.root?.scps).toEqual(['FullAWSAccess']);
    expect(addGuardrail(once, 'scp', 'root', 'FullAWSAccess').organization?.root?.scps).toEqual([
      'FullAWSAccess',
    ]);
    expect(addGuardrail(inOrg, 'scp', 'ou-a1b2-nothere0', deny)).toBe(inOrg);
  });

  it('an account outside the organization joins it under the root; without an organization, one is made', () => {
    const joined = addGuardrail(inOrg, 'rcp', '444455556666', deny);
    expect(joined.organization?.accounts?.['444455556666']).toEqual({ rcps: [deny] });
    expect(addGuardrail(base, 'scp', 'root', deny).organization).toEqual({
      id: DEFAULT_ORGANIZATION_ID,
      root: { scps: ['FullAWSAccess', deny] },
    });
  });

  it('attaches to the management account although it has no member entry yet', () => {
    const next = addGuardrail(inOrg, 'rcp', '999988887777', deny);
    expect(next.organization?.accounts?.['999988887777']).toEqual({ rcps: [deny] });
  });

  it('removing the last SCP removes the list, so FullAWSAccess is attached again (never "scps": [])', () => {
    let next = addGuardrail(inOrg, 'scp', UNIT, { name: 'Deny', document: deny });
    next = removeGuardrail(next, 'scp', UNIT, 0); // detaches FullAWSAccess
    expect(next.organization?.units?.[UNIT].scps).toEqual([{ name: 'Deny', document: deny }]);
    next = removeGuardrail(next, 'scp', UNIT, 0);
    expect(next.organization?.units?.[UNIT]).toEqual({ name: 'Workloads' });
    expect(removeGuardrail(next, 'scp', UNIT, 0)).toBe(next);
    const rcps = removeGuardrail(addGuardrail(inOrg, 'rcp', MEMBER, deny), 'rcp', MEMBER, 0);
    expect(rcps.organization?.accounts?.[MEMBER]).toEqual({ unit: UNIT });
  });

  it('shifts the ids of the SCPs after a removed one at the same target only', () => {
    const shift = shiftIndexedPolicyIds('scp', 'root', 1);
    expect(shift('scp:root#0')).toBe('scp:root#0');
    expect(shift('scp:root#2')).toBe('scp:root#1');
    expect(shift('scp:root#1')).not.toMatch(/^scp:root#\d+$/);
    expect(shift(`scp:${UNIT}#2`)).toBe(`scp:${UNIT}#2`);
    expect(shift('rcp:root#2')).toBe('rcp:root#2');
  });
});

describe('the organization tree', () => {
  it('adds OUs with ids in AWS shape, made from their names, under the root or an OU', () => {
    const first = addOrgUnit(inOrg, 'Prod', UNIT);
    expect(first.id).toBe('ou-a1b2-prod0001');
    expect(first.id).toMatch(new RegExp(OU_ID_PATTERN));
    expect(first.scenario.organization?.units?.[first.id]).toEqual({ name: 'Prod', parent: UNIT });
    const second = addOrgUnit(first.scenario, 'Prod');
    expect(second.id).toBe('ou-a1b2-prod0002');
    expect(second.scenario.organization?.units?.[second.id]).toEqual({ name: 'Prod' });
    expect(newOrgUnitId(inOrg, 'Workloads')).toBe('ou-a1b2-workloads2');
    expect(newOrgUnitId(inOrg, '---')).toMatch(new RegExp(OU_ID_PATTERN));
  });

  it('creates the organization for the first OU, with the org id an account claims', () => {
    const claimed: Scenario = { ...base, accounts: { [MEMBER]: { organizationId: 'o-zzzzyyyyxx' } } };
    const { scenario, id } = addOrgUnit(claimed, 'Security');
    expect(scenario.organization?.id).toBe('o-zzzzyyyyxx');
    expect(id).toBe('ou-zzzz-security');
    expect(addOrgUnit(base, 'Security').scenario.organization?.id).toBe(DEFAULT_ORGANIZATION_ID);
  });

  it('renames and moves OUs, refusing a move that would make a loop', () => {
    const { scenario: withChild, id: child } = addOrgUnit(inOrg, 'Prod', UNIT);
    expect(renameOrgUnit(withChild, UNIT, 'Apps').organization?.units?.[UNIT].name).toBe('Apps');
    expect(possibleParents(withChild.organization!, UNIT)).toEqual([]);
    expect(possibleParents(withChild.organization!, child)).toEqual([UNIT]);
    expect(moveOrgUnit(withChild, UNIT, child)).toBe(withChild);
    expect(moveOrgUnit(withChild, UNIT, UNIT)).toBe(withChild);
    const top = moveOrgUnit(withChild, child, undefined);
    expect(top.organization?.units?.[child]).toEqual({ name: 'Prod' });
    expect(moveOrgUnit(top, UNIT, child).organization?.units?.[UNIT].parent).toBe(child);
  });

  it('removes only an empty OU, as AWS does', () => {
    expect(isEmptyOrgUnit(inOrg.organization!, UNIT)).toBe(false);
    expect(removeOrgUnit(inOrg, UNIT)).toBe(inOrg);
    const emptied = placeAccount(inOrg, MEMBER, 'root');
    expect(isEmptyOrgUnit(emptied.organization!, UNIT)).toBe(true);
    expect(removeOrgUnit(emptied, UNIT).organization?.units).toEqual({});
  });

  it('puts an account into an OU, takes it out to the root or out of the organization', () => {
    expect(accountPlace(inOrg.organization, MEMBER)).toBe(UNIT);
    const atRoot = placeAccount(addGuardrail(inOrg, 'scp', MEMBER, deny), MEMBER, 'root');
    expect(atRoot.organization?.accounts?.[MEMBER]).toEqual({ scps: ['FullAWSAccess', deny] });
    expect(accountPlace(atRoot.organization, MEMBER)).toBe('root');
    const outside = placeAccount(atRoot, MEMBER, null);
    expect(accountPlace(outside.organization, MEMBER)).toBeNull();
    expect(outside.organization?.accounts).toEqual({});
    const back = placeAccount(outside, MEMBER, UNIT);
    expect(back.organization?.accounts?.[MEMBER]).toEqual({ unit: UNIT });
    expect(placeAccount(inOrg, MEMBER, 'ou-a1b2-nothere0')).toBe(inOrg);
    expect(placeAccount(base, MEMBER, 'root').organization).toEqual({
      id: DEFAULT_ORGANIZATION_ID,
      accounts: { [MEMBER]: {} },
    });
  });

  it('the management account cannot leave; unmarked, it stays a member', () => {
    expect(accountPlace(inOrg.organization, '999988887777')).toBe('root');
    expect(placeAccount(inOrg, '999988887777', null)).toBe(inOrg);
    const none = setManagementAccount(inOrg, undefined);
    expect(none.organization?.managementAccount).toBeUndefined();
    expect(none.organization?.accounts?.['999988887777']).toEqual({});
    const moved = setManagementAccount(inOrg, MEMBER);
    expect(moved.organization?.managementAccount).toBe(MEMBER);
    expect(Object.keys(moved.organization?.accounts ?? {})).toEqual([MEMBER, '999988887777']);
  });

  it('removing an account from the scenario takes it out of the organization', () => {
    const next = removeAccount(inOrg, '999988887777');
    expect(next.organization?.managementAccount).toBeUndefined();
    expect(removeAccount(inOrg, MEMBER).organization?.accounts).toEqual({});
    expect(removeAccount(base, MEMBER).organization).toBeUndefined();
  });
});

describe('endpoints', () => {
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
