/**
 * The decision headline of a request the policies did not decide (issue 8, wording): one that met a policy AWS
 * would refuse (PutKeyPolicy API, MalformedPolicyDocumentException) names the policy and the exception, not
 * "nothing allowed it".
 */
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { evaluateScenario } from '../../engine';
import { allow, identity, KEY, policy, request, role, world } from '../../engine/fixtures/world';
import DecisionPanel from './DecisionPanel';
import { decisionGloss, verdictAnnouncement } from './decision-model';

const APP = role('App');

function resultFor(keyPolicy: ReturnType<typeof policy>, extra: Parameters<typeof request>[2] = {}) {
  const scenario = { ...world({ keyPolicy, principals: { [APP]: identity() } }) };
  return evaluateScenario({ ...scenario, requests: [{ id: 'r', ...request(APP, 'kms:Decrypt', extra) }] })[0];
}

describe('decisionGloss', () => {
  it('names the refused policy and the exception', () => {
    const result = resultFor(policy(allow({ AWS: APP }, 'kms:*', { Condtion: {} })));
    expect(result.outcome).toBe('MalformedPolicyDocumentException');
    expect(decisionGloss(result)).toBe(
      `not evaluated: AWS refuses the key policy of ${KEY} (MalformedPolicyDocumentException)`,
    );
    expect(verdictAnnouncement(result)).not.toContain('nothing allowed it');
    const html = renderToStaticMarkup(<DecisionPanel result={result} />);
    expect(html).toContain(
      `not evaluated: AWS refuses the key policy of ${KEY} (MalformedPolicyDocumentException)`,
    );
    expect(html).not.toContain('nothing allowed it');
  });

  it('says the call fails for a key the caller cannot see, and keeps the gloss of a policy decision', () => {
    const missing = resultFor(policy(allow({ AWS: APP }, 'kms:*')), {
      keyId: KEY.replace('1234abcd', '9999abcd'),
    });
    expect(missing.outcome).toBe('NotFoundException');
    expect(decisionGloss(missing)).toBe('the call fails with NotFoundException');
    const denied = resultFor(policy(allow({ AWS: role('Other') }, 'kms:*')));
    expect(denied.outcome).toBe('AccessDeniedException');
    expect(decisionGloss(denied)).toBe('nothing allowed it');
    expect(decisionGloss(resultFor(policy(allow({ AWS: APP }, 'kms:*'))))).toBe('the request is authorized');
  });
});
