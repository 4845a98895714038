/**
 * The alias operations (CreateAlias, DeleteAlias, UpdateAlias; AL): an IAM policy must allow the action on
 * the alias, and the key policy (or delegated IAM) on each key; alias/aws/ names are reserved (§3).
 */
import type { EvaluationResult } from '../types';
import { parseKmsArn, aliasArn as buildAliasArn } from '../arn';
import { parameter } from '../context';
import type { KmsOperation } from '../kms-actions';
import type { PreparedKey } from '../world';
import { crossAccountCheck } from './cross-account';
import { authorizeIamOnly } from './iam-only';
import { authorizeOnKey } from './key-policy-and-iam';
import type { KeyCheck } from './key-state';
import { notFound, resolveKey } from './resolve-key';
import { failEarly, finishParts } from './result';
import { contextFor, step, type PartOutcome, type Run } from './run';

type AliasKey = Required<KeyCheck>;

export function evaluateAliasRequest(run: Run, operation: KmsOperation, action: string): EvaluationResult {
  const caller = run.caller;
  const aliasName = aliasNameFromRequest(run);
  if (!aliasName) {
    return failEarly(
      run,
      'request',
      'ValidationException',
      `${operation.name} needs an alias name (parameters.aliasName).`,
      `${operation.name} needs an alias name; give it as parameters.aliasName.`,
    );
  }
  if (aliasName.startsWith('alias/aws/')) return reservedAlias(run, operation, action, aliasName);
  const keys = aliasKeys(run, operation, aliasName);
  if (!Array.isArray(keys)) return keys;
  const first = keys[0].key;
  const aliasArn = buildAliasArn(first.partition, first.region, caller.account || first.account, aliasName);
  step(
    run.steps,
    'resolve-key',
    'pass',
    `Alias ${aliasArn}; key${keys.length > 1 ? 's' : ''} ${keys.map((k) => k.key.arn).join(' and ')}`,
  );
  step(run.steps, 'iam-only', 'skip', 'The alias needs IAM permission and the key needs key permission (AL)');
  const baseContext = contextFor(run, operation, first);
  const crossAccount = crossAccountCheck(
    run,
    operation,
    keys.map((k) => k.key),
    baseContext,
  );
  if (crossAccount) return crossAccount;

  // AL: an IAM policy must allow the action on the alias, and the key policy (or delegated IAM) on each key.
  const parts: PartOutcome[] = [
    authorizeIamOnly(run, action, aliasArn, baseContext, `permission on the alias ${aliasName}`),
  ];
  keys.forEach(({ key, role }, i) => {
    const context = i === 0 ? baseContext : contextFor(run, operation, key);
    const label =
      operation.name === 'UpdateAlias'
        ? role === 'target'
          ? 'on the new key'
          : 'on the current key'
        : 'on the key';
    parts.push(authorizeOnKey(run, { operation, action, key, context, label }));
  });
  return finishParts(run, parts, keys, operation, baseContext);
}

function aliasNameFromRequest(run: Run): string | undefined {
  const fromParameters = parameter(run.request, 'aliasName');
  if (typeof fromParameters === 'string') return fromParameters;
  const keyId = run.request.keyId;
  if (keyId?.startsWith('alias/')) return keyId;
  const arn = keyId ? parseKmsArn(keyId) : undefined;
  return arn?.type === 'alias' ? arn.id : undefined;
}

/** §3: the alias/aws/ prefix is reserved for AWS managed keys. [unknown] exception: the lab reports AccessDenied. */
function reservedAlias(
  run: Run,
  operation: KmsOperation,
  action: string,
  aliasName: string,
): EvaluationResult {
  run.note(
    '[unknown] Aliases beginning with alias/aws/ are reserved for AWS managed keys; the lab reports AccessDeniedException for any attempt to change them.',
  );
  return failEarly(
    run,
    'request',
    'AccessDeniedException',
    `User: ${run.caller.arn} is not authorized to perform: ${action} on resource: ${aliasName} because aliases beginning with alias/aws/ are reserved`,
    `${aliasName} begins with alias/aws/, which is reserved for AWS managed keys, so nobody can ${operation.name === 'CreateAlias' ? 'create' : operation.name === 'DeleteAlias' ? 'delete' : 'update'} it.`,
  );
}

/** The keys an alias operation touches: the target of CreateAlias; the current key (and UpdateAlias's new one). */
function aliasKeys(run: Run, operation: KmsOperation, aliasName: string): AliasKey[] | EvaluationResult {
  const { request, world, caller } = run;
  const keys: AliasKey[] = [];
  const resolveOrFail = (keyId: string): PreparedKey | EvaluationResult => {
    const resolved = resolveKey(world, keyId, caller);
    return 'error' in resolved ? notFound(run, keyId, resolved.error) : resolved.key;
  };
  if (operation.name === 'CreateAlias') {
    const target =
      (parameter(request, 'targetKeyId') as string | undefined) ??
      (request.keyId && !request.keyId.includes('alias/') ? request.keyId : undefined);
    if (!target)
      return failEarly(
        run,
        'request',
        'ValidationException',
        'CreateAlias needs a target key (parameters.targetKeyId or keyId).',
        'CreateAlias needs the key the alias will point to.',
      );
    const key = resolveOrFail(target);
    if (!('arn' in key)) return key;
    keys.push({ key, role: 'target' });
    return keys;
  }
  const current = resolveOrFail(aliasName);
  if (!('arn' in current)) return current;
  keys.push({ key: current, role: 'other' });
  if (operation.name === 'UpdateAlias') {
    const target = parameter(request, 'targetKeyId');
    if (typeof target !== 'string')
      return failEarly(
        run,
        'request',
        'ValidationException',
        'UpdateAlias needs the new key (parameters.targetKeyId).',
        'UpdateAlias needs the key the alias will point to next.',
      );
    const key = resolveOrFail(target);
    if (!('arn' in key)) return key;
    keys.push({ key, role: 'target' });
  }
  return keys;
}
