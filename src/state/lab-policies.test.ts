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
  organization: {
    scps: { '111122223333': [doc('scp0'), doc('scp1')] },
    rcps: { '111122223333': [doc('rcp0')] },
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
      'scp:111122223333#0',
      'scp:111122223333#1',
      'rcp:111122223333#0',
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
      'endpoint',
      'session',
    ]);
    expect(slots[0].label).toContain('alias/app');
    expect(slots[2].name).toBe('Named');
    expect(slots[2].document).toEqual(doc('named'));
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
    expect(Object.keys(texts)).toHaveLength(9);
    expect(JSON.parse(texts[`key:${KEY}`])).toEqual(doc('key'));

    const edited = { ...texts, [`key:${KEY}`]: '{ broken', [`boundary:${ROLE}`]: JSON.stringify(doc('pb')) };
    const withoutScp = { ...scenario, organization: { ...scenario.organization, scps: {} } };
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
