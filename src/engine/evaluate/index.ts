/**
 * The evaluator: decides one KMS request as AWS would (kms-authorization.md §1–§9) and records the trace
 * (steps, statement matches, grants, notes, explanation) of lab-design §3.
 *
 * One module per layer of the authorization flowchart (`STEP_IDS`), so the file holding a rule is the one
 * its node names: `caller.ts` (request), `resolve-key.ts`, `cross-account.ts`, `iam-only.ts`,
 * `explicit-deny.ts`, `guardrails.ts` (scp, rcp, vpc-endpoint), `key-policy-and-iam.ts` (key-policy,
 * identity-policy, boundary, session-policy), `grants.ts`, `retire-grant.ts`, `key-state.ts`; `alias.ts`
 * for the alias operations. `run.ts` holds the run and its steps, `layers.ts` the evaluated statements,
 * `result.ts` the assembled result, `explanation.ts` the words. This file routes a request to them.
 */
import type { RequestSpec } from '../../scenario/types';
import type { EvaluationResult } from '../types';
import { parameter } from '../context';
import { kmsOperation, type KmsOperation } from '../kms-actions';
import type { World } from '../world';
import { evaluateAliasRequest } from './alias';
import { identityOf } from './caller';
import { cachedDecision } from './decision-cache';
import { crossAccountCheck } from './cross-account';
import { createGrantValidation, revokedGrantMissing } from './grants';
import { evaluateIamOnlyRequest, evaluateServiceRequest } from './iam-only';
import { authorizeOnKey } from './key-policy-and-iam';
import { notFound, resolveKey } from './resolve-key';
import { failEarly, finishParts } from './result';
import { evaluateRetireRequest } from './retire-grant';
import { contextFor, Run, SKIPPED, step } from './run';

export { meetsExpectation } from './result';

const UNKNOWN_OPERATION = (name: string): KmsOperation => ({
  name,
  action: `kms:${name}`,
  actionLower: `kms:${name}`.toLowerCase(),
  kind: 'key',
  crossAccount: false,
  grantable: false,
  mutatesKey: false,
  usesEncryptionContext: false,
});

interface RequestedAction {
  /** The action as written (trimmed), and without its `kms:` prefix. */
  written: string;
  bare: string;
  /** ReEncrypt stands for ReEncryptFrom plus ReEncryptTo (DEF). */
  reEncrypt: boolean;
  known: KmsOperation | undefined;
  /** The action of another AWS service (`secretsmanager:GetSecretValue`): IAM decides it (`evaluateServiceRequest`). */
  otherService: boolean;
}

/** Requested actions by spelling: the same few come again and again. */
const requestedActions = new Map<string, RequestedAction>();

function actionOfRequest(action: string | undefined): RequestedAction {
  let requested = requestedActions.get(action as string);
  if (requested === undefined) {
    const written = (action ?? '').trim();
    const bare = written.toLowerCase().startsWith('kms:') ? written.slice(4) : written;
    const colon = written.indexOf(':');
    requested = {
      written,
      bare,
      reEncrypt: bare.toLowerCase() === 'reencrypt',
      known: kmsOperation(bare),
      otherService: colon > 0 && written.slice(0, colon).toLowerCase() !== 'kms',
    };
    if (requestedActions.size >= 512) requestedActions.clear();
    requestedActions.set(action as string, requested);
  }
  return requested;
}

/** Evaluates one request against a prepared world. Never throws for scenario content. */
export function evaluateRequest(
  world: World,
  request: RequestSpec,
  options: { trace?: boolean } = {},
): EvaluationResult {
  const trace = options.trace !== false;
  return cachedDecision(world, request, trace, () => decideRequest(world, request, trace));
}

/** Decides one request afresh (the decision cache's miss). */
export function decideRequest(world: World, request: RequestSpec, trace: boolean): EvaluationResult {
  const identity = identityOf(world, typeof request.principal === 'string' ? request.principal : '');
  const run = new Run(world, request, identity, trace);
  const { written, bare, reEncrypt, known, otherService } = actionOfRequest(request.action);

  if (run.trace)
    step(
      run.steps,
      'request',
      'pass',
      `${run.name} calls ${written}${request.keyId ? ` on ${request.keyId}` : ''}${request.vpcEndpoint ? ` through ${request.vpcEndpoint}` : ''}${request.viaService ? ` via ${request.viaService}` : ''}`,
    );

  if (request.viaService && request.sourceIp && !request.vpcEndpoint) {
    run.note(
      `The call comes through ${request.viaService}, so aws:SourceIp is that service's address, not the caller's ${request.sourceIp} (CA).`,
    );
  }
  if (otherService) return evaluateServiceRequest(run, written);
  if (reEncrypt) return evaluateReEncrypt(run);
  let operation = known;
  if (!operation) {
    run.note(
      `${written} is not a KMS action the lab knows; it is evaluated like an operation on a key, with no special rules.`,
    );
    operation = UNKNOWN_OPERATION(bare);
  }
  switch (operation.kind) {
    case 'iam-only':
      return evaluateIamOnlyRequest(run, operation, operation.action);
    case 'alias':
      return evaluateAliasRequest(run, operation, operation.action);
    case 'retire':
      return evaluateRetireRequest(run, operation);
    default:
      return evaluateKeyRequest(run, operation);
  }
}

/** An operation on one key: resolve it, check cross-account use, authorize on the key, then the key state. */
function evaluateKeyRequest(run: Run, operation: KmsOperation): EvaluationResult {
  const { request, world } = run;
  const action = operation.action;
  if (!request.keyId) {
    return failEarly(
      run,
      'resolve-key',
      'ValidationException',
      `1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null`,
      `${action} needs a KeyId, and the request has none.`,
    );
  }
  if (operation.name === 'CreateGrant') {
    const invalid = createGrantValidation(run);
    if (invalid) return invalid;
  }
  const resolved = resolveKey(world, request.keyId, run.caller);
  if ('error' in resolved) return notFound(run, request.keyId, resolved.error);
  const key = resolved.key;
  if (run.trace)
    step(
      run.steps,
      'resolve-key',
      'pass',
      request.keyId === key.arn ? `Key ${key.arn}` : `${request.keyId} is ${key.arn}`,
    );
  const context = contextFor(run, operation, key);

  step(run.steps, 'iam-only', 'skip', SKIPPED['iam-only']);
  const crossAccount = crossAccountCheck(run, operation, [key], context);
  if (crossAccount) return crossAccount;

  const part = authorizeOnKey(run, { operation, action, key, context });
  if (part.decision === 'Allow' && operation.name === 'RevokeGrant') {
    const missing = revokedGrantMissing(run, key, part, context);
    if (missing) return missing;
  }
  return finishParts(run, [part], [{ key }], operation, context);
}

/** DEF: ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key. */
function evaluateReEncrypt(run: Run): EvaluationResult {
  const { request, world, caller } = run;
  const from = kmsOperation('ReEncryptFrom')!;
  const to = kmsOperation('ReEncryptTo')!;
  if (!request.keyId)
    return failEarly(
      run,
      'resolve-key',
      'ValidationException',
      'ReEncrypt needs the source key (keyId).',
      'ReEncrypt needs the source key as keyId.',
    );
  const destinationId = parameter(request, 'destinationKeyId');
  if (typeof destinationId !== 'string') {
    return failEarly(
      run,
      'request',
      'ValidationException',
      'ReEncrypt needs parameters.destinationKeyId.',
      'ReEncrypt needs the destination key as parameters.destinationKeyId.',
    );
  }
  const source = resolveKey(world, request.keyId, caller);
  if ('error' in source) return notFound(run, request.keyId, source.error);
  const destination = resolveKey(world, destinationId, caller);
  if ('error' in destination) return notFound(run, destinationId, destination.error);
  const same = source.key.arn === destination.key.arn;
  step(run.steps, 'resolve-key', 'pass', `Source ${source.key.arn}; destination ${destination.key.arn}`);
  step(run.steps, 'iam-only', 'skip', SKIPPED['iam-only']);
  const sourceContext = contextFor(run, from, source.key, {
    encryptionContext: request.encryptionContext,
    reEncryptOnSameKey: same,
  });
  const destinationEc = parameter(request, 'destinationEncryptionContext') as
    Record<string, string> | undefined;
  const destinationContext = contextFor(run, to, destination.key, {
    encryptionContext: destinationEc,
    reEncryptOnSameKey: same,
  });
  const crossAccount = crossAccountCheck(run, from, [source.key, destination.key], sourceContext);
  if (crossAccount) return crossAccount;
  // DEF: ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key.
  const parts = [
    authorizeOnKey(run, {
      operation: from,
      action: 'kms:ReEncryptFrom',
      key: source.key,
      context: sourceContext,
      label: 'to ReEncryptFrom the source key',
    }),
    authorizeOnKey(run, {
      operation: to,
      action: 'kms:ReEncryptTo',
      key: destination.key,
      context: destinationContext,
      label: 'to ReEncryptTo the destination key',
    }),
  ];
  return finishParts(run, parts, [{ key: source.key }, { key: destination.key }], from, sourceContext);
}
