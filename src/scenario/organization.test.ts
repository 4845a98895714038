import { describe, expect, it } from 'vitest';
import { loadScenario } from './load';
import { migrateScenario, policyIdFromV1 } from './migrate';
import { orgLevels, orgMembership, unitChain } from './organization';
import type { Organization, Scenario } from './types';

const A = '111122223333';
const B = '444455556666';
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const DENY_KMS = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }] };

const ORG: Organization = {
  id: 'o-a1b2c3d4e5',
  rootId: 'r-a1b2',
  managementAccount: '999988887777',
  root: { scps: ['FullAWSAccess', { name: 'DenyKms', document: DENY_KMS }] },
  units: {
    'ou-a1b2-11111111': { name: 'Workloads' },
    'ou-a1b2-22222222': { name: 'Prod', parent: 'ou-a1b2-11111111', rcps: [DENY_KMS] },
  },
  accounts: { [A]: { unit: 'ou-a1b2-22222222' }, [B]: {} },
};

describe('the organization tree', () => {
  it('lists the levels from the root down to the account, with AWS defaults where nothing is written', () => {
    const scp = orgLevels(ORG, A, 'scp');
    expect(scp.map((l) => [l.target, l.depth])).toEqual([
      ['root', 0],
      ['ou-a1b2-11111111', 1],
      ['ou-a1b2-22222222', 2],
      [A, 3],
    ]);
    expect(scp[0].policies.map((p) => p.name)).toEqual(['FullAWSAccess', 'DenyKms']);
    expect(scp[1].policies).toMatchObject([{ name: 'FullAWSAccess', awsManaged: true }]);
    expect(scp[1].policies[0].index).toBeUndefined();
    expect(scp[2].label).toBe('OU Prod (ou-a1b2-22222222)');
  });

  it('always has RCPFullAWSAccess, and does not double it when written', () => {
    const rcp = orgLevels(ORG, A, 'rcp');
    expect(rcp.map((l) => l.policies.map((p) => p.name ?? `#${p.index}`))).toEqual([
      ['RCPFullAWSAccess'],
      ['RCPFullAWSAccess'],
      ['RCPFullAWSAccess', '#0'],
      ['RCPFullAWSAccess'],
    ]);
    const written = orgLevels({ ...ORG, root: { rcps: ['RCPFullAWSAccess'] } }, B, 'rcp');
    expect(written[0].policies).toHaveLength(1);
  });

  it('has no levels for an account outside the organization', () => {
    expect(orgLevels(ORG, '555555555555', 'scp')).toEqual([]);
    expect(orgLevels(undefined, A, 'scp')).toEqual([]);
  });

  it('derives the org id and the entity path (IAM aws:PrincipalOrgPaths)', () => {
    const scenario: Scenario = { version: 2, organization: ORG };
    expect(orgMembership(scenario, A)).toEqual({
      id: 'o-a1b2c3d4e5',
      path: 'o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/ou-a1b2-22222222/',
    });
    expect(orgMembership(scenario, B).path).toBe('o-a1b2c3d4e5/r-a1b2/');
    expect(orgMembership(scenario, '999988887777').id).toBe('o-a1b2c3d4e5');
    // Outside the tree, the account's own label still counts.
    const other: Scenario = {
      version: 2,
      organization: ORG,
      accounts: { '555555555555': { organizationId: 'o-other00000' } },
    };
    expect(orgMembership(other, '555555555555')).toEqual({ id: 'o-other00000' });
  });

  it('survives a loop of parents', () => {
    const loop: Organization = {
      units: {
        'ou-a1b2-11111111': { parent: 'ou-a1b2-22222222' },
        'ou-a1b2-22222222': { parent: 'ou-a1b2-11111111' },
      },
      accounts: { [A]: { unit: 'ou-a1b2-11111111' } },
    };
    expect(unitChain(loop, A)).toHaveLength(2);
  });
});

describe('loading organizations', () => {
  const load = (organization: unknown, extra: Record<string, unknown> = {}) =>
    loadScenario(JSON.stringify({ version: 2, organization, ...extra }, null, 2), 'org.json');

  it('accepts the tree', () => {
    expect(load(ORG)).toMatchObject({ ok: true });
  });

  it.each([
    [
      'a missing parent',
      { units: { 'ou-a1b2-11111111': { parent: 'ou-a1b2-99999999' } } },
      /no OU "ou-a1b2-99999999"/,
    ],
    ['a missing unit', { accounts: { [A]: { unit: 'ou-a1b2-99999999' } } }, /no OU/],
    [
      'a loop',
      {
        units: {
          'ou-a1b2-11111111': { parent: 'ou-a1b2-22222222' },
          'ou-a1b2-22222222': { parent: 'ou-a1b2-11111111' },
        },
      },
      /loop/,
    ],
    ['no SCP at all on a level (AWS keeps one)', { root: { scps: [] } }, /at least 1 item/],
    ['an unknown managed policy name', { root: { scps: ['FullAccess'] } }, /not an AWS managed SCP/],
    ['an RCP named as the SCP default', { root: { rcps: ['FullAWSAccess'] } }, /not an AWS managed RCP/],
    ['a bad OU id', { units: { 'ou-1': {} } }, /must be an OU id/],
  ])('refuses %s, with its place', (_, organization, message) => {
    const result = load(organization);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0].message).toMatch(message);
      expect(result.errors[0].path[0]).toBe('organization');
      expect(result.errors[0].line).toBeGreaterThan(1);
    }
  });

  it('refuses an account labelled with another organization than the one it is a member of', () => {
    const result = load(ORG, { accounts: { [A]: { organizationId: 'o-zzzzzzzzzz' } } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].path).toEqual(['accounts', A, 'organizationId']);
  });
});

describe('version 1 guardrails migrate to the tree', () => {
  const v1 = {
    version: 1,
    accounts: { [A]: { organizationId: 'o-a1b2c3d4e5' } },
    organization: { scps: { [A]: [ALLOW_ALL, DENY_KMS] }, rcps: { [A]: [DENY_KMS] } },
  };

  it('gives each level an OU of its own, with the same policies', () => {
    const migrated = migrateScenario(v1);
    expect(migrated.ok).toBe(true);
    if (!migrated.ok) return;
    const organization = migrated.scenario.organization as Organization;
    expect(organization.id).toBe('o-a1b2c3d4e5');
    expect(organization.accounts).toEqual({ [A]: { unit: `ou-v1v1-${A}l1` } });
    expect(organization.units?.[`ou-v1v1-${A}l0`]).toMatchObject({ scps: [ALLOW_ALL], rcps: [DENY_KMS] });
    expect(organization.units?.[`ou-v1v1-${A}l1`]).toMatchObject({
      parent: `ou-v1v1-${A}l0`,
      scps: [DENY_KMS],
    });
    expect(migrated.notes.join(' ')).toMatch(/version 1/);
  });

  it('maps editor ids and error places back to what was written', () => {
    expect(policyIdFromV1(`scp:${A}#1`)).toBe(`scp:ou-v1v1-${A}l1#0`);
    expect(policyIdFromV1('key:arn:aws:kms:us-east-1:1:key/k')).toBe('key:arn:aws:kms:us-east-1:1:key/k');
    const bad = { ...v1, organization: { scps: { [A]: [ALLOW_ALL, 'nonsense'] } } };
    const result = loadScenario(JSON.stringify(bad, null, 2));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].path).toEqual(['organization', 'scps', A, 1]);
  });

  it('leaves an account whose lists were empty outside the organization', () => {
    const migrated = migrateScenario({ version: 1, organization: { scps: { [A]: [] } } });
    expect(migrated.ok && (migrated.scenario.organization as Organization).accounts).toEqual({});
  });
});
