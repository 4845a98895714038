/**
 * What a request that meets a policy AWS would refuse gets back (issue 8): an error naming the policy, where
 * in its text and the problem; the expectation fails unless it names the outcome; the access matrix says the
 * same. Sources: IAM grammar (reference_policies_grammar.html), PutKeyPolicy API (MalformedPolicyDocumentException).
 */
import { describe, expect, it } from 'vitest';
import { accessMatrix, evaluateScenario, prepareScenario } from './index';
import { REJECTED_BY_AWS, isRejectedByAws } from './lint/rejected';
import { FINDING_CODES } from './lint/codes';
import type { Scenario } from '../scenario/types';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/App/s1`;
const keyPolicyText = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "${ROLE}" },
      "Action": "kms:Decrypt",
      "Resource": "*",
      "Condtion": { "StringEquals": { "kms:EncryptionContext:dept": "finance" } }
    }
  ]
}`;

function scenario(extra: Partial<Scenario> = {}): Scenario {
  return {
    version: 2,
    keys: { [KEY]: { policy: JSON.parse(keyPolicyText) as Record<string, unknown> } },
    requests: [{ id: 'decrypt', principal: ROLE, action: 'kms:Decrypt', keyId: KEY, expect: 'Allow' }],
    ...extra,
  };
}

describe('a request that meets a rejected policy', () => {
  it('is answered with MalformedPolicyDocumentException, not Allow, and its Allow expectation fails', () => {
    const [result] = evaluateScenario(scenario(), { sources: { [`key:${KEY}`]: keyPolicyText } });
    expect(result.decision).toBe('ImplicitDeny');
    expect(result.outcome).toBe('MalformedPolicyDocumentException');
    expect(result.pass).toBe(false);
    expect(result.allowedBy).toBeNull();
    expect(result.statements).toEqual([]);
  });

  it('names the policy, the place in the editor text and the problem with its suggestion', () => {
    const [result] = evaluateScenario(scenario(), { sources: { [`key:${KEY}`]: keyPolicyText } });
    const [rejected] = result.rejectedPolicies ?? [];
    expect(rejected).toMatchObject({
      policyId: `key:${KEY}`,
      layer: 'key',
      label: `the key policy of ${KEY}`,
    });
    const codes = rejected.problems.map((p) => p.code);
    expect(codes).toContain('INVALID_POLICY_ELEMENT');
    const element = rejected.problems.find((p) => p.code === 'INVALID_POLICY_ELEMENT')!;
    expect(element.range.start).toMatchObject({ line: 9, column: 7 });
    expect(element.path).toEqual(['Statement', 0, 'Condtion']);
    expect(result.explanation).toContain(
      'At line 9, column 7 of the policy: "Condtion" is not a statement element',
    );
    expect(result.explanation).toContain('Did you mean "Condition"?');
  });

  it('shows the error at the key-policy node and the terminal error node only, pointing at the statement', () => {
    const [result] = evaluateScenario(scenario(), { sources: { [`key:${KEY}`]: keyPolicyText } });
    const visited = result.steps.filter((s) => s.result !== 'skip').map((s) => [s.id, s.result]);
    expect(visited).toEqual([
      ['request', 'pass'],
      ['resolve-key', 'pass'],
      ['key-policy', 'error'],
      ['error', 'error'],
    ]);
    const node = result.steps.find((s) => s.id === 'key-policy')!;
    expect(node.decisive).toBe(true);
    expect(node.statements.map((s) => [s.policyId, s.index])).toEqual([[`key:${KEY}`, 0]]);
  });

  it('fails the same way without a trace (the access matrix)', () => {
    const prepared = prepareScenario(scenario());
    const matrix = accessMatrix(prepared, KEY, { principals: [ROLE], actions: ['kms:Decrypt'] });
    expect(matrix.cells[0][0]).toMatchObject({
      decision: 'ImplicitDeny',
      outcome: 'MalformedPolicyDocumentException',
    });
  });

  it.each([
    [
      'a session policy',
      {
        requests: [
          {
            id: 'r',
            principal: SESSION,
            action: 'kms:Decrypt',
            keyId: KEY,
            sessionPolicy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: 'x' }],
            },
          },
        ],
      },
      'session-policy',
    ],
    [
      'an SCP',
      {
        organization: {
          accounts: {
            [ACCOUNT]: {
              scps: [
                {
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: [] }],
                },
              ],
            },
          },
        },
      },
      'scp',
    ],
    [
      'a permissions boundary',
      {
        principals: {
          [ROLE]: {
            permissionsBoundary: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: null }],
            },
          },
        },
      },
      'boundary',
    ],
  ] as const)('names %s at its own node', (_what, extra, node) => {
    const good = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' }],
    };
    const [result] = evaluateScenario({
      ...scenario(),
      keys: { [KEY]: { policy: good } },
      ...(extra as Partial<Scenario>),
    });
    expect(result.outcome).toBe('MalformedPolicyDocumentException');
    expect(result.steps.find((s) => s.decisive)?.id).toBe(node);
  });
});

describe('the findings of the "AWS rejects this" kind', () => {
  it('are real finding codes, each with its AWS source', () => {
    for (const [code, rejection] of Object.entries(REJECTED_BY_AWS)) {
      expect(FINDING_CODES).toHaveProperty(code);
      expect(rejection.source.length).toBeGreaterThan(10);
    }
  });

  it('count only errors, and only in the policy types AWS refuses them in', () => {
    expect(isRejectedByAws({ code: 'DUPLICATE_SID', type: 'ERROR' }, 'identity')).toBe(true);
    expect(isRejectedByAws({ code: 'DUPLICATE_SID', type: 'WARNING' }, 'key')).toBe(false);
    expect(isRejectedByAws({ code: 'MISSING_RESOURCE', type: 'ERROR' }, 'key')).toBe(false);
    expect(isRejectedByAws({ code: 'MISSING_RESOURCE', type: 'ERROR' }, 'identity')).toBe(true);
    expect(isRejectedByAws({ code: 'INVALID_GLOBAL_CONDITION_KEY', type: 'ERROR' }, 'key')).toBe(false);
  });
});
