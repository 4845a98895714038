/** GetKeyPolicy, PutKeyPolicy (with the lockout safety check), ListKeyPolicies (API reference of each). */
import { KmsError } from '../errors';
import { checkLockout } from '../lockout';
import type { Operation } from './context';

/** API PutKeyPolicy, PolicyName: the only policy name is "default". */
function requireDefaultName(name: unknown): void {
  if (name !== undefined && name !== 'default')
    throw new KmsError('NotFoundException', `No such policy exists: ${String(name)}`);
}

export const GetKeyPolicy: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  requireDefaultName(request.PolicyName);
  return { Policy: key.policy, PolicyName: 'default' };
};

export const PutKeyPolicy: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  // The engine refuses a policy AWS would not store (MalformedPolicyDocumentException, LimitExceededException).
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  requireDefaultName(request.PolicyName);
  const text = request.Policy as string;
  if (request.BypassPolicyLockoutSafetyCheck !== true)
    checkLockout(call.core.authorizer, key.arn, JSON.parse(text) as Record<string, unknown>, call.caller, {});
  key.policy = text;
  call.core.changed();
  return {};
};

export const ListKeyPolicies: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  return { PolicyNames: ['default'], Truncated: false };
};
