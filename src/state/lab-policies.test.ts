import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/types';
import {
  carryTexts,
  invalidTexts,
  listPolicySlots,
  parsePolicyText,
  setPolicyDocument,
  shortArn,
  textsFromScenario,
} from './lab-policies';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';

const doc = (sid: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }],
});

const scenario: Scenario = {
  version: 2,
  accounts: { '111122223333': { name: 'Workload' } },
  organization: {
    id: 'o-a1b2c3d4e5',
    root: { scps: ['FullAWSAccess', { name: 'DenyList', document: doc('scp-root') }] },
    units: { 'ou-a1b2-workloads': { name: 'Workloads', rcps: [doc('rcp0'), doc('rcp1')] } },
    accounts: { '111122223333': { unit: 'ou-a1b2-workloads', scps: [doc('scp-account')] } },
  },
  principals: {
    [ROLE]: {
      policies: [doc('bare'), { name: 'Named', document: doc('named') }],
      permissionsBoundary: doc('pb'),
    },
  },
  keys: { [KEY]: { aliases: ['alias/app'], policy: doc('key') } },
  vpcEndpoints: { 'vpce-1': { policy: doc('vpce') }, 'vpce-2': {} },
  requests: [{ id: 'r1', principal: ROLE, action: 'kms:Decrypt', sessionPolicy: doc('session') }],
};

const getPolicyDocument = (s: Scenario, id: string) =>
  listPolicySlots(s).find((slot) => slot.id === id)?.document;

describe('listPolicySlots', () => {
  it('lists every policy document under its PolicyId, in a stable order', () => {
    const slots = listPolicySlots(scenario);
    expect(slots.map((s) => s.id)).toEqual([
      `key:${KEY}`,
      `identity:${ROLE}#0`,
      `identity:${ROLE}#1`,
      `boundary:${ROLE}`,
      'scp:root#1',
      'scp:111122223333#0',
      'rcp:ou-a1b2-workloads#0',
      'rcp:ou-a1b2-workloads#1',
      'endpoint:vpce-1',
      'session:r1',
    ]);
    expect(slots.map((s) => s.type)).toEqual([
      'key',
      'identity',
      'identity',
      'boundary',
      'scp',
      'scp',
      'rcp',
      'rcp',
      'endpoint',
      'session',
    ]);
    expect(slots[0].label).toContain('alias/app');
    expect(slots[2].name).toBe('Named');
    expect(slots[2].document).toEqual(doc('named'));
  });

  it('labels SCPs and RCPs by name or place in their list, and by target; AWS managed ones have no editor', () => {
    const labels = listPolicySlots(scenario)
      .filter((s) => s.type === 'scp' || s.type === 'rcp')
      .map((s) => [s.label, s.owner, s.name, s.document]);
    expect(labels).toEqual([
      ['SCP "DenyList" · root', 'root', 'DenyList', doc('scp-root')],
      ['SCP #1 · account Workload', '111122223333', undefined, doc('scp-account')],
      ['RCP #1 · OU Workloads', 'ou-a1b2-workloads', undefined, doc('rcp0')],
      ['RCP #2 · OU Workloads', 'ou-a1b2-workloads', undefined, doc('rcp1')],
    ]);
    // "FullAWSAccess" at scp:root#0 is not a slot: nothing could save an edit of it.
    expect(listPolicySlots(scenario).some((s) => s.id === 'scp:root#0')).toBe(false);
  });

  it('names an account without a name by its id, an OU without a name by its id', () => {
    const bare: Scenario = {
      version: 2,
      organization: {
        units: { 'ou-a1b2-11111111': { rcps: [doc('x')] } },
        accounts: { '444455556666': { scps: [doc('y')] } },
      },
    };
    expect(listPolicySlots(bare).map((s) => s.label)).toEqual([
      'SCP #1 · account 444455556666',
      'RCP #1 · OU ou-a1b2-11111111',
    ]);
  });
});

describe('setPolicyDocument', () => {
  it('replaces exactly one document and leaves the input untouched', () => {
    for (const slot of listPolicySlots(scenario)) {
      const next = setPolicyDocument(scenario, slot.id, doc('changed'));
      expect(getPolicyDocument(next, slot.id)).toEqual(doc('changed'));
      const others = listPolicySlots(next).filter((s) => s.id !== slot.id);
      expect(others.map((s) => s.document)).toEqual(
        listPolicySlots(scenario)
          .filter((s) => s.id !== slot.id)
          .map((s) => s.document),
      );
    }
    expect(getPolicyDocument(scenario, `key:${KEY}`)).toEqual(doc('key'));
  });

  it('keeps the name of a named SCP and refuses to write over an AWS managed one', () => {
    const next = setPolicyDocument(scenario, 'scp:root#1', doc('x'));
    expect(next.organization?.root?.scps).toEqual([
      'FullAWSAccess',
      { name: 'DenyList', document: doc('x') },
    ]);
    expect(setPolicyDocument(scenario, 'scp:root#0', doc('x'))).toBe(scenario);
    expect(setPolicyDocument(scenario, 'scp:ou-a1b2-nope0000#0', doc('x'))).toBe(scenario);
    expect(setPolicyDocument(scenario, 'rcp:111122223333#0', doc('x'))).toBe(scenario);
    expect(scenario.organization?.root?.scps?.[1]).toEqual({ name: 'DenyList', document: doc('scp-root') });
  });

  it('keeps the name of a named identity policy', () => {
    const next = setPolicyDocument(scenario, `identity:${ROLE}#1`, doc('x'));
    expect(next.principals?.[ROLE].policies?.[1]).toEqual({ name: 'Named', document: doc('x') });
  });

  it('ignores ids that name nothing', () => {
    expect(setPolicyDocument(scenario, 'key:arn:nope', doc('x'))).toBe(scenario);
    expect(setPolicyDocument(scenario, `identity:${ROLE}#7`, doc('x'))).toBe(scenario);
    expect(setPolicyDocument(scenario, 'garbage', doc('x'))).toBe(scenario);
  });
});

describe('parsePolicyText', () => {
  it('accepts an object and rejects invalid JSON or non-objects with a message', () => {
    expect(parsePolicyText('{"Version":"2012-10-17"}')).toEqual({
      ok: true,
      document: { Version: '2012-10-17' },
    });
    const broken = parsePolicyText('{"Version": ');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/not valid JSON/i);
    expect(parsePolicyText('[1]').ok).toBe(false);
    expect(parsePolicyText('null').ok).toBe(false);
  });
});

describe('texts', () => {
  it('prints every policy, and carryTexts keeps invalid or differently formatted texts', () => {
    const texts = textsFromScenario(scenario);
    expect(Object.keys(texts)).toHaveLength(10);
    expect(JSON.parse(texts[`key:${KEY}`])).toEqual(doc('key'));

    const edited = { ...texts, [`key:${KEY}`]: '{ broken', [`boundary:${ROLE}`]: JSON.stringify(doc('pb')) };
    const withoutScp = { ...scenario, organization: { ...scenario.organization, accounts: {} } };
    const carried = carryTexts(edited, withoutScp);
    expect(carried[`key:${KEY}`]).toBe('{ broken');
    expect(carried[`boundary:${ROLE}`]).toBe(JSON.stringify(doc('pb')));
    expect(carried['scp:111122223333#0']).toBeUndefined();
    expect(invalidTexts(carried)).toHaveProperty([`key:${KEY}`]);
    expect(Object.keys(invalidTexts(carried))).toHaveLength(1);
  });

  it('carryTexts follows a rename and reprints a valid text the change superseded', () => {
    const texts = { ...textsFromScenario(scenario), [`key:${KEY}`]: '{ typing' };
    const renamedKey = 'arn:aws:kms:us-east-1:111122223333:key/other';
    const next: Scenario = { ...scenario, keys: { [renamedKey]: { policy: doc('key2') } } };
    const carried = carryTexts(texts, next, (id) => (id === `key:${KEY}` ? `key:${renamedKey}` : id));
    expect(carried[`key:${renamedKey}`]).toBe('{ typing');
    const superseded = carryTexts(textsFromScenario(scenario), next, (id) =>
      id === `key:${KEY}` ? `key:${renamedKey}` : id,
    );
    expect(JSON.parse(superseded[`key:${renamedKey}`])).toEqual(doc('key2'));
  });
});

describe('shortArn', () => {
  it('shortens ARNs for labels', () => {
    expect(shortArn(ROLE)).toBe('App');
    expect(shortArn('arn:aws:sts::111122223333:assumed-role/App/session')).toBe('App/session');
    expect(shortArn('arn:aws:iam::111122223333:root')).toBe('root');
    expect(shortArn('not-an-arn')).toBe('not-an-arn');
  });
});
