/** GetKeyPolicy, PutKeyPolicy (with the engine's lockout safety check), ListKeyPolicies (API reference of each). */
import { KmsError } from '../errors';
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
  // The engine refuses a policy AWS would not store (MalformedPolicyDocumentException, LimitExceededException)
  // and, unless bypassed, one that would lock the caller out (lockout.ts).
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  requireDefaultName(request.PolicyName);
  key.policy = request.Policy as string;
  call.core.changed();
  return {};
};

export const ListKeyPolicies: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  return { PolicyNames: ['default'], Truncated: false };
};
