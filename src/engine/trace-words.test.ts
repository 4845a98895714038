/**
 * The words of the flowchart nodes a request did not visit (issue 8, wording). After an early decision (an
 * explicit Deny, a guardrail without an Allow, the cross-account check, a key the caller cannot see) the nodes
 * after it were never evaluated (IAM-EVAL reference_policies_evaluation-logic.html: an explicit Deny decides at
 * once), so they say "Not reached", as the explicit-deny and key-state nodes already did; they must not claim a
 * fact about the request ("No SCP applies to the caller") that was never checked. A request that meets a policy
 * AWS would refuse was not evaluated at all (PutKeyPolicy API, MalformedPolicyDocumentException).
 */
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from './types';
import type { Scenario } from './index';
import { prepareScenario } from './index';
import {
  A,
  B,
  ENABLE_IAM,
  KEY,
  allow,
  deny,
  iamAllow,
  iamDeny,
  identity,
  policy,
  request,
  role,
  world,
} from './fixtures/world';

const APP = role('App');
const EXT = role('Ext', B);
const WORKLOADS = 'ou-a1b2-11111111';
const SANDBOX = 'ou-a1b2-22222222';

/** A in Workloads (an OU SCP denies Decrypt), B in Sandbox (an OU SCP allows only S3). */
const orgWorld = (keyPolicy = policy(allow({ AWS: APP }, 'kms:*'), allow({ AWS: EXT }, 'kms:*'))): Scenario =>
  world({
    keyPolicy,
    principals: { [APP]: identity(), [EXT]: identity(iamAllow('kms:*')) },
    organization: {
      id: 'o-a1b2c3d4e5',
      managementAccount: '999988887777',
      units: {
        [WORKLOADS]: {
          name: 'Workloads',
          scps: ['FullAWSAccess', { name: 'NoDecrypt', document: policy(iamDeny('kms:Decrypt')) }],
        },
        [SANDBOX]: { name: 'Sandbox', scps: [{ name: 'OnlyS3', document: policy(iamAllow('s3:*')) }] },
      },
      accounts: { [A]: { unit: WORKLOADS }, [B]: { unit: SANDBOX } },
    },
  });

const evaluate = (scenario: Scenario, spec: ReturnType<typeof request>): EvaluationResult =>
  prepareScenario(scenario).evaluate({ id: 'r', ...spec });

/** The summary of every node, by id. */
const summaries = (result: EvaluationResult): Record<string, string> =>
  Object.fromEntries(result.steps.map((s) => [s.id, s.summary]));

const AFTER_EXPLICIT_DENY = [
  'scp',
  'rcp',
  'vpc-endpoint',
  'key-policy',
  'identity-policy',
  'boundary',
  'session-policy',
  'grant',
  'retire-grant',
] as const;

describe('the nodes after an early decision say "Not reached"', () => {
  it('after an OU SCP Deny', () => {
    const result = evaluate(orgWorld(), request(APP));
    expect(result.decision).toBe('ExplicitDeny');
    const words = summaries(result);
    for (const id of AFTER_EXPLICIT_DENY) expect([id, words[id]]).toEqual([id, 'Not reached']);
  });

  it('after a key-policy Deny', () => {
    const result = evaluate(
      orgWorld(policy(allow({ AWS: APP }, 'kms:*'), deny('*', 'kms:Encrypt'))),
      request(APP, 'kms:Encrypt'),
    );
    expect(result.decision).toBe('ExplicitDeny');
    expect(result.deniedBy?.layer).toBe('key');
    const words = summaries(result);
    for (const id of AFTER_EXPLICIT_DENY) expect([id, words[id]]).toEqual([id, 'Not reached']);
  });

  it('after an SCP level without an Allow, even for nodes that would not have applied', () => {
    const result = evaluate(orgWorld(), request(EXT, 'kms:DescribeKey'));
    expect(result.steps.find((s) => s.decisive)?.id).toBe('scp');
    const words = summaries(result);
    expect(words.scp).toBe(
      `SCP "OnlyS3" on OU Sandbox (${SANDBOX}) does not allow this request, so the SCPs deny it`,
    );
    for (const id of AFTER_EXPLICIT_DENY.slice(1)) expect([id, words[id]]).toEqual([id, 'Not reached']);
  });

  it('after the cross-account check and after a key the caller cannot see', () => {
    const refused = evaluate(orgWorld(), request(EXT, 'kms:ScheduleKeyDeletion'));
    expect(refused.steps.find((s) => s.decisive)?.id).toBe('cross-account');
    expect(summaries(refused).scp).toBe('Not reached');
    expect(summaries(refused).rcp).toBe('Not reached');
    const missing = evaluate(
      orgWorld(),
      request(APP, 'kms:DescribeKey', { keyId: KEY.replace('1234abcd', '9999abcd') }),
    );
    expect(missing.outcome).toBe('NotFoundException');
    for (const id of ['explicit-deny', 'scp', 'rcp', 'key-policy', 'grant'])
      expect([id, summaries(missing)[id]]).toEqual([id, 'Not reached']);
  });

  it('but a denial within the key phase keeps the words of the nodes that did not apply', () => {
    const result = evaluate(
      world({ keyPolicy: policy(ENABLE_IAM), principals: { [APP]: identity() } }),
      request(APP),
    );
    expect(result.decision).toBe('ImplicitDeny');
    expect(summaries(result).boundary).toBe('The caller has no permissions boundary');
    expect(summaries(result)['vpc-endpoint']).toBe('The call did not come through a VPC endpoint');
  });
});

describe('a request that meets a policy AWS would refuse', () => {
  it('says every other node was not evaluated', () => {
    const scenario = world({
      keyPolicy: policy(allow({ AWS: APP }, 'kms:*', { Condtion: {} })),
      principals: { [APP]: identity() },
    });
    const result = evaluate(scenario, request(APP));
    expect(result.outcome).toBe('MalformedPolicyDocumentException');
    for (const s of result.steps) {
      if (['request', 'resolve-key', 'key-policy', 'error'].includes(s.id)) continue;
      expect([s.id, s.summary]).toEqual([s.id, 'Not evaluated: the request meets a policy AWS would refuse']);
    }
  });
});
