import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load';
import type { Scenario } from '../scenario/types';
import {
  flattenOrganization,
  guardrailTargets,
  knownAccounts,
  organizationView,
  orgNodeLabel,
  type OrgNodeView,
} from './lab-organization';

const deny = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'kms:DisableKey', Resource: '*' }],
};

function template(file: string): Scenario {
  const loaded = loadScenario(readFileSync(`scenarios/templates/${file}`, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  return loaded.scenario;
}

/** The tree as indented lines: `name [id] scps | rcps`, an attachment written `*name` when AWS implies it. */
function outline(node: OrgNodeView, depth = 0): string[] {
  const list = (views: OrgNodeView['scps']) =>
    views.map((v) => `${v.implied ? '*' : ''}${v.name}${v.editorId ? `=${v.editorId}` : ''}`).join(',');
  const line = `${'  '.repeat(depth)}${node.kind} ${node.name} [${node.id}]${node.management ? ' management' : ''} ${list(node.scps)} | ${list(node.rcps)}`;
  return [line, ...node.children.flatMap((child) => outline(child, depth + 1))];
}

describe('organizationView', () => {
  it('draws the SCP template as a learner reads it: the root, the OU, the accounts, what AWS attaches', () => {
    const view = organizationView(template('scp-guardrail.json'))!;
    expect(view.id).toBe('o-a1b2c3d4e5');
    expect(outline(view.root)).toEqual([
      'root Root [r-a1b2] FullAWSAccess,ProtectKmsKeys=scp:root#1 | *RCPFullAWSAccess',
      '  unit Workloads [ou-a1b2-workloads] *FullAWSAccess | *RCPFullAWSAccess',
      '    account Workloads member [111122223333] *FullAWSAccess | *RCPFullAWSAccess',
      '  account 999988887777 [999988887777] management *FullAWSAccess | *RCPFullAWSAccess',
    ]);
    expect(view.outside).toEqual([]);
    const managed = view.root.scps[0];
    expect(managed).toMatchObject({ awsManaged: true, implied: false, index: 0 });
    expect(managed.editorId).toBeUndefined();
    expect(managed.document.Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  });

  it('nests OUs, names unnamed policies by their place, and does not repeat RCPFullAWSAccess written by name', () => {
    const scenario: Scenario = {
      version: 2,
      accounts: { '444455556666': {} },
      principals: { 'arn:aws:iam::777788889999:role/App': {} },
      organization: {
        root: { rcps: ['RCPFullAWSAccess', deny] },
        units: {
          'ou-root-11111111': { name: 'Apps', scps: [deny] },
          'ou-root-22222222': { name: 'Prod', parent: 'ou-root-11111111' },
        },
        accounts: { '111122223333': { unit: 'ou-root-22222222', scps: ['FullAWSAccess', deny] } },
      },
    };
    const view = organizationView(scenario)!;
    expect(view.id).toBeUndefined();
    expect(outline(view.root)).toEqual([
      'root Root [r-root] *FullAWSAccess | RCPFullAWSAccess,RCP #2=rcp:root#1',
      '  unit Apps [ou-root-11111111] SCP #1=scp:ou-root-11111111#0 | *RCPFullAWSAccess',
      '    unit Prod [ou-root-22222222] *FullAWSAccess | *RCPFullAWSAccess',
      '      account 111122223333 [111122223333] FullAWSAccess,SCP #2=scp:111122223333#1 | *RCPFullAWSAccess',
    ]);
    expect(view.outside).toEqual(['444455556666', '777788889999']);
    expect(flattenOrganization(view.root).map(orgNodeLabel)).toEqual([
      'the root',
      'OU Apps',
      'OU Prod',
      'account 111122223333',
    ]);
  });

  it('shows an OU with a missing parent or in a loop, and an account in a missing OU, under the root', () => {
    const scenario: Scenario = {
      version: 2,
      organization: {
        units: {
          'ou-root-aaaaaaaa': { parent: 'ou-root-bbbbbbbb' },
          'ou-root-bbbbbbbb': { parent: 'ou-root-aaaaaaaa' },
          'ou-root-cccccccc': { parent: 'ou-root-missing0' },
        },
        accounts: { '111122223333': { unit: 'ou-root-missing0' } },
      },
    };
    const children = organizationView(scenario)!.root.children.map((c) => c.id);
    expect(children).toEqual(['ou-root-aaaaaaaa', 'ou-root-bbbbbbbb', 'ou-root-cccccccc', '111122223333']);
    expect(organizationView({ version: 2 })).toBeUndefined();
  });

  it('knows the accounts of the scenario, its principals and its keys', () => {
    expect(
      knownAccounts({
        version: 2,
        accounts: { '111122223333': {} },
        principals: { 'arn:aws:iam::444455556666:user/Ann': {}, 'kms.amazonaws.com': {} },
        keys: { 'arn:aws:kms:us-east-1:111122223333:key/x': {} },
      }),
    ).toEqual(['111122223333', '444455556666']);
  });
});

describe('guardrailTargets', () => {
  it('offers the root, each OU and each member, then the accounts outside (which join)', () => {
    const scenario = template('scp-guardrail.json');
    const withOutsider: Scenario = {
      ...scenario,
      accounts: { ...scenario.accounts, '444455556666': { name: 'Ops' } },
    };
    expect(guardrailTargets(withOutsider)).toEqual([
      { value: 'root', label: 'the root' },
      { value: 'ou-a1b2-workloads', label: 'OU Workloads' },
      { value: '111122223333', label: 'account Workloads member (111122223333)' },
      { value: '999988887777', label: 'account 999988887777' },
      { value: '444455556666', label: 'account Ops (444455556666), outside the organization (it joins it)' },
    ]);
  });

  it('without an organization, offers the root of a new one and the known accounts', () => {
    expect(guardrailTargets({ version: 2, accounts: { '111122223333': {} } })).toEqual([
      { value: 'root', label: 'the root (of a new organization)' },
      { value: '111122223333', label: 'account 111122223333, outside the organization (it joins it)' },
    ]);
  });
});
