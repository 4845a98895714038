/**
 * The `key-state` node (§5, KS; §6): an authorized call can still fail because of the key's state or origin
 * (DisabledException, KMSInvalidStateException, UnsupportedOperationException), or because nobody may change
 * an AWS managed key. The lab checks the key state after authorization.
 */
import type { Outcome } from '../types';
import type { KmsOperation } from '../kms-actions';
import type { PreparedKey } from '../world';
import { step, type Run } from './run';

/** A key a request uses, and for alias operations whether it is the key the alias will point to. */
export interface KeyCheck {
  key: PreparedKey;
  role?: 'target' | 'other';
}

interface KeyStateProblem {
  outcome: Outcome;
  message: string;
}

const CHECK_ORDER_NOTE =
  '[unknown] AWS does not document whether the key state is checked before or after authorization; the lab authorizes first, so an unauthorized caller learns nothing about the key state.';

type ProblemKind =
  'disabled' | 'pending-deletion' | 'pending-import' | 'not-pending-deletion' | 'unsupported';

/** The exception and message of a key-state problem, made only when there is one. */
function problemOf(kind: ProblemKind, key: PreparedKey, origin: string): KeyStateProblem {
  switch (kind) {
    case 'disabled':
      return { outcome: 'DisabledException', message: `${key.arn} is disabled.` };
    // KS [2] or [3]: either is documented for PendingDeletion; the lab uses KMSInvalidStateException (the alarm recipe's message).
    case 'pending-deletion':
      return { outcome: 'KMSInvalidStateException', message: `${key.arn} is pending deletion.` };
    case 'pending-import':
      return { outcome: 'KMSInvalidStateException', message: `${key.arn} is pending import.` };
    case 'not-pending-deletion':
      return { outcome: 'KMSInvalidStateException', message: `${key.arn} is not pending deletion.` };
    case 'unsupported':
      return {
        outcome: 'UnsupportedOperationException',
        message: `${key.arn} origin is ${origin} which is not valid for this operation.`,
      };
  }
}

function keyStateProblemKind(
  operation: KmsOperation,
  state: string,
  origin: string,
  role: 'target' | 'other',
): ProblemKind | undefined {
  switch (operation.keyState) {
    case 'crypto':
    case 'asymmetric':
      return state === 'Disabled'
        ? 'disabled'
        : state === 'PendingDeletion'
          ? 'pending-deletion'
          : state === 'PendingImport'
            ? 'pending-import'
            : undefined;
    case 'enable-disable':
      return state === 'PendingDeletion'
        ? 'pending-deletion'
        : state === 'PendingImport'
          ? 'pending-import'
          : undefined;
    case 'cancel-deletion':
      return state === 'PendingDeletion' ? undefined : 'not-pending-deletion';
    case 'schedule-deletion':
    case 'manage':
      return state === 'PendingDeletion' ? 'pending-deletion' : undefined;
    case 'update-alias':
      return role === 'target' && state === 'PendingDeletion' ? 'pending-deletion' : undefined;
    case 'rotation':
      if (origin !== 'AWS_KMS') return 'unsupported';
      return state === 'Disabled'
        ? 'disabled'
        : state === 'PendingDeletion'
          ? 'pending-deletion'
          : state === 'PendingImport'
            ? 'unsupported'
            : undefined;
    case 'rotation-status':
      return origin !== 'AWS_KMS' || state === 'PendingImport' ? 'unsupported' : undefined;
    case 'import':
      if (origin !== 'EXTERNAL') return 'unsupported';
      return state === 'PendingDeletion' ? 'pending-deletion' : undefined;
    default:
      return undefined;
  }
}

function keyStateProblem(
  operation: KmsOperation,
  key: PreparedKey,
  role: 'target' | 'other' = 'other',
): KeyStateProblem | undefined {
  const origin = key.entry.origin ?? 'AWS_KMS';
  const kind = keyStateProblemKind(operation, key.entry.state ?? 'Enabled', origin, role);
  return kind && problemOf(kind, key, origin);
}

function describeState(key: PreparedKey): string {
  switch (key.entry.state) {
    case 'Disabled':
      return 'disabled';
    case 'PendingDeletion':
      return 'pending deletion';
    case 'PendingImport':
      return 'pending import (its key material is missing)';
    default:
      return key.entry.origin && key.entry.origin !== 'AWS_KMS' ? `of origin ${key.entry.origin}` : 'enabled';
  }
}

/** The key-state step of a request that was not authorized: not reached. */
export function keyStateNotReached(run: Run, keyChecks: KeyCheck[]): void {
  if (keyChecks.some(({ key }) => (key.entry.state ?? 'Enabled') !== 'Enabled')) run.note(CHECK_ORDER_NOTE);
  step(run.steps, 'key-state', 'skip', 'Not reached: the request is not authorized');
}

/** How an authorized call fails at the key state, with the explanation that follows the authorization's. */
export interface KeyStateRefusal {
  outcome: Outcome;
  message: string;
  explanation: string;
}

/**
 * The key-state gate of an authorized request: records the `key-state` step, and returns why the call fails,
 * if it does. `authorized` is the explanation of the authorization.
 */
export function keyStateRefusal(
  run: Run,
  keyChecks: KeyCheck[],
  operation: KmsOperation,
  authorized: string,
): KeyStateRefusal | undefined {
  // §6: AWS managed keys cannot be changed, whatever the policy says. The exception is [unknown].
  const awsManaged = keyChecks.find(({ key }) => key.entry.manager === 'AWS');
  if (awsManaged && operation.mutatesKey) {
    run.note(
      '[unknown] AWS does not document the exception for changing an AWS managed key; the lab reports UnsupportedOperationException.',
    );
    step(run.steps, 'key-state', 'error', 'AWS managed keys cannot be changed (§6)');
    return {
      outcome: 'UnsupportedOperationException',
      message: `${awsManaged.key.arn} is an AWS managed key; you cannot perform ${operation.name} on it.`,
      explanation: `${authorized} But ${awsManaged.key.arn} is an AWS managed key, which nobody can change, so the call fails with UnsupportedOperationException.`,
    };
  }
  for (const { key, role } of keyChecks) {
    const problem = keyStateProblem(operation, key, role);
    if (problem) {
      run.note(CHECK_ORDER_NOTE);
      step(run.steps, 'key-state', 'error', `Key state ${key.entry.state ?? 'Enabled'}: ${problem.outcome}`);
      return {
        outcome: problem.outcome,
        message: problem.message,
        explanation: `${authorized} But the key is ${describeState(key)}, so ${operation.name} fails with ${problem.outcome} (KS).`,
      };
    }
  }
  if (run.trace) {
    let states = '';
    for (let i = 0; i < keyChecks.length; i++)
      states += (i > 0 ? ', ' : '') + (keyChecks[i].key.entry.state ?? 'Enabled');
    step(
      run.steps,
      'key-state',
      keyChecks.length > 0 ? 'pass' : 'skip',
      keyChecks.length > 0 ? `Key state ${states} allows ${operation.name}` : 'No key',
    );
  }
  return undefined;
}
