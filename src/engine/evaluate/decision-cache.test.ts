/**
 * The decision cache must never change an answer: a result from it deep-equals a fresh decision of the same request
 * (words, context and trace included). A property test over random scenarios and request sequences, then one case per
 * hazard: values a policy reads, the set of context keys, time, IfExists/Null, policy variables, NotPrincipal, grants,
 * other services' resources, sessions told apart, and the bounds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prepareScenario } from '../index';
import type { PolicyDocument, RequestSpec, Scenario } from '../../scenario/types';
import { A, B, KEY, role, root, session } from '../fixtures/world';
import { buildWorld } from '../world';
import { MAX_DECISIONS, MAX_DECISION_SHAPES } from './decision-cache';
import { evaluateRequest } from './index';

const NOW = new Date('2025-01-01T00:00:00Z');
const SECRET = `arn:aws:secretsmanager:us-east-1:${A}:secret:db-1a2b3c`;

const CONDITIONS: (Record<string, unknown> | undefined)[] = [
  undefined,
  { StringEquals: { 'kms:EncryptionContext:dept': 'finance' } },
  { StringEquals: { 'kms:EncryptionContext:dept': '${aws:PrincipalTag/team}' } },
  { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['dept', 'team'] } },
  { 'ForAnyValue:StringLike': { 'kms:EncryptionContextKeys': ['te*'] } },
  { StringEqualsIfExists: { 'kms:EncryptionContext:team': 'blue' } },
  { Null: { 'kms:EncryptionContext:team': 'true' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { DateLessThan: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' } },
  { StringLike: { 'aws:userid': '*:work' } },
  { Bool: { 'aws:ViaAWSService': 'true' } },
];
const PRINCIPALS = ['*', A, root(A), role('App'), role('Ext', B), session('App', A, 'work')];
const KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:*'];

/** Ranges for address conditions: IPv4 and IPv6, nested, everything, and a malformed one (never matches). */
const RANGES = [
  '10.0.0.0/8',
  '10.1.2.0/24',
  '10.1.2.3/32',
  '192.0.2.0/24',
  '0.0.0.0/0',
  '2001:db8::/32',
  '2001:db8:1::/48',
  '::/0',
  '10.0.0.0/33',
];
/** Addresses inside and outside those ranges, IPv4-mapped, and malformed or padded ones (kept exact). */
const ADDRESSES = [
  '10.1.2.3',
  '10.1.2.34',
  '10.200.0.1',
  '192.0.2.9',
  '203.0.113.9',
  '2001:db8::1',
  '2001:db8:1::5',
  '2001:DB8:1::6',
  '2001:db9::1',
  '::ffff:10.1.2.3',
  '10.1.2',
  'not-an-ip',
  ' 10.1.2.3',
];
const addressCondition = fc.oneof(
  fc
    .record({
      operator: fc.constantFrom(
        'IpAddress',
        'NotIpAddress',
        'IpAddressIfExists',
        'NotIpAddressIfExists',
        'ForAnyValue:IpAddress',
      ),
      key: fc.constantFrom('aws:SourceIp', 'aws:VpcSourceIp', 'AWS:SourceIP'),
      ranges: fc.subarray(RANGES, { minLength: 1, maxLength: 3 }),
    })
    .map(({ operator, key, ranges }) => ({ [operator]: { [key]: ranges } })),
  // The address read some other way: then its exact value must count.
  fc.constantFrom(
    { StringEquals: { 'aws:SourceIp': '10.1.2.3' } },
    { StringLike: { 'kms:EncryptionContext:dept': '${aws:SourceIp}' } },
    { Null: { 'aws:VpcSourceIp': 'true' } },
  ),
);
const condition = fc.oneof(fc.constantFrom(...CONDITIONS), addressCondition);
const keyStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  who: fc.oneof(
    fc.constant({ Principal: '*' }),
    fc
      .subarray(PRINCIPALS.slice(1), { minLength: 1, maxLength: 2 })
      .map((aws) => ({ Principal: { AWS: aws } })),
    fc.constant({ NotPrincipal: { AWS: role('App') } }),
  ),
  Action: fc.subarray(KEY_ACTIONS, { minLength: 1, maxLength: 3 }),
  Condition: condition,
});
const identityStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Action: fc.subarray([...KEY_ACTIONS, 'secretsmanager:GetSecretValue', 's3:*'], {
    minLength: 1,
    maxLength: 3,
  }),
  Resource: fc.constantFrom('*', KEY, `arn:aws:secretsmanager:*:${A}:secret:db-*`, 'arn:aws:s3:::logs/*'),
  Condition: condition,
});

type Raw = Record<string, unknown>;

function statementOf(raw: Raw): Raw {
  const { who, Condition, ...rest } = raw;
  return { ...rest, ...(who as Raw), Resource: rest.Resource ?? '*', ...(Condition ? { Condition } : {}) };
}

const doc = (statements: Raw[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.map(statementOf),
});

const scenarioArb = fc
  .record({
    key: fc.array(keyStatement, { minLength: 1, maxLength: 4 }),
    app: fc.array(identityStatement, { minLength: 1, maxLength: 3 }),
    grant: fc.constantFrom(
      undefined,
      { encryptionContextSubset: { dept: 'finance' } },
      { encryptionContextEquals: { dept: 'finance' } },
      {},
    ),
    propagated: fc.boolean(),
  })
  .map(({ key, app, grant, propagated }): Scenario => ({
    version: 2,
    principals: {
      [role('App')]: { policies: [doc(app)], tags: { team: 'finance' } },
      [role('Ext', B)]: { policies: [doc(app)] },
    },
    keys: {
      [KEY]: {
        aliases: ['alias/payroll'],
        policy: doc([{ Effect: 'Allow', who: { Principal: { AWS: root(A) } }, Action: 'kms:*' }, ...key]),
      },
    },
    grants:
      grant === undefined
        ? []
        : [
            {
              grantId: 'g-1',
              keyArn: KEY,
              granteePrincipal: role('App'),
              operations: ['Decrypt', 'Encrypt'],
              ...(Object.keys(grant).length > 0 ? { constraints: grant } : {}),
              ...(propagated ? {} : { propagated: false, grantToken: 'token-1' }),
            },
          ],
  }));

const SESSION_NAMES = ['work', 'w', 'work2', 'App', 'a.b@c', '10.1.2.3'];
const requestArb: fc.Arbitrary<RequestSpec> = fc
  .record({
    principal: fc.oneof(
      fc.constantFrom(...SESSION_NAMES).map((name) => session('App', A, name)),
      fc.constantFrom(...SESSION_NAMES).map((name) => session('Ext', B, name)),
      fc.constantFrom(role('App'), root(A)),
    ),
    action: fc.constantFrom(
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:DescribeKey',
      'secretsmanager:GetSecretValue',
      's3:GetObject',
    ),
    encryptionContext: fc.option(
      fc.dictionary(
        fc.constantFrom('dept', 'team', 'Dept', 'x'),
        fc.constantFrom('finance', 'blue', 'o-1', 'o-2', '10.1.2.3'),
        {
          maxKeys: 3,
        },
      ),
      { nil: undefined },
    ),
    sourceIp: fc.option(fc.constantFrom(...ADDRESSES), { nil: undefined }),
    vpcEndpoint: fc.option(fc.constant('vpce-1'), { nil: undefined }),
    viaService: fc.option(fc.constant('s3.us-east-1.amazonaws.com'), { nil: undefined }),
    grantTokens: fc.option(
      fc.constant(['token-1']).map((t) => [...t]),
      { nil: undefined },
    ),
    time: fc.option(fc.constantFrom('2025-01-01T00:00:00Z', '2025-12-01T00:00:00Z'), { nil: undefined }),
    resource: fc.constantFrom(
      SECRET,
      `arn:aws:secretsmanager:us-east-1:${B}:secret:x`,
      'arn:aws:s3:::logs/a',
    ),
  })
  .map(({ time, resource, action, ...rest }): RequestSpec => ({
    id: `r-${rest.principal.length}`,
    action,
    ...(action.startsWith('kms:') ? { keyId: KEY } : { parameters: { resource } }),
    ...rest,
    ...(time ? { context: { 'aws:CurrentTime': time } } : {}),
  }));

/** One field of a request changed: most such neighbours share a shape with it, some must not. */
const tweakArb: fc.Arbitrary<(request: RequestSpec) => RequestSpec> = fc.oneof(
  fc.constantFrom(...SESSION_NAMES).map((name) => (r: RequestSpec) => ({
    ...r,
    principal: r.principal.replace(/[^/]+$/, name),
  })),
  fc
    .constantFrom(...ADDRESSES, '10.9.9.9', '192.0.2.1', '2001:db8::77', undefined)
    .map((ip) => (r: RequestSpec) => ({ ...r, sourceIp: ip })),
  fc
    .record({ key: fc.constantFrom('dept', 'team', 'x'), value: fc.constantFrom('finance', 'blue', 'o-9') })
    .map(({ key, value }) => (r: RequestSpec) => ({
      ...r,
      encryptionContext: { ...r.encryptionContext, [key]: value },
    })),
  fc.constant((r: RequestSpec) => ({ ...r, grantTokens: r.grantTokens ? undefined : ['token-1'] })),
  fc.constant((r: RequestSpec) => ({ ...r, id: `${r.id}-again` })),
);

/** A decision no cache took part in: a newly prepared scenario, deciding once. */
const fresh = (scenario: Scenario, request: RequestSpec) =>
  prepareScenario(scenario, { now: NOW }).evaluate(request);

describe('decision cache', () => {
  it('a cached result deep-equals a fresh decision (random scenarios and request sequences)', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        requestArb,
        fc.array(tweakArb, { minLength: 1, maxLength: 5 }),
        fc.subarray(ADDRESSES, { maxLength: 4 }),
        (scenario, first, tweaks, addresses) => {
          // Neighbours, and the first request from other addresses (inside and outside the scenario's ranges).
          const requests = [
            first,
            ...tweaks.map((tweak) => tweak(first)),
            ...addresses.map((sourceIp) => ({ ...first, sourceIp })),
          ];
          const prepared = prepareScenario(scenario, { now: NOW });
          // Twice through: a shape is kept from its second decision, so the second round answers from the cache.
          for (let round = 0; round < 3; round++)
            for (const request of requests)
              expect(prepared.evaluate(request)).toStrictEqual(fresh(scenario, request));
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  const base: Scenario = {
    version: 2,
    principals: { [role('App')]: { tags: { team: 'finance' } } },
    keys: {
      [KEY]: { policy: doc([{ Effect: 'Allow', who: { Principal: { AWS: root(A) } }, Action: 'kms:*' }]) },
    },
  };
  const withKeyStatement = (statement: Raw): Scenario => ({
    ...base,
    keys: {
      [KEY]: {
        policy: doc([
          { Effect: 'Allow', who: { Principal: { AWS: role('App') } }, Action: 'kms:*' },
          { Effect: 'Deny', who: { Principal: '*' }, Action: 'kms:Decrypt', ...statement },
        ]),
      },
    },
  });
  const request = (extra: Partial<RequestSpec> = {}): RequestSpec => ({
    id: 'r',
    principal: session('App'),
    action: 'kms:Decrypt',
    keyId: KEY,
    ...extra,
  });

  /** Decides each request three times on one prepared scenario; every answer must be the fresh one. */
  function expectSameAsFresh(scenario: Scenario, requests: RequestSpec[]): string[] {
    const prepared = prepareScenario(scenario, { now: NOW });
    const decisions: string[] = [];
    for (let round = 0; round < 3; round++)
      for (const r of requests) {
        const result = prepared.evaluate(r);
        expect(result).toStrictEqual(fresh(scenario, r));
        if (round === 2) decisions.push(result.decision);
      }
    return decisions;
  }

  it('keeps the values of encryption-context keys a condition reads apart', () => {
    const scenario = withKeyStatement({
      Condition: { StringEquals: { 'kms:EncryptionContext:dept': 'hr' } },
    });
    const decisions = expectSameAsFresh(scenario, [
      request({ encryptionContext: { dept: 'finance', order: 'o-1' } }),
      request({ encryptionContext: { dept: 'hr', order: 'o-2' } }),
      request({ encryptionContext: { dept: 'finance', order: 'o-3' } }),
    ]);
    expect(decisions).toEqual(['Allow', 'ExplicitDeny', 'Allow']);
  });

  it('re-stamps the values of keys no policy reads, in the context', () => {
    const prepared = prepareScenario(base, { now: NOW });
    const first = request({ encryptionContext: { order: 'o-1' }, sourceIp: '10.0.0.1' });
    prepared.evaluate(first);
    prepared.evaluate(first);
    const other = request({ id: 'other', encryptionContext: { order: 'o-2' }, sourceIp: '10.0.0.2' });
    const result = prepared.evaluate(other);
    expect(result.id).toBe('other');
    expect(result.context['kms:EncryptionContext:order']).toEqual(['o-2']);
    expect(result.context['aws:SourceIp']).toEqual(['10.0.0.2']);
    expect(result).toStrictEqual(fresh(base, other));
  });

  it('keeps the set of encryption-context keys apart (ForAllValues over kms:EncryptionContextKeys)', () => {
    const scenario = withKeyStatement({
      Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['secret'] } },
    });
    const decisions = expectSameAsFresh(scenario, [
      request({ encryptionContext: { order: 'o-1' } }),
      request({ encryptionContext: { secret: 'o-1' } }),
      request({ encryptionContext: { order: 'o-1', secret: 'x' } }),
    ]);
    expect(decisions).toEqual(['Allow', 'ExplicitDeny', 'ExplicitDeny']);
  });

  it('keeps source addresses apart when a policy reads aws:SourceIp', () => {
    const scenario = withKeyStatement({ Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    const decisions = expectSameAsFresh(scenario, [
      request({ sourceIp: '10.1.2.3' }),
      request({ sourceIp: '203.0.113.9' }),
    ]);
    expect(decisions).toEqual(['Allow', 'ExplicitDeny']);
  });

  /** Decides `first` twice (kept from its second decision), then `then`: whether `then` was a hit, and its result. */
  function after(scenario: Scenario, first: RequestSpec, then: RequestSpec) {
    const world = buildWorld(scenario, {}, NOW);
    evaluateRequest(world, first);
    evaluateRequest(world, first);
    expect(world.decisionMisses).toBeGreaterThan(0);
    const result = evaluateRequest(world, then);
    expect(result).toStrictEqual(fresh(scenario, then));
    // A hit starts the run of misses again.
    return { hit: world.decisionMisses === 0, result };
  }
  const ranges = (operator: string, key = 'aws:SourceIp') =>
    withKeyStatement({ Condition: { [operator]: { [key]: ['10.0.0.0/8', '2001:db8::/32'] } } });

  it('addresses in the same ranges share a decision, each shown with its own address', () => {
    for (const [one, other] of [
      ['10.1.2.3', '10.200.7.9'],
      ['203.0.113.9', '198.51.100.4'],
      ['2001:db8::1', '2001:db8:ffff::2'],
    ]) {
      const { hit, result } = after(
        ranges('NotIpAddress'),
        request({ sourceIp: one }),
        request({ id: 'b', sourceIp: other }),
      );
      expect(hit).toBe(true);
      const words = JSON.stringify({ ...result, context: undefined });
      expect(words).toContain(other);
      expect(words).not.toContain(one);
      expect(result.context['aws:SourceIp']).toEqual([other]);
    }
  });

  it('an address in other ranges, of the other version, or malformed does not share', () => {
    const scenario = ranges('NotIpAddress');
    for (const [one, other] of [
      ['10.1.2.3', '203.0.113.9'],
      ['10.1.2.3', '2001:db8::1'],
      ['10.1.2.3', '10.1.2'],
      ['10.1.2', '10.1.3'],
      ['not-an-ip', 'also-not'],
      ['10.1.2.3', ' 10.1.2.4'],
    ])
      expect(after(scenario, request({ sourceIp: one }), request({ sourceIp: other })).hit).toBe(false);
  });

  it('IfExists variants and aws:VpcSourceIp: an address present or absent is part of the shape', () => {
    for (const operator of ['IpAddressIfExists', 'NotIpAddressIfExists', 'ForAnyValue:IpAddress']) {
      const scenario = ranges(operator, 'aws:VpcSourceIp');
      const vpc = (ip?: string) => request({ sourceIp: ip, vpcEndpoint: 'vpce-1' });
      expect(after(scenario, vpc('10.1.2.3'), vpc('10.9.9.9')).hit).toBe(true);
      expect(after(scenario, vpc('10.1.2.3'), vpc()).hit).toBe(false);
      expect(after(scenario, vpc('10.1.2.3'), request({ sourceIp: '10.9.9.9' })).hit).toBe(false);
      expect(
        expectSameAsFresh(scenario, [vpc('10.1.2.3'), vpc(), vpc('203.0.113.9'), vpc('10.9.9.9')]),
      ).toHaveLength(4);
    }
  });

  it('the address read any other way keeps its exact value (StringEquals, a variable, Null, a name)', () => {
    for (const Condition of [
      { StringEquals: { 'aws:SourceIp': '10.1.2.3' } },
      { StringLike: { 'kms:EncryptionContext:dept': '${aws:SourceIp}' } },
      { Null: { 'aws:SourceIp': 'false' } },
      { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] }, StringEquals: { 'aws:SourceIp': '10.1.2.3' } },
    ]) {
      const scenario = withKeyStatement({ Condition });
      expect(after(scenario, request({ sourceIp: '10.1.2.4' }), request({ sourceIp: '10.1.2.3' })).hit).toBe(
        false,
      );
      expectSameAsFresh(scenario, [
        request({ sourceIp: '10.1.2.4', encryptionContext: { dept: '10.1.2.3' } }),
        request({ sourceIp: '10.1.2.3', encryptionContext: { dept: '10.1.2.3' } }),
      ]);
    }
  });

  it('an address that is also other words (a range, a tag, a session name, a context value) is not re-stamped', () => {
    // 10.1.2.3 is not in 10.1.2.30/32, like 10.1.2.4, but its text is part of that range's.
    const longer = withKeyStatement({
      Condition: { NotIpAddress: { 'aws:SourceIp': ['10.1.2.30/32', '10.0.0.0/8'] } },
    });
    expect(after(longer, request({ sourceIp: '10.1.2.3' }), request({ sourceIp: '10.1.2.4' })).hit).toBe(
      false,
    );
    const tagged: Scenario = {
      ...ranges('NotIpAddress'),
      principals: { [role('App')]: { tags: { team: '10.1.2.3' } } },
    };
    expect(after(tagged, request({ sourceIp: '10.1.2.3' }), request({ sourceIp: '10.1.2.4' })).hit).toBe(
      false,
    );
    const scenario = ranges('NotIpAddress');
    const named = request({ principal: session('App', A, '10.1.2.3'), sourceIp: '10.1.2.3' });
    expect(after(scenario, named, { ...named, sourceIp: '10.1.2.4' }).hit).toBe(false);
    expect(after(scenario, request({ sourceIp: '10.7.7.7' }), named).hit).toBe(false);
    const valued = withKeyStatement({
      Condition: {
        NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        StringEquals: { 'kms:EncryptionContext:dept': 'x' },
      },
    });
    const withValue = (ip: string) => request({ sourceIp: ip, encryptionContext: { dept: '10.1.2.3' } });
    expect(after(valued, withValue('10.1.2.3'), withValue('10.1.2.4')).hit).toBe(false);
  });

  it('takes a request context overriding aws:CurrentTime as part of the request', () => {
    const scenario = withKeyStatement({
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' } },
    });
    const decisions = expectSameAsFresh(scenario, [
      request({ context: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
      request({ context: { 'aws:CurrentTime': '2025-12-01T00:00:00Z' } }),
      request(),
    ]);
    expect(decisions).toEqual(['Allow', 'ExplicitDeny', 'Allow']);
  });

  it('IfExists and Null: a key present or absent is part of the shape', () => {
    const scenario = withKeyStatement({
      Condition: {
        StringNotEqualsIfExists: { 'kms:EncryptionContext:team': 'blue' },
        Null: { 'kms:EncryptionContext:dept': 'false' },
      },
    });
    const decisions = expectSameAsFresh(scenario, [
      request({ encryptionContext: { dept: 'a' } }),
      request({ encryptionContext: { dept: 'a', team: 'red' } }),
      request({ encryptionContext: { team: 'red' } }),
      request({ encryptionContext: { dept: 'b', team: 'blue' } }),
    ]);
    expect(decisions).toEqual(['ExplicitDeny', 'ExplicitDeny', 'Allow', 'Allow']);
  });

  it('policy variables: a value compared with the caller’s tag is read', () => {
    const scenario = withKeyStatement({
      Condition: { StringNotEquals: { 'kms:EncryptionContext:team': '${aws:PrincipalTag/team}' } },
    });
    const decisions = expectSameAsFresh(scenario, [
      request({ encryptionContext: { team: 'finance' } }),
      request({ encryptionContext: { team: 'hr' } }),
    ]);
    expect(decisions).toEqual(['Allow', 'ExplicitDeny']);
  });

  it('sessions of one role share decisions, each answered with its own name', () => {
    const prepared = prepareScenario(base, { now: NOW });
    prepared.evaluate(request());
    prepared.evaluate(request());
    for (const name of ['s-1', 'work2', 'w', 'App']) {
      const r = request({ principal: session('App', A, name) });
      const result = prepared.evaluate(r);
      expect(result.steps[0].summary).toContain(`App (session ${name})`);
      expect(result).toStrictEqual(fresh(base, r));
    }
  });

  it('sessions are told apart when a policy can (a session ARN, NotPrincipal naming one, aws:userid)', () => {
    const sessions = [
      request({ principal: session('App', A, 'work') }),
      request({ principal: session('App', A, 'intruder') }),
    ];
    const named = withKeyStatement({ who: { Principal: { AWS: session('App', A, 'intruder') } } });
    expect(expectSameAsFresh(named, sessions)).toEqual(['Allow', 'ExplicitDeny']);
    // NotPrincipal naming one session (IAM-PR: it must name the role too to exclude its sessions), and aws:userid
    // (which the lab does not derive): whatever they decide, each session gets its own answer.
    expectSameAsFresh(
      withKeyStatement({ who: { NotPrincipal: { AWS: [session('App', A, 'work'), root(A)] } } }),
      sessions,
    );
    expectSameAsFresh(
      withKeyStatement({ Condition: { StringLike: { 'aws:userid': '*:intruder' } } }),
      sessions,
    );
  });

  it('grants: constraints, grant tokens and propagation are part of the shape', () => {
    const scenario: Scenario = {
      ...base,
      grants: [
        {
          grantId: 'g-1',
          keyArn: KEY,
          granteePrincipal: role('Worker'),
          operations: ['Decrypt'],
          constraints: { encryptionContextSubset: { dept: 'finance' } },
          propagated: false,
          grantToken: 'token-1',
        },
      ],
    };
    const worker = (extra: Partial<RequestSpec>) => request({ principal: session('Worker'), ...extra });
    const decisions = expectSameAsFresh(scenario, [
      worker({ encryptionContext: { dept: 'finance' }, grantTokens: ['token-1'] }),
      worker({ encryptionContext: { dept: 'hr' }, grantTokens: ['token-1'] }),
      worker({ encryptionContext: { dept: 'finance' } }),
    ]);
    expect(decisions).toEqual(['Allow', 'ImplicitDeny', 'ImplicitDeny']);
  });

  it("other services' actions: the resource (parameters.resource) is part of the shape", () => {
    const scenario: Scenario = {
      ...base,
      principals: {
        [role('App')]: {
          policies: [
            {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }],
            },
          ],
        },
      },
    };
    const get = (resource: string) =>
      request({ action: 'secretsmanager:GetSecretValue', keyId: undefined, parameters: { resource } });
    const decisions = expectSameAsFresh(scenario, [get(SECRET), get(`${SECRET}-other`), get(SECRET)]);
    expect(decisions).toEqual(['Allow', 'ImplicitDeny', 'Allow']);
  });

  it('stays within its bounds however many shapes come', () => {
    const world = buildWorld(base, {}, NOW);
    for (let i = 0; i < 3 * MAX_DECISION_SHAPES; i++) {
      // A new encryption-context key name each time: a new shape.
      const r = request({ encryptionContext: { [`k-${i}`]: 'v' } });
      evaluateRequest(world, r);
      evaluateRequest(world, r);
    }
    expect(world.decisions.size).toBeLessThanOrEqual(MAX_DECISIONS);
    expect(world.decisionShapesSeen.size).toBeLessThanOrEqual(MAX_DECISION_SHAPES);
  });
  it('after a long run of distinct requests, it samples shapes and still finds repeats', () => {
    const world = buildWorld(base, {}, NOW);
    for (let i = 0; i < 2 * MAX_DECISION_SHAPES; i++)
      evaluateRequest(world, request({ encryptionContext: { [`k-${i}`]: 'v' } }));
    expect(world.decisionMisses).toBeGreaterThanOrEqual(2 * MAX_DECISION_SHAPES);
    const again = request({ encryptionContext: { order: 'o-1' } });
    for (let i = 0; i < 64; i++) expect(evaluateRequest(world, again)).toStrictEqual(fresh(base, again));
    expect(world.decisionMisses).toBeLessThan(64);
  });
});
