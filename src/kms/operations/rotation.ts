/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations (API reference
 * of each; facts §2.3): symmetric encryption keys only; every earlier material stays, so old ciphertexts decrypt.
 */
import { KmsError } from '../errors';
import type { Hsm } from '../hsm';
import { DAY_MS, type KeyRecord } from '../kms-state';
import { compact, date, type Operation } from './context';
import { page } from './pagination';

const DEFAULT_ROTATION_DAYS = 365; // API EnableKeyRotation, RotationPeriodInDays default

/**
 * Rotation needs a symmetric encryption key (API EnableKeyRotation); AWS answers other key specs with an empty
 * UnsupportedOperationException message (conformance rotate-on-demand-asymmetric-key).
 */
function requireRotatable(key: KeyRecord, allowImported: boolean): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException', '');
  if (!allowImported && key.origin !== 'AWS_KMS')
    throw new KmsError(
      'UnsupportedOperationException',
      `${key.arn} origin is ${key.origin} which is not valid for this operation.`,
    );
}

export const EnableKeyRotation: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  requireRotatable(key, false);
  call.requireState('rotation', key);
  const days = (request.RotationPeriodInDays ?? DEFAULT_ROTATION_DAYS) as number;
  // facts §2.3: the first rotation is one period after enabling; a new period plans the next date again.
  key.rotation = {
    ...key.rotation,
    enabled: true,
    periodInDays: days,
    nextRotation: call.now + days * DAY_MS,
  };
  call.core.changed();
  return {};
};

export const DisableKeyRotation: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  requireRotatable(key, false);
  call.requireState('rotation', key);
  key.rotation = { ...key.rotation, enabled: false, nextRotation: undefined };
  call.core.changed();
  return {};
};

export const GetKeyRotationStatus: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  requireRotatable(key, false);
  call.requireState('rotation-status', key);
  // facts §2.3: a key pending deletion reads false (its setting comes back if the deletion is cancelled).
  const enabled = key.rotation.enabled && key.state !== 'PendingDeletion';
  return compact({
    KeyRotationEnabled: enabled,
    KeyId: key.arn,
    RotationPeriodInDays: enabled ? key.rotation.periodInDays : undefined,
    NextRotationDate: enabled ? date(key.rotation.nextRotation) : undefined,
  });
};

export const RotateKeyOnDemand: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  // The key state is checked before the key spec (conformance rotate-on-demand-disabled-key: an RSA key).
  call.requireState('rotate-on-demand', key);
  requireRotatable(key, true);
  // facts §2.3: imported keys rotate to material imported with NEW_KEY_MATERIAL.
  if (key.origin === 'EXTERNAL' && !key.materials.some((m) => m.state === 'PENDING_ROTATION'))
    throw new KmsError(
      'KMSInvalidStateException',
      `No available key material pending rotation for the key: ${key.arn}.`,
    );
  if (key.rotation.onDemandCount >= call.core.options.onDemandRotationLimit)
    throw new KmsError(
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`,
    );
  await call.core.rotate(key, 'ON_DEMAND');
  call.core.changed();
  return { KeyId: key.arn };
};

export const ListKeyRotations: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException', '');
  // API ListKeyRotations: ROTATIONS_ONLY (default) leaves out the first material and material not yet rotated to.
  const all = request.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const materials = key.materials.filter((m) => all || m.rotationDate !== undefined);
  const { items, ...rest } = page(materials, request, 100);
  return {
    Rotations: items.map((m) =>
      compact({
        KeyId: key.arn,
        KeyMaterialId: m.id,
        KeyMaterialDescription: m.description,
        ImportState: m.importState,
        KeyMaterialState: m.state,
        ExpirationModel: m.expirationModel,
        ValidTo: date(m.validTo),
        RotationDate: date(m.rotationDate),
        RotationType: m.rotationType,
      }),
    ),
    ...rest,
  };
};

/** Makes new material current: generated for AWS_KMS keys, the pending imported one for EXTERNAL keys. */
export async function rotateKey(
  core: { hsm: Pick<Hsm, 'generate'>; state: { now: number } },
  key: KeyRecord,
  type: 'AUTOMATIC' | 'ON_DEMAND',
): Promise<void> {
  const now = core.state.now;
  let next = key.materials.find((m) => m.state === 'PENDING_ROTATION');
  if (!next) {
    next = { id: await core.hsm.generate(key.keySpec), state: 'PENDING_ROTATION' };
    key.materials.push(next);
  }
  for (const m of key.materials) if (m.state === 'CURRENT') m.state = 'NON_CURRENT';
  next.state = 'CURRENT';
  next.rotationDate = now;
  next.rotationType = type;
  key.currentMaterialId = next.id;
  if (type === 'ON_DEMAND') key.rotation.onDemandCount++;
}
