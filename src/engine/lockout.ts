/**
 * The key policy lockout safety check of PutKeyPolicy and CreateKey (API PutKeyPolicy, API CreateKey,
 * "BypassPolicyLockoutSafetyCheck"): unless the caller sets BypassPolicyLockoutSafetyCheck, KMS refuses a new key
 * policy that would not let the caller call PutKeyPolicy on the key again, with MalformedPolicyDocumentException
 * "The new key policy will not allow you to update the key policy in the future." It is validation, not
 * authorization (kms-authorization.md §2, last point).
 *
 * [unknown] AWS does not document how far the check looks. The lab's choice: only the new key policy counts, and a
 * statement that gives kms:PutKeyPolicy to the caller's account (the "Enable IAM policies" statement) passes, since
 * IAM can then grant it; the caller's IAM policies, grants and guardrails as they are today are not looked at. The
 * check runs the engine itself on a world holding just the key (with the new policy) and the caller, whose IAM
 * policy allows kms:PutKeyPolicy, so an explicit Deny or an unmet condition in the new policy fails it.
 */
import type { PolicyDocument, Scenario } from '../scenario/types';
import { classifyPrincipal } from './arn';
import { evaluateRequest } from './evaluate';
import { buildWorld } from './world';

export const LOCKOUT_MESSAGE =
  'The new key policy will not allow you to update the key policy in the future.';

/** The identity whose policies a caller uses: a role session uses its role's. */
function identityOf(callerArn: string): string {
  const info = classifyPrincipal(callerArn);
  return info.kind === 'assumed-role' && info.roleName
    ? `arn:${info.partition}:iam::${info.account}:role/${info.roleName}`
    : callerArn;
}

/**
 * Whether `newPolicy` (a document, or its JSON text: call this only on a policy AWS accepts, see
 * rejected-policies.ts) would lock `callerArn` out of PutKeyPolicy on `keyArn`.
 */
export function locksOutCaller(
  newPolicy: unknown,
  keyArn: string,
  callerArn: string,
  now = new Date(),
): boolean {
  const scenario: Scenario = {
    version: 2,
    principals: {
      [identityOf(callerArn)]: {
        policies: [
          {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*' }],
          },
        ],
      },
    },
    keys: {
      [keyArn]: {
        policy: (typeof newPolicy === 'string' ? JSON.parse(newPolicy) : newPolicy) as PolicyDocument,
      },
    },
  };
  const result = evaluateRequest(
    buildWorld(scenario, {}, now),
    { id: 'lockout-check', principal: callerArn, action: 'kms:PutKeyPolicy', keyId: keyArn },
    { trace: false },
  );
  return result.decision !== 'Allow';
}
