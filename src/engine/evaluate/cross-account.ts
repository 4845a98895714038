/**
 * The `cross-account` node (XA, PERM): only some operations work on a key in another account; for the others
 * the permissions "have no effect" across accounts, whatever the policies say.
 */
import type { EvaluationResult } from '../types';
import type { DerivedContext } from '../context';
import type { KmsOperation } from '../kms-actions';
import type { PreparedKey } from '../world';
import { assemble } from './result';
import { SKIPPED, step, type Run } from './run';

function keyInAnotherAccount(keys: PreparedKey[], account: string): PreparedKey | undefined {
  for (let i = 0; i < keys.length; i++) if (keys[i].account !== account) return keys[i];
  return undefined;
}

/** The denial when the operation cannot be used on a key in another account; undefined when the request goes on. */
export function crossAccountCheck(
  run: Run,
  operation: KmsOperation,
  keys: PreparedKey[],
  context: DerivedContext,
): EvaluationResult | undefined {
  const foreign =
    run.caller.info.kind === 'service' ? undefined : keyInAnotherAccount(keys, run.caller.account);
  if (!foreign) {
    step(run.steps, 'cross-account', 'skip', SKIPPED['cross-account']);
    return undefined;
  }
  if (operation.crossAccount) {
    if (run.trace)
      step(
        run.steps,
        'cross-account',
        'pass',
        `${operation.name} may be used across accounts (key in ${foreign.account}, caller in ${run.caller.account || 'no account'})`,
      );
    return undefined;
  }
  // XA, PERM: permissions for other operations "have no effect" across accounts.
  const action = operation.action;
  step(run.steps, 'cross-account', 'deny', `${operation.name} cannot be used on a key in another account`);
  return assemble(run, {
    decision: 'ImplicitDeny',
    outcome: 'AccessDeniedException',
    errorMessage: `User: ${run.caller.arn} is not authorized to perform: ${action} on resource: ${foreign.arn} because no resource-based policy allows the ${action} action`,
    allowedBy: null,
    deniedBy: null,
    deciding: [],
    decisiveStep: 'cross-account',
    explanation: `${run.name} is denied: the key is in account ${foreign.account} and the caller in ${run.caller.account}, and ${operation.name} cannot be used across accounts, whatever the policies say. Only cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant and RevokeGrant work across accounts (XA).`,
    context,
  });
}
