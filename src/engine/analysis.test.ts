import { describe, expect, it } from 'vitest';
import { accessMatrix, actionsForKey, diffScenarios, prepareScenario } from './index';
import type { Scenario } from '../scenario/types';
import {
  A,
  B,
  ENABLE_IAM,
  KEY,
  allow,
  deny,
  iamAllow,
  identity,
  policy,
  role,
  session,
  world,
} from './fixtures/world';

const NOW = new Date('2025-01-01T00:00:00Z');

describe('actionsForKey (key spec and usage)', () => {
  it('lists encryption actions for a symmetric key, and no signing', () => {
    const actions = actionsForKey({});
    expect(actions).toContain('kms:Encrypt');
    expect(actions).toContain('kms:GenerateDataKey');
    expect(actions).toContain('kms:EnableKeyRotation');
    expect(actions).not.toContain('kms:Sign');
    expect(actions).not.toContain('kms:GetPublicKey');
    expect(actions).not.toContain('kms:CreateKey'); // IAM-only
  });
  it('lists signing and GetPublicKey for an RSA signing key, and no Encrypt', () => {
    const actions = actionsForKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
    expect(actions).toEqual(expect.arrayContaining(['kms:Sign', 'kms:Verify', 'kms:GetPublicKey']));
    expect(actions).not.toContain('kms:Encrypt');
    expect(actions).not.toContain('kms:EnableKeyRotation');
  });
  it('lists MAC operations for an HMAC key, and import operations only for EXTERNAL origin', () => {
    expect(actionsForKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })).toEqual(
      expect.arrayContaining(['kms:GenerateMac', 'kms:VerifyMac']),
    );
    expect(actionsForKey({})).not.toContain('kms:ImportKeyMaterial');
    expect(actionsForKey({ origin: 'EXTERNAL' })).toContain('kms:ImportKeyMaterial');
  });
});

const scenario: Scenario = {
  ...world({
    keyPolicy: policy(
      ENABLE_IAM,
      allow({ AWS: role('App') }, ['kms:Encrypt', 'kms:Decrypt']),
      allow({ AWS: B }, 'kms:Decrypt'),
    ),
    principals: {
      [role('App')]: {},
      [role('Admin')]: identity(iamAllow('kms:*')),
      [role('Ext', B)]: identity(iamAllow('kms:Decrypt')),
    },
  }),
  requests: [
    { id: 'app-decrypt', principal: session('App'), action: 'kms:Decrypt', keyId: KEY },
    { id: 'ext-decrypt', principal: session('Ext', B), action: 'kms:Decrypt', keyId: KEY },
  ],
};

describe('accessMatrix', () => {
  it('has one row per principal and one column per action of the key', () => {
    const prepared = prepareScenario(scenario, { now: NOW });
    const matrix = accessMatrix(prepared, KEY);
    expect(matrix.principals).toEqual(
      expect.arrayContaining([role('App'), role('Admin'), role('Ext', B), session('App'), session('Ext', B)]),
    );
    expect(matrix.actions).toEqual(actionsForKey({}));
    expect(matrix.cells).toHaveLength(matrix.principals.length);
    for (const row of matrix.cells) expect(row).toHaveLength(matrix.actions.length);
    const cell = (principal: string, action: string) =>
      matrix.cells[matrix.principals.indexOf(principal)][matrix.actions.indexOf(action)];
    expect(cell(session('App'), 'kms:Decrypt')).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy' });
    expect(cell(session('App'), 'kms:PutKeyPolicy').decision).toBe('ImplicitDeny');
    expect(cell(role('Admin'), 'kms:PutKeyPolicy')).toMatchObject({
      decision: 'Allow',
      allowedBy: 'key-policy+iam',
    });
    expect(cell(session('Ext', B), 'kms:Decrypt').decision).toBe('Allow');
    expect(cell(session('Ext', B), 'kms:Encrypt').decision).toBe('ImplicitDeny');
  });

  it('takes principals, actions and a base request', () => {
    const prepared = prepareScenario(scenario, { now: NOW });
    const matrix = accessMatrix(prepared, KEY, {
      principals: [session('App')],
      actions: ['kms:Decrypt'],
      base: { vpcEndpoint: 'vpce-9' },
    });
    expect(matrix.cells).toEqual([
      [expect.objectContaining({ principal: session('App'), action: 'kms:Decrypt', decision: 'Allow' })],
    ]);
  });
});

describe('diffScenarios', () => {
  it('reports requests and matrix cells that change, naming the statement that made the difference', () => {
    const after: Scenario = {
      ...scenario,
      keys: {
        [KEY]: {
          ...scenario.keys![KEY],
          policy: policy(ENABLE_IAM, allow({ AWS: role('App') }, ['kms:Encrypt', 'kms:Decrypt']), {
            ...deny({ AWS: B }, 'kms:*'),
            Sid: 'NoPartners',
          }),
        },
      },
    };
    const diff = diffScenarios(scenario, after, { now: NOW });
    expect(diff.compared).toBeGreaterThan(2);
    const change = diff.changes.find((c) => c.requestId === 'ext-decrypt');
    expect(change).toMatchObject({ before: { decision: 'Allow' }, after: { decision: 'ExplicitDeny' } });
    expect(change!.why).toContain('"NoPartners"');
    expect(diff.changes.some((c) => c.requestId === 'app-decrypt')).toBe(false);
  });

  it('explains a lost Allow by the statement that no longer applies', () => {
    const after: Scenario = {
      ...scenario,
      keys: {
        [KEY]: { ...scenario.keys![KEY], policy: policy(ENABLE_IAM, allow({ AWS: B }, 'kms:Decrypt')) },
      },
    };
    const diff = diffScenarios(scenario, after, { now: NOW });
    const change = diff.changes.find((c) => c.requestId === 'app-decrypt');
    expect(change).toMatchObject({ before: { decision: 'Allow' }, after: { decision: 'ImplicitDeny' } });
    expect(change!.why).toMatch(/key policy #2 no longer allows it/);
  });

  it('reports nothing for identical scenarios', () => {
    expect(diffScenarios(scenario, structuredClone(scenario), { now: NOW }).changes).toEqual([]);
  });
});

describe('prepareScenario', () => {
  it('uses editor text for source ranges when it says the same as the document', () => {
    const text = `{"Version":"2012-10-17",\n\n"Statement":[{"Effect":"Allow","Principal":{"AWS":"${role('App')}"},"Action":"kms:Decrypt","Resource":"*"}]}`;
    const doc = JSON.parse(text);
    const s = world({ keyPolicy: doc });
    const withText = prepareScenario(s, { now: NOW, sources: { [`key:${KEY}`]: text } }).evaluate({
      id: 'r',
      principal: session('App'),
      action: 'kms:Decrypt',
      keyId: KEY,
    });
    expect(withText.deciding[0].range?.start.line).toBe(3);
    const stale = prepareScenario(s, { now: NOW, sources: { [`key:${KEY}`]: '{"Statement": []}' } }).evaluate(
      { id: 'r', principal: session('App'), action: 'kms:Decrypt', keyId: KEY },
    );
    expect(stale.deciding[0].range?.start.line).toBe(4); // JSON.stringify(doc, null, 2)
  });

  it('evaluateAll decides every request and reports expect/pass', () => {
    const s: Scenario = {
      ...scenario,
      requests: [
        { ...scenario.requests![0], expect: 'Allow' },
        { ...scenario.requests![0], id: 'wrong', expect: 'ExplicitDeny' },
      ],
    };
    const results = prepareScenario(s, { now: NOW }).evaluateAll();
    expect(results.map((r) => [r.id, r.pass])).toEqual([
      ['app-decrypt', true],
      ['wrong', false],
    ]);
  });

  it('never throws on a malformed request', () => {
    const prepared = prepareScenario(scenario, { now: NOW });
    const result = prepared.evaluate({
      id: 'bad',
      principal: 42 as unknown as string,
      action: undefined as unknown as string,
    });
    expect(result.decision).not.toBe('Allow');
    expect(prepareScenario({} as Scenario).evaluateAll()).toEqual([]);
  });

  it('derives the request context and reports it', () => {
    const result = prepareScenario(scenario, { now: NOW }).evaluate({
      id: 'r',
      principal: session('App'),
      action: 'kms:Decrypt',
      keyId: 'alias/payroll',
      encryptionContext: { dept: 'x' },
      sourceIp: '10.0.0.1',
    });
    expect(result.context).toMatchObject({
      'aws:PrincipalArn': [role('App')],
      'aws:PrincipalAccount': [A],
      'kms:CallerAccount': [A],
      'kms:EncryptionContext:dept': ['x'],
      'kms:EncryptionContextKeys': ['dept'],
      'kms:RequestAlias': ['alias/payroll'],
      'kms:ResourceAliases': ['alias/payroll'],
      'aws:SourceIp': ['10.0.0.1'],
      'kms:EncryptionAlgorithm': ['SYMMETRIC_DEFAULT'],
      'aws:CurrentTime': ['2025-01-01T00:00:00.000Z'],
    });
  });
});
