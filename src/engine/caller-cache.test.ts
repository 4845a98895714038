import { describe, expect, it } from 'vitest';
import type { RequestSpec, Scenario } from '../scenario/types';
import { BoundedCache } from './bounded-cache';
import { evaluateRequest } from './evaluate';
import { buildWorld, MAX_CALLER_CLASSES, MAX_CALLERS } from './world';
import { A, B, KEY, role } from './fixtures/world';

/**
 * The prepared scenario's caches are bounded whatever the number of callers, and a cached evaluation answers exactly
 * as a fresh one (every field of the traced result, including the words that name the session).
 */
const session = (name: string, id: string | number, account = A) =>
  `arn:aws:sts::${account}:assumed-role/${name}/s-${id}`;
const LISTED_SESSION = session('App', 'listed');

const scenario: Scenario = {
  version: 2,
  principals: {
    [role('App')]: {
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
      tags: { team: 'payments' },
    },
    [role('Ops')]: { policies: [] },
    [role('Partner', B)]: {
      policies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] },
      ],
    },
  },
  keys: {
    [KEY]: {
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'IAM',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${A}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'Team',
            Effect: 'Allow',
            Principal: { AWS: role('Ops') },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:EncryptionContext:team': '${aws:PrincipalTag/team}' } },
          },
          { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: B }, Action: 'kms:Decrypt', Resource: '*' },
          // A session named exactly (IAM-PR: a session ARN names that session only).
          {
            Sid: 'OneSession',
            Effect: 'Deny',
            Principal: { AWS: LISTED_SESSION },
            Action: 'kms:Encrypt',
            Resource: '*',
          },
          // NotPrincipal with Deny (IAM-NP): every identity of the caller must be listed to escape it.
          {
            Sid: 'OnlyApp',
            Effect: 'Deny',
            NotPrincipal: { AWS: [role('App'), `arn:aws:iam::${A}:root`] },
            Action: 'kms:ScheduleKeyDeletion',
            Resource: '*',
          },
        ],
      },
    },
  },
};

function requestsOf(index: number): RequestSpec[] {
  const principals = [
    session('App', index),
    session('Ops', index),
    session('Partner', index, B),
    `arn:aws:iam::${A}:user/user-${index}`,
  ];
  return principals.flatMap((principal, p) =>
    ['kms:Decrypt', 'kms:Encrypt', 'kms:ScheduleKeyDeletion'].map((action) => ({
      id: `r-${index}-${p}-${action}`,
      principal,
      action,
      keyId: KEY,
      encryptionContext: { team: index % 2 ? 'payments' : 'ops' },
    })),
  );
}

describe('caller caches', () => {
  it('stay within their caps however many callers come, sharing one class per role', () => {
    const world = buildWorld(scenario, {}, new Date('2026-01-01T00:00:00Z'));
    const callers = Math.ceil((MAX_CALLERS * 1.5) / 4);
    for (let i = 0; i < callers; i++)
      for (const request of requestsOf(i)) evaluateRequest(world, request, { trace: i % 2 === 0 });
    expect(world.callers.size).toBeLessThanOrEqual(MAX_CALLERS);
    expect(world.callers.size).toBeGreaterThan(MAX_CALLERS / 4);
    expect(world.callerClasses.size).toBeLessThanOrEqual(MAX_CALLER_CLASSES);
    // Thousands of sessions of three roles share three classes; each IAM user is its own (the newest are kept).
    const sessionsOnly = buildWorld(scenario);
    for (let i = 0; i < 3000; i++)
      for (const request of requestsOf(i).slice(0, 9)) evaluateRequest(sessionsOnly, request);
    expect(sessionsOnly.callerClasses.size).toBe(3);
  });

  it('answer exactly as an uncached evaluation, for new, repeated and forgotten callers', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const busy = buildWorld(scenario, {}, now);
    const samples: RequestSpec[] = [
      ...requestsOf(0),
      ...requestsOf(7),
      { id: 'listed', principal: LISTED_SESSION, action: 'kms:Encrypt', keyId: KEY },
      { id: 'listed-decrypt', principal: LISTED_SESSION, action: 'kms:Decrypt', keyId: KEY },
    ];
    const fresh = (request: RequestSpec) =>
      JSON.stringify(evaluateRequest(buildWorld(scenario, {}, now), request));
    // First use, then a repeat, then after enough other callers that the first ones were forgotten.
    for (const request of samples)
      expect(JSON.stringify(evaluateRequest(busy, request))).toBe(fresh(request));
    for (const request of samples)
      expect(JSON.stringify(evaluateRequest(busy, request))).toBe(fresh(request));
    for (let i = 100; i < 100 + MAX_CALLERS; i++)
      for (const request of requestsOf(i).slice(0, 3)) evaluateRequest(busy, request);
    for (const request of samples)
      expect(JSON.stringify(evaluateRequest(busy, request))).toBe(fresh(request));
    // Two sessions of one role share their class but not the words that name them.
    const [a, b] = [session('App', 'a'), session('App', 'b')].map((principal) =>
      evaluateRequest(busy, { id: 'x', principal, action: 'kms:ScheduleKeyDeletion', keyId: KEY }),
    );
    expect(a.decision).toBe('ExplicitDeny');
    expect(JSON.stringify(a)).toContain('s-a');
    expect(JSON.stringify(a)).not.toContain('s-b');
    expect(JSON.stringify(b)).toContain('s-b');
    // The exactly named session is denied Encrypt; its sibling is not.
    expect(evaluateRequest(busy, samples[samples.length - 2]).decision).toBe('ExplicitDeny');
    expect(
      evaluateRequest(busy, {
        id: 'y',
        principal: session('App', 'other'),
        action: 'kms:Encrypt',
        keyId: KEY,
      }).decision,
    ).toBe('Allow');
  });
});

describe('BoundedCache', () => {
  it('never holds more than its capacity and keeps what is in use', () => {
    const cache = new BoundedCache<number, string>(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(i, String(i));
      // Entry 0 is used all along, so it is never forgotten.
      expect(cache.get(0)).toBe('0');
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.get(9_999)).toBe('9999');
    expect(cache.get(5)).toBeUndefined();
  });
});
