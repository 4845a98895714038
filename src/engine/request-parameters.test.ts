/**
 * The table of read parameters (request-parameters.ts) is the truth about what the evaluator reads: every
 * name the evaluator asks `parameters` for is in the table for that operation (checked by watching the
 * evaluator read a Proxy), and the warnings name what is not read, with the nearest name.
 */
import { describe, expect, it } from 'vitest';
import { decideRequest } from './evaluate/index';
import { buildWorld } from './world';
import { KMS_OPERATIONS } from './kms-actions';
import { REQUEST_PARAMETERS, parametersReadFor, unreadParameters } from './request-parameters';
import type { RequestSpec, Scenario } from '../scenario/types';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const allowAll = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};

function scenarioWith(request: RequestSpec): Scenario {
  return {
    version: 2,
    principals: {
      [ROLE]: {
        policies: [
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
        ],
      },
    },
    keys: {
      [KEY]: { policy: allowAll, aliases: ['alias/app'] },
      [OTHER_KEY]: { policy: allowAll },
    },
    grants: [
      {
        grantId: 'g-1',
        keyArn: KEY,
        granteePrincipal: ROLE,
        retiringPrincipal: ROLE,
        operations: ['Decrypt'],
      },
    ],
    requests: [request],
  };
}

/** A plausible value for each parameter, so the evaluator goes down the paths that read the others. */
const SAMPLE: Record<string, unknown> = {
  operations: ['Decrypt'],
  constraints: { encryptionContextSubset: { dept: 'a' } },
  tags: { team: 'a' },
  tagKeys: ['team'],
  grantId: 'g-1',
  destinationKeyId: OTHER_KEY,
  targetKeyId: OTHER_KEY,
  aliasName: 'alias/app',
  destinationEncryptionContext: { dept: 'a' },
  granteePrincipal: ROLE,
  retiringPrincipal: ROLE,
  multiRegion: false,
  bypassPolicyLockoutSafetyCheck: false,
  policy: allowAll,
};

/** The names the evaluator looks up (has or get), as camelCase. */
function namesRead(action: string, parameters: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const note = (key: string | symbol) => {
    if (typeof key === 'string') seen.add(key[0].toLowerCase() + key.slice(1));
  };
  const watched = new Proxy(parameters, {
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    get(target, key, receiver) {
      note(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const keyId = /Alias$/.test(action) ? 'alias/app' : KEY;
  // The evaluator itself: the decision cache in front of it writes every parameter into the request's shape.
  const request: RequestSpec = { id: 'r', principal: ROLE, action, keyId, parameters: watched };
  decideRequest(buildWorld(scenarioWith(request)), request, true);
  return seen;
}

const ACTIONS = [...KMS_OPERATIONS.map((o) => o.action), 'kms:ReEncrypt'];

describe('the table of request parameters', () => {
  it.each(ACTIONS)('lists every parameter the evaluator reads for %s', (action) => {
    const listed = parametersReadFor(action).map((p) => p.name);
    const empty = namesRead(action, {});
    const full = namesRead(action, Object.fromEntries(listed.map((n) => [n, SAMPLE[n] ?? 'x'])));
    for (const name of [...empty, ...full]) expect(listed, `${action} reads ${name}`).toContain(name);
  });

  it('holds no operation the lab does not know', () => {
    const known = new Set([...KMS_OPERATIONS.map((o) => o.name), 'ReEncrypt']);
    for (const operation of Object.keys(REQUEST_PARAMETERS)) expect(known).toContain(operation);
  });

  it('is read as the evaluator reads it: every listed parameter of CreateGrant changes the context', () => {
    const read = namesRead('kms:CreateGrant', { ...SAMPLE });
    for (const { name } of REQUEST_PARAMETERS.CreateGrant) expect(read).toContain(name);
  });
});

describe('unread parameters', () => {
  it('names a CreateGrant whose fields were nested under parameters.grant (the issue 8 case)', () => {
    const [warning, ...rest] = unreadParameters('kms:CreateGrant', {
      grant: { granteePrincipal: ROLE, operations: ['Decrypt'] },
    });
    expect(rest).toEqual([]);
    expect(warning.path).toEqual(['parameters', 'grant']);
    expect(warning.message).toContain('parameters.grant is ignored');
    expect(warning.message).toContain('granteePrincipal, operations belong directly under parameters');
  });

  it('suggests the nearest parameter of the operation', () => {
    const [warning] = unreadParameters('kms:CreateGrant', { granteePrincipa: ROLE });
    expect(warning.message).toContain('Did you mean "granteePrincipal"?');
  });

  it('accepts camelCase and PascalCase, and no other case', () => {
    expect(unreadParameters('kms:RetireGrant', { grantId: 'a', GrantToken: 'b' })).toEqual([]);
    const [warning] = unreadParameters('kms:RetireGrant', { GRANTID: 'a' });
    expect(warning.message).toContain('Did you mean "grantId"?');
  });

  it('looks inside constraints', () => {
    const [warning] = unreadParameters('kms:CreateGrant', {
      operations: ['Decrypt'],
      constraints: { encryptionContextSubst: { dept: 'a' } },
    });
    expect(warning.path).toEqual(['parameters', 'constraints', 'encryptionContextSubst']);
    expect(warning.message).toContain('Did you mean "encryptionContextSubset"?');
  });

  it('points a request field written under parameters back to the request', () => {
    const [warning] = unreadParameters('kms:Decrypt', { encryptionContext: { dept: 'a' } });
    expect(warning.message).toContain('encryptionContext is a field of the request itself');
  });

  it('says when an operation reads no parameters, or the action is unknown', () => {
    expect(unreadParameters('kms:DescribeKey', { x: 1 })[0].message).toContain(
      'DescribeKey reads no parameters',
    );
    expect(unreadParameters('kms:Frobnicate', { x: 1 })[0].message).toContain(
      'not an operation the lab knows',
    );
  });
});
