/**
 * The key policy lockout safety check (API CreateKey and API PutKeyPolicy, "BypassPolicyLockoutSafetyCheck"): unless
 * bypassed, the new policy must let the caller call PutKeyPolicy on the key afterwards. The engine is the single
 * authority (src/engine/lockout.ts says how far it looks). For PutKeyPolicy it runs inside the engine's decision on
 * the request itself (outcome MalformedPolicyDocumentException, which `Authorizer.authorize` throws); CreateKey asks
 * here, since its key does not exist when the call is authorized.
 */
import { LOCKOUT_MESSAGE, locksOutCaller } from '../engine/lockout';
import { KmsError } from './errors';

/** Throws MalformedPolicyDocumentException when `newPolicy` (a policy the engine accepted) locks the caller out. */
export function checkLockout(newPolicy: string, keyArn: string, callerArn: string, now: number): void {
  if (locksOutCaller(newPolicy, keyArn, callerArn, new Date(now)))
    throw new KmsError('MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
}
