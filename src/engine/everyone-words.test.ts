/**
 * An Allow for every principal that a Condition narrows (issue 8, wording): the explanation names the
 * condition, because the statement allows only the principals that meet it (IAM-EVAL
 * reference_policies_evaluation-logic.html: every condition of a statement must hold; CA
 * reference_policies_condition-keys.html, aws:PrincipalOrgID).
 */
import { describe, expect, it } from 'vitest';
import { prepareScenario } from './index';
import { A, allow, identity, policy, request, role, world } from './fixtures/world';

const APP = role('App');
const ORG_ID = 'o-a1b2c3d4e5';
const UNIT = 'ou-a1b2-11111111';

const scenario = (statement: Record<string, unknown>) =>
  world({
    keyPolicy: policy(statement),
    principals: { [APP]: identity() },
    organization: {
      id: ORG_ID,
      managementAccount: '999988887777',
      units: { [UNIT]: { name: 'Workloads' } },
      accounts: { [A]: { unit: UNIT } },
    },
  });

describe('an Allow for every principal, narrowed by a condition', () => {
  it('names the condition that narrows Principal "*"', () => {
    const result = prepareScenario(
      scenario(
        allow('*', 'kms:Decrypt', {
          Sid: 'OrgOnly',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
        }),
      ),
    ).evaluate({ id: 'r', ...request(APP) });
    expect(result.decision).toBe('Allow');
    expect(result.explanation).toContain(
      `allows every principal ("*") that meets its condition StringEquals aws:PrincipalOrgID "${ORG_ID}"`,
    );
  });

  it('names every condition, as written', () => {
    const result = prepareScenario(
      scenario(
        allow('*', 'kms:Decrypt', {
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
            'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG_ID}/*`] },
          },
        }),
      ),
    ).evaluate({ id: 'r', ...request(APP) });
    expect(result.decision).toBe('Allow');
    expect(result.explanation).toContain(
      `that meets its conditions StringEquals aws:PrincipalOrgID "${ORG_ID}" and ForAnyValue:StringLike aws:PrincipalOrgPaths "${ORG_ID}/*"`,
    );
  });

  it('still says "every principal" when nothing narrows it', () => {
    const result = prepareScenario(scenario(allow('*', 'kms:Decrypt'))).evaluate({
      id: 'r',
      ...request(APP),
    });
    expect(result.explanation).toContain('allows every principal ("*"), and in the key');
  });
});
