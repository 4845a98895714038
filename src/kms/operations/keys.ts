/**
 * The key's life: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey, DisableKey,
 * ScheduleKeyDeletion, CancelKeyDeletion (API reference of each; facts §2.2, §2.5, §2.7).
 */
import { defaultKeyPolicy } from '../../scenario/default-key-policy';
import { isKeySpec, KEY_SPECS, type KeyUsage } from '../crypto/specs';
import { KmsError } from '../errors';
import { checkLockout } from '../lockout';
import { displayDate } from '../trail';
import { DAY_MS, keyArnOf, type KeyRecord } from '../kms-state';
import { date, type Call, type Operation } from './context';
import { currentMaterial, keyMetadata } from './metadata';
import { page } from './pagination';
import { applyTags, checkTags } from './tags';

/** KeyMetadata for CloudTrail's responseElements: camelCase, dates as display strings (facts §3.1). */
export function trailMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata))
    out[k === 'AWSAccountId' ? 'aWSAccountId' : k.charAt(0).toLowerCase() + k.slice(1)] =
      v instanceof Date ? displayDate(v.getTime()) : v;
  return out;
}

const SUPPORTED_ORIGINS = new Set(['AWS_KMS', 'EXTERNAL']);

export const CreateKey: Operation = async (call, request) => {
  // API CreateKey: KeySpec and its deprecated twin CustomerMasterKeySpec may not both be given (facts §2.4).
  if (request.KeySpec !== undefined && request.CustomerMasterKeySpec !== undefined)
    throw new KmsError(
      'ValidationException',
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
    );
  const keySpec = (request.KeySpec ?? request.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string;
  // API CreateKey, KeyUsage: optional only for symmetric encryption keys (conformance createkey-hmac-without-keyusage).
  if (request.KeyUsage === undefined && keySpec !== 'SYMMETRIC_DEFAULT')
    throw new KmsError(
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
  const keyUsage = (request.KeyUsage ?? 'ENCRYPT_DECRYPT') as KeyUsage;
  const supported = isKeySpec(keySpec);
  if (supported && !KEY_SPECS[keySpec].usages.includes(keyUsage))
    throw new KmsError(
      'ValidationException',
      `KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`,
    );
  const origin = (request.Origin ?? 'AWS_KMS') as string;
  const tags = (request.Tags ?? []) as { TagKey: string; TagValue: string }[];
  checkTags(tags);
  call.authorize(undefined);
  // Departures (docs/kms.md): no custom key stores, multi-Region keys, SM2, ML-DSA or Ed25519 keys.
  if (!supported)
    throw new KmsError('UnsupportedOperationException', `KeySpec ${keySpec} is not supported by the lab.`);
  if (!SUPPORTED_ORIGINS.has(origin) || request.CustomKeyStoreId !== undefined)
    throw new KmsError('UnsupportedOperationException', 'The lab has no custom key stores.');
  if (request.MultiRegion === true)
    throw new KmsError('UnsupportedOperationException', 'The lab does not model multi-Region keys.');

  const keyId = globalThis.crypto.randomUUID();
  const arn = keyArnOf(call.region, call.account, keyId);
  let policy = JSON.stringify(defaultKeyPolicy(call.account), null, 2); // DEF: the default key policy (facts §2.7)
  if (request.Policy !== undefined) {
    policy = request.Policy as string;
    if (request.BypassPolicyLockoutSafetyCheck !== true)
      checkLockout(policy, arn, call.caller.principalArn, call.now);
  }
  const key: KeyRecord = {
    arn,
    keyId,
    account: call.account,
    region: call.region,
    partition: call.partition,
    creationDate: call.now,
    description: (request.Description ?? '') as string,
    keyUsage,
    keySpec,
    origin,
    manager: 'CUSTOMER',
    state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    policy,
    tags: [],
    materials: [],
    rotation: { enabled: false, periodInDays: 365, onDemandCount: 0 },
    importParameters: [],
  };
  applyTags(key, tags);
  if (origin === 'AWS_KMS') {
    const id = await call.core.hsm.generate(key.keySpec);
    key.materials.push({ id, state: 'CURRENT' });
    key.currentMaterialId = id;
  }
  call.state.keys[arn] = key;
  call.used(key);
  call.core.changed();
  const metadata = keyMetadata(key);
  call.responseElements = { keyMetadata: trailMetadata(metadata) };
  return { KeyMetadata: metadata };
};

export const DescribeKey: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string);
  call.authorize(key, request.KeyId as string);
  return { KeyMetadata: keyMetadata(key) };
};

export const ListKeys: Operation = async (call, request) => {
  call.authorize(undefined);
  const keys = Object.values(call.state.keys).filter(
    (k) => k.account === call.account && k.region === call.region,
  );
  const { items, ...rest } = page(keys, request, 100);
  return { Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...rest };
};

export const UpdateKeyDescription: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('manage', key);
  key.description = request.Description as string;
  call.core.changed();
  return {};
};

export const EnableKey: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('enable-disable', key);
  key.state = 'Enabled';
  // Rotation (facts §2.3): a key that was disabled when its rotation was due rotates when it is enabled again.
  if (
    key.rotation.enabled &&
    key.rotation.nextRotation !== undefined &&
    key.rotation.nextRotation <= call.now
  ) {
    await call.core.rotate(key, 'AUTOMATIC');
    key.rotation.nextRotation = call.now + key.rotation.periodInDays * DAY_MS;
  }
  call.core.changed();
  return {};
};

export const DisableKey: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('enable-disable', key);
  key.state = 'Disabled';
  call.core.changed();
  return {};
};

/** API ScheduleKeyDeletion: the waiting period is 7–30 days (default 30), narrower than the model's 1..365. */
function pendingWindow(call: Call, value: unknown): number {
  if (value === undefined) return 30;
  const days = value as number;
  if (days < 7 || days > 30)
    throw new KmsError(
      'ValidationException',
      `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30'}`,
    );
  return days;
}

export const ScheduleKeyDeletion: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  const days = pendingWindow(call, request.PendingWindowInDays);
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('schedule-deletion', key);
  key.state = 'PendingDeletion';
  key.deletionDate = call.now + days * DAY_MS;
  key.pendingWindowInDays = days;
  call.core.changed();
  call.responseElements = {
    keyId: key.arn,
    deletionDate: displayDate(key.deletionDate),
    keyState: key.state,
    pendingWindowInDays: days,
  };
  return {
    KeyId: key.arn,
    DeletionDate: date(key.deletionDate),
    KeyState: key.state,
    PendingWindowInDays: days,
  };
};

export const CancelKeyDeletion: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('cancel-deletion', key);
  // API CancelKeyDeletion: the key comes back Disabled (or PendingImport, when its imported material is gone).
  key.state = currentMaterial(key) ? 'Disabled' : 'PendingImport';
  key.deletionDate = undefined;
  key.pendingWindowInDays = undefined;
  call.core.changed();
  call.responseElements = { keyId: key.arn };
  return { KeyId: key.arn };
};
