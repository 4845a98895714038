/**
 * The `resolve-key` node: the KeyId as the caller wrote it (key id, key ARN, alias name, alias ARN) resolved
 * to a key of the scenario, or NotFoundException (KMS API reference).
 */
import type { EvaluationResult } from '../types';
import { parseKmsArn } from '../arn';
import type { Caller } from '../compile';
import type { PreparedKey, World } from '../world';
import { failEarly } from './result';
import type { Run } from './run';

type KeyResolution = { key: PreparedKey } | { error: string };

/**
 * Resolves a KeyId as the caller wrote it (key id, key ARN, alias name, alias ARN). A bare key id or alias name
 * refers to the caller's own account; another account's key needs its key ARN or alias ARN (KMS API reference).
 */
export function resolveKey(world: World, keyId: string, caller: Caller): KeyResolution {
  const resolution = resolveKeyId(world, keyId, caller);
  // An ARN lives in one partition (IAM identifiers, "ARN format"): a caller in aws-cn cannot reach an aws key.
  if (
    'key' in resolution &&
    caller.info.kind !== 'service' &&
    resolution.key.partition !== caller.info.partition
  )
    return { error: `Key '${keyId}' does not exist in partition ${caller.info.partition}` };
  return resolution;
}

function resolveKeyId(world: World, keyId: string, caller: Caller): KeyResolution {
  const direct = world.keys.get(keyId);
  if (direct) return { key: direct };
  const arn = parseKmsArn(keyId);
  if (arn) {
    if (arn.type === 'alias') {
      const match = (world.aliases.get(`${arn.account}|${arn.id}`) ?? []).find(
        (k) => k.region === arn.region,
      );
      return match ? { key: match } : { error: `Alias ${keyId} is not found.` };
    }
    return { error: `Key '${keyId}' does not exist` };
  }
  const account = caller.account;
  if (keyId.startsWith('alias/')) {
    const match = world.aliases.get(`${account}|${keyId}`)?.[0];
    return match
      ? { key: match }
      : { error: `Alias ${keyId} is not found in account ${account || '(unknown)'}.` };
  }
  const match = world.keyIds.get(`${account}|${keyId}`)?.[0];
  return match
    ? { key: match }
    : { error: `Key '${keyId}' does not exist in account ${account || '(unknown)'}` };
}

/** The request's key is not one the caller can see: NotFoundException. */
export function notFound(run: Run, keyId: string, message: string): EvaluationResult {
  const crossAccountHint = keyId.startsWith('arn:')
    ? ''
    : " A bare key id or alias name refers to the caller's own account; a key in another account must be named by its key ARN or alias ARN.";
  return failEarly(
    run,
    'resolve-key',
    'NotFoundException',
    message,
    `${keyId} does not name a key the caller can see, so the call fails with NotFoundException.${crossAccountHint}`,
  );
}
