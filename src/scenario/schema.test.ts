import { describe, expect, it } from 'vitest';
import {
  EXPECT_VALUES,
  GRANT_OPERATIONS,
  KEY_MANAGERS,
  KEY_ORIGINS,
  KEY_STATES,
  scenarioSchema,
  type JsonSchema,
} from './schema';
import type {
  GrantSpec,
  KeyManager,
  KeyOrigin,
  KeySpecEntry,
  PrincipalSpec,
  RequestSpec,
  Scenario,
} from './types';
import { validateAgainstSchema } from './validate';

/**
 * Keeps schema.ts and types.ts in step. Each object below sets every field its type declares (the `Required<…>`
 * annotations make tsc fail when a field is added to types.ts and not here); the tests then check that the
 * schema declares exactly those properties, and accepts the objects.
 */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statesAgree: Equal<KeySpecEntry['state'], (typeof KEY_STATES)[number] | undefined> = true;
const managersAgree: Equal<KeyManager, (typeof KEY_MANAGERS)[number]> = true;
const originsAgree: Equal<KeyOrigin, (typeof KEY_ORIGINS)[number]> = true;

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';
const POLICY = { Version: '2012-10-17', Statement: [] };

const principal: Required<PrincipalSpec> = {
  policies: [POLICY, { name: 'named', document: POLICY }],
  permissionsBoundary: POLICY,
  tags: { team: 'payroll' },
};
const key: Required<KeySpecEntry> = {
  description: 'd',
  manager: 'CUSTOMER',
  state: 'Enabled',
  origin: 'AWS_KMS',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  multiRegion: false,
  aliases: ['alias/app'],
  tags: { env: 'prod' },
  policy: POLICY,
};
const grant: Required<GrantSpec> = {
  grantId: 'g1',
  keyArn: KEY,
  granteePrincipal: ROLE,
  retiringPrincipal: 'arn:aws:iam::111122223333:root',
  operations: ['Decrypt'],
  constraints: { encryptionContextSubset: { a: 'b' }, encryptionContextEquals: { a: 'b' } },
  issuingAccount: '111122223333',
  name: 'n',
  propagated: false,
  grantToken: 'token',
};
const request: Required<RequestSpec> = {
  id: 'r1',
  principal: 'arn:aws:sts::111122223333:assumed-role/App/session',
  action: 'kms:Decrypt',
  keyId: 'alias/app',
  encryptionContext: { a: 'b' },
  grantTokens: ['token'],
  sourceIp: '10.0.0.1',
  vpcEndpoint: 'vpce-0abc',
  viaService: 's3.us-east-1.amazonaws.com',
  sessionPolicy: POLICY,
  parameters: { grantId: 'g1' },
  context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:TagKeys': ['a', 'b'] },
  expect: 'Allow',
  description: 'd',
};
const scenario: Required<Scenario> = {
  $schema: 'https://example.test/schema.json',
  version: 2,
  title: 't',
  description: 'd',
  accounts: { '111122223333': { name: 'n', organizationId: 'o-a1b2c3d4e5' } },
  organization: {
    id: 'o-a1b2c3d4e5',
    rootId: 'r-ab12',
    managementAccount: '999988887777',
    root: { scps: ['FullAWSAccess', { name: 'DenyList', document: POLICY }], rcps: [POLICY] },
    units: { 'ou-ab12-11111111': { name: 'Workloads', scps: [POLICY] } },
    accounts: { '111122223333': { unit: 'ou-ab12-11111111', rcps: ['RCPFullAWSAccess'] } },
  },
  principals: { [ROLE]: principal },
  keys: { [KEY]: key },
  grants: [grant],
  vpcEndpoints: { 'vpce-0abc': { vpcId: 'vpc-1', policy: POLICY } },
  requests: [request],
};

const child = (schema: JsonSchema, ...path: string[]): JsonSchema =>
  path.reduce<JsonSchema>((s, name) => {
    const next = name === '*' ? (s.items ?? (s.additionalProperties as JsonSchema)) : s.properties?.[name];
    if (!next) throw new Error(`schema has no ${name}`);
    return next;
  }, schema);

describe('the scenario schema and types.ts agree', () => {
  it('closed vocabularies match the TypeScript unions', () => {
    expect([statesAgree, managersAgree, originsAgree]).toEqual([true, true, true]);
    expect(child(scenarioSchema, 'keys', '*', 'state').enum).toEqual(KEY_STATES);
  });

  it.each([
    ['scenario', [], scenario],
    ['principal', ['principals', '*'], principal],
    ['key', ['keys', '*'], key],
    ['grant', ['grants', '*'], grant],
    ['request', ['requests', '*'], request],
  ] as const)('the %s schema declares exactly the typed fields', (_, path, typed) => {
    expect(Object.keys(child(scenarioSchema, ...path).properties ?? {}).sort()).toEqual(
      Object.keys(typed).sort(),
    );
  });

  it('accepts a scenario that sets every field', () => {
    expect(validateAgainstSchema(scenario, scenarioSchema)).toEqual([]);
  });

  it('gives every named property a description (Monaco shows them on hover)', () => {
    const missing: string[] = [];
    const visit = (schema: JsonSchema, path: string) => {
      for (const [name, s] of Object.entries(schema.properties ?? {})) {
        if (!s.description) missing.push(`${path}.${name}`);
        visit(s, `${path}.${name}`);
      }
      if (schema.items) visit(schema.items, `${path}[]`);
      if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${path}.*`);
    };
    visit(scenarioSchema, '$');
    expect(missing).toEqual([]);
  });

  it('offers the grant operations and expectations as completions', () => {
    expect(child(scenarioSchema, 'grants', '*', 'operations', '*').enum).toEqual(GRANT_OPERATIONS);
    expect(child(scenarioSchema, 'requests', '*', 'expect').enum).toEqual(EXPECT_VALUES);
  });

  it('is plain JSON (Monaco receives it as JSON)', () => {
    expect(JSON.parse(JSON.stringify(scenarioSchema))).toEqual(scenarioSchema);
  });
});
