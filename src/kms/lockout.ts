/**
 * The key policy lockout safety check of CreateKey and PutKeyPolicy (API PutKeyPolicy,
 * "BypassPolicyLockoutSafetyCheck"): unless bypassed, the new policy must let the caller call PutKeyPolicy on the
 * key afterwards. The engine decides it: the lead's `checkKeyPolicyLockout` (src/engine/lockout.ts) replaces the
 * body of this one function when it lands; until then the engine is asked directly whether the caller could put
 * the policy again under the new one.
 */
import type { Scenario } from '../scenario/types';
import type { Authorizer } from './authorize';
import { KmsError } from './errors';
import type { KmsCaller } from './api';

/** API PutKeyPolicy / CreateKey: MalformedPolicyDocumentException text when the new policy would lock the caller out. */
export const LOCKOUT_MESSAGE =
  'The new key policy will not allow you to update the key policy in the future.';

export function checkLockout(
  authorizer: Authorizer,
  keyArn: string,
  newPolicy: Record<string, unknown>,
  caller: KmsCaller,
  keyEntry: Record<string, unknown>,
): void {
  const prepared = authorizer.scenarioWith((scenario: Scenario): Scenario => ({
    ...scenario,
    keys: { ...scenario.keys, [keyArn]: { ...(scenario.keys?.[keyArn] ?? keyEntry), policy: newPolicy } },
  }));
  const result = prepared.evaluate(
    {
      id: 'lockout-check',
      principal: caller.principalArn,
      action: 'kms:PutKeyPolicy',
      keyId: keyArn,
      sourceIp: caller.sourceIp,
      vpcEndpoint: caller.vpcEndpointId,
      parameters: { policy: newPolicy },
    },
    { trace: false },
  );
  if (result.decision !== 'Allow') throw new KmsError('MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
}
