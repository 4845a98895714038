/**
 * Laws of the evaluator (lab-design §7), checked with fast-check on random small worlds:
 * adding a Deny never creates an Allow; removing an Allow never creates an Allow; the order of statements and
 * policies does not matter; action names match case-insensitively.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accessMatrix, prepareScenario } from './index';
import type { PolicyDocument, RequestSpec, Scenario } from '../scenario/types';
import { A, B, KEY, root, role, session } from './fixtures/world';

const NOW = new Date('2025-01-01T00:00:00Z');
const PRINCIPAL_VALUES = ['*', A, root(A), B, role('App'), role('Ext', B), session('App'), role('Other')];
const ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:*',
  'kms:Re*',
  'kms:Describe*',
  'kms:Encryp?',
  '*',
];
const CONDITIONS = [
  undefined,
  { StringEquals: { 'kms:EncryptionContext:dept': 'finance' } },
  { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
  { Bool: { 'aws:ViaAWSService': 'false' } },
  { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['dept'] } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { StringEqualsIfExists: { 'kms:CallerAccount': A } },
];

const keyStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Principal: fc.oneof(
    fc.constant('*'),
    fc.record({ AWS: fc.subarray(PRINCIPAL_VALUES.slice(1), { minLength: 1, maxLength: 3 }) }),
  ),
  Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }),
  Resource: fc.constant('*'),
  Condition: fc.constantFrom(...CONDITIONS),
});
const identityStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }),
  Resource: fc.constantFrom('*', KEY, `arn:aws:kms:*:${A}:key/*`),
  Condition: fc.constantFrom(...CONDITIONS),
});

function clean(statement: Record<string, unknown>): Record<string, unknown> {
  const out = { ...statement };
  if (out.Condition === undefined) delete out.Condition;
  return out;
}

const doc = (statements: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.map(clean),
});

const worldArb = fc.record({
  key: fc.array(keyStatement, { maxLength: 5 }),
  app: fc.array(fc.array(identityStatement, { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  ext: fc.array(fc.array(identityStatement, { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  grant: fc.boolean(),
});
type WorldShape = {
  key: Record<string, unknown>[];
  app: Record<string, unknown>[][];
  ext: Record<string, unknown>[][];
  grant: boolean;
};

function scenarioOf(shape: WorldShape): Scenario {
  return {
    version: 2,
    principals: {
      [role('App')]: { policies: shape.app.map(doc) },
      [role('Ext', B)]: { policies: shape.ext.map(doc) },
    },
    keys: { [KEY]: { aliases: ['alias/payroll'], policy: doc(shape.key) } },
    grants: shape.grant
      ? [{ grantId: 'g-1', keyArn: KEY, granteePrincipal: role('App'), operations: ['Decrypt', 'Encrypt'] }]
      : [],
  };
}

const requestArb = fc.record({
  id: fc.constant('r'),
  principal: fc.constantFrom(session('App'), session('Ext', B), root(A), root(B), session('Other')),
  action: fc.constantFrom(
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:DescribeKey',
    'kms:CreateGrant',
    'kms:PutKeyPolicy',
  ),
  keyId: fc.constant(KEY),
  encryptionContext: fc.option(fc.constant({ dept: 'finance' }), { nil: undefined }),
  vpcEndpoint: fc.option(fc.constant('vpce-1'), { nil: undefined }),
  sourceIp: fc.constantFrom('10.1.2.3', '203.0.113.9'),
}) as fc.Arbitrary<RequestSpec>;

const decide = (scenario: Scenario, request: RequestSpec) =>
  prepareScenario(scenario, { now: NOW }).evaluate(request);
const RUNS = { numRuns: 300 };

describe('evaluator laws (fast-check)', () => {
  it('adding a Deny statement never turns a non-Allow into Allow', () => {
    fc.assert(
      fc.property(
        worldArb,
        requestArb,
        keyStatement,
        fc.constantFrom('key', 'identity'),
        (shape, request, extra, where) => {
          const before = decide(scenarioOf(shape), request);
          const denyStatement = { ...extra, Effect: 'Deny' };
          const { Principal: _keyPolicyOnly, ...identityDeny } = denyStatement;
          const changed: WorldShape =
            where === 'key'
              ? { ...shape, key: [...shape.key, denyStatement] }
              : { ...shape, app: [...shape.app, [identityDeny]] };
          const after = decide(scenarioOf(changed), request);
          // A policy AWS would refuse is never in effect (an empty Statement list, say); adding a statement can
          // make it acceptable, so the law is about policies AWS stores.
          fc.pre(before.outcome !== 'MalformedPolicyDocumentException');
          if (before.decision !== 'Allow') expect(after.decision).not.toBe('Allow');
        },
      ),
      RUNS,
    );
  });

  it('removing an Allow statement never turns a decision into Allow', () => {
    fc.assert(
      fc.property(worldArb, requestArb, fc.nat(), (shape, request, pick) => {
        const allows = shape.key.map((s, i) => [s, i] as const).filter(([s]) => s.Effect === 'Allow');
        fc.pre(allows.length > 0);
        const index = allows[pick % allows.length][1];
        const before = decide(scenarioOf(shape), request);
        const after = decide(scenarioOf({ ...shape, key: shape.key.filter((_, i) => i !== index) }), request);
        if (before.decision !== 'Allow') expect(after.decision).not.toBe('Allow');
      }),
      RUNS,
    );
  });

  it('reordering statements or policies changes nothing', () => {
    fc.assert(
      fc.property(worldArb, requestArb, (shape, request) => {
        const reversed: WorldShape = {
          ...shape,
          key: [...shape.key].reverse(),
          app: [...shape.app].reverse().map((p) => [...p].reverse()),
          ext: [...shape.ext].reverse(),
        };
        const a = decide(scenarioOf(shape), request);
        const b = decide(scenarioOf(reversed), request);
        expect([b.decision, b.outcome, b.allowedBy]).toEqual([a.decision, a.outcome, a.allowedBy]);
      }),
      RUNS,
    );
  });

  it('action names match case-insensitively, in requests and in policies', () => {
    const randomCase = (text: string, seed: number[]): string =>
      [...text]
        .map((c, i) => ((seed[i % seed.length] ?? 0) % 2 ? c.toUpperCase() : c.toLowerCase()))
        .join('');
    fc.assert(
      fc.property(
        worldArb,
        requestArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        (shape, request, seed) => {
          const a = decide(scenarioOf(shape), request);
          const b = decide(scenarioOf(shape), { ...request, action: randomCase(request.action, seed) });
          const recased: WorldShape = {
            ...shape,
            key: shape.key.map((s) => ({
              ...s,
              Action: (s.Action as string[]).map((x) => randomCase(x, seed)),
            })),
          };
          const c = decide(scenarioOf(recased), request);
          expect(b.decision).toBe(a.decision);
          expect(c.decision).toBe(a.decision);
        },
      ),
      RUNS,
    );
  });

  it('the access matrix (no trace) decides like a full evaluation', () => {
    fc.assert(
      fc.property(worldArb, (shape) => {
        const scenario = scenarioOf(shape);
        const prepared = prepareScenario(scenario, { now: NOW });
        const principals = [session('App'), session('Ext', B), root(A)];
        const actions = [
          'kms:Decrypt',
          'kms:Encrypt',
          'kms:DescribeKey',
          'kms:CreateGrant',
          'kms:PutKeyPolicy',
          'kms:ScheduleKeyDeletion',
        ];
        const matrix = accessMatrix(prepared, KEY, { principals, actions });
        principals.forEach((principal, row) =>
          actions.forEach((action, column) => {
            const full = prepared.evaluate({ id: 'x', principal, action, keyId: KEY });
            const cell = matrix.cells[row][column];
            expect([cell.decision, cell.outcome, cell.allowedBy]).toEqual([
              full.decision,
              full.outcome,
              full.allowedBy,
            ]);
          }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('every result has exactly one decisive step and ends with a terminal step', () => {
    fc.assert(
      fc.property(worldArb, requestArb, (shape, request) => {
        const result = decide(scenarioOf(shape), request);
        expect(result.steps.filter((s) => s.decisive)).toHaveLength(1);
        expect(['allow', 'implicit-deny', 'explicit-deny-result', 'error']).toContain(
          result.steps[result.steps.length - 1].id,
        );
      }),
      RUNS,
    );
  });
});
